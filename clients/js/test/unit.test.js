// Pure parts of the client, without a server: message building and reading, RpcError, backoff,
// reconnection timing, the resume handshake, options.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { BusRpcClient, ErrorCodes, RpcError, backoffDelay } from '../src/index.js';
import { Handlers } from '../src/handlers.js';
import * as messages from '../src/messages.js';
import { isLocal, PendingCalls } from '../src/pending.js';
import { Reconnector } from '../src/reconnect.js';
import { counts, RESUME_ID, ResumeRequest, ResumeSession } from '../src/resume.js';

describe('messages', () => {
  test('a request has jsonrpc, method, params and id; undefined params are left out', () => {
    assert.deepEqual(messages.request('subtract', [42, 23], 1), { jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: 1 });
    assert.deepEqual(messages.request('rpc.logout', undefined, 2), { jsonrpc: '2.0', method: 'rpc.logout', id: 2 });
    assert.equal(JSON.stringify(messages.request('rpc.logout', undefined, 2)), '{"jsonrpc":"2.0","method":"rpc.logout","id":2}');
  });

  test('a notification has no id member at all', () => {
    const notification = messages.request('chat.say', { room: 'r', text: 't' });
    assert.equal('id' in notification, false);
  });

  test('params other than an array or an object are refused with -32602', () => {
    for (const bad of [null, 1, 'x', true]) {
      assert.throws(() => messages.request('m', bad, 1), (e) => e instanceof RpcError && e.code === ErrorCodes.INVALID_PARAMS);
    }
  });

  test('a method must be a non-empty string', () => {
    assert.throws(() => messages.request('', [], 1), TypeError);
    assert.throws(() => messages.request(undefined, [], 1), TypeError);
  });

  test('an undefined result is answered as null', () => {
    assert.deepEqual(messages.result(7, undefined), { jsonrpc: '2.0', result: null, id: 7 });
  });

  test('a thrown RpcError keeps code, message and data; anything else is -32603 without details', () => {
    const thrown = new RpcError(4001, 'busy', { retry: 5 });
    assert.deepEqual(messages.error(3, messages.errorFor(thrown)),
      { jsonrpc: '2.0', error: { code: 4001, message: 'busy', data: { retry: 5 } }, id: 3 });
    assert.deepEqual(messages.error(3, messages.errorFor(new Error('secret detail'))),
      { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: 3 });
  });

  test('received texts are classified; a batch gives one entry per message', () => {
    const kinds = messages.parse(JSON.stringify([
      { jsonrpc: '2.0', result: 19, id: 1 },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 2 },
      { jsonrpc: '2.0', method: 'chat.receive', params: {}, id: 1 },
      { jsonrpc: '2.0', method: 'chat.message', params: {} },
      { jsonrpc: '2.0', result: 1, error: {}, id: 3 },
      { jsonrpc: '1.0', result: 1, id: 4 },
      5,
    ])).map((m) => m.kind);
    assert.deepEqual(kinds, ['response', 'response', 'call', 'notification', 'invalid', 'invalid', 'invalid']);
  });

  test('a text that is not JSON is -32700', () => {
    assert.throws(() => messages.parse('{"jsonrpc":'), (e) => e.code === ErrorCodes.PARSE_ERROR);
  });
});

describe('counts', () => {
  const text = (message) => JSON.stringify(message);
  const counted = (message) => counts(text(message), messages.parse(text(message)));

  test('a single rpc.ack, rpc.shutdown or rpc.ping is not counted; everything else is (PROTOCOL section 8)', () => {
    assert.equal(counted({ jsonrpc: '2.0', method: 'rpc.ack', params: { seq: 3 } }), false);
    assert.equal(counted({ jsonrpc: '2.0', method: 'rpc.shutdown', params: { reason: 'server shutting down' } }), false);
    assert.equal(counted({ jsonrpc: '2.0', method: 'rpc.ping', id: 7 }), false);
    assert.equal(counted({ jsonrpc: '2.0', method: 'chat.message', params: {} }), true);
    assert.equal(counted({ jsonrpc: '2.0', method: 'rpc.replaced', params: {} }), true);
    assert.equal(counted({ jsonrpc: '2.0', result: 1, id: 1 }), true);
    const batch = [{ jsonrpc: '2.0', method: 'rpc.ack', params: { seq: 3 } }];
    assert.equal(counts(text(batch), messages.parse(text(batch))), true, 'inside a batch it counts');
  });
});

describe('RpcError', () => {
  test('is an Error with code, message and data, and reads any wire error', () => {
    const e = RpcError.fromJSON({ code: -32007, message: 'Login failed', data: [1] });
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'RpcError');
    assert.deepEqual([e.code, e.message, e.data], [-32007, 'Login failed', [1]]);
    assert.deepEqual(e.toJSON(), { code: -32007, message: 'Login failed', data: [1] });
    assert.equal('data' in new RpcError(1, 'x'), false);
    const odd = RpcError.fromJSON({ code: 'E42', message: 'odd code' });
    assert.deepEqual([odd.code, odd.message], [-32603, 'odd code']);
    assert.equal(RpcError.fromJSON('nonsense').code, -32603);
  });

  test('an RpcError of another copy of the module is still recognised', () => {
    const foreign = Object.assign(new Error('m'), { name: 'RpcError', code: 5 });
    assert.equal(RpcError.is(foreign), true);
    assert.equal(RpcError.is(new Error('m')), false);
  });
});

describe('backoffDelay', () => {
  const limits = { initialDelay: 100, maxDelay: 5000 };

  test('doubles from the initial delay up to the maximum', () => {
    const top = (attempt) => backoffDelay(attempt, limits, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 100].map(top), [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  test('jitter keeps each delay in the upper half of its step', () => {
    assert.equal(backoffDelay(3, limits, () => 0), 200);
    assert.equal(backoffDelay(3, limits, () => 0.5), 300);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, limits);
      assert.ok(d >= 100 && d <= 200, String(d));
    }
  });
});

describe('Reconnector', () => {
  const limits = { initialDelay: 100, maxDelay: 400 };

  test('each attempt is announced and waits its backoff step; an answer from the server starts afresh', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const announced = [];
    let ran = 0;
    const reconnector = new Reconnector(limits, (next) => announced.push(next), () => 1);
    for (const step of [100, 200, 400, 400]) {
      reconnector.schedule(() => ran++);
      assert.equal(reconnector.waiting, true);
      t.mock.timers.tick(step - 1);
      assert.equal(ran, announced.length - 1, `attempt ${announced.length} ran before its ${step} ms`);
      t.mock.timers.tick(1);
      assert.equal(ran, announced.length);
      assert.equal(reconnector.waiting, false);
    }
    assert.deepEqual(announced, [{ attempt: 1, delay: 100 }, { attempt: 2, delay: 200 }, { attempt: 3, delay: 400 }, { attempt: 4, delay: 400 }]);
    assert.equal(reconnector.attempts, 4);
    reconnector.answered();
    reconnector.schedule(() => ran++);
    assert.deepEqual(announced.at(-1), { attempt: 1, delay: 100 });
    reconnector.cancel();
  });

  test('cancel drops the attempt that waits', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const reconnector = new Reconnector(limits, () => {}, () => 1);
    reconnector.schedule(() => assert.fail('a cancelled attempt ran'));
    reconnector.cancel();
    assert.equal(reconnector.waiting, false);
    t.mock.timers.tick(10000);
  });
});

describe('ResumeRequest', () => {
  /** A session holding token t1 that has sent three counted messages and received two. */
  function session() {
    const s = new ResumeSession(() => {});
    s.start('t1', 30000);
    ['one', 'two', 'three'].forEach((text) => s.sending(text));
    s.receivedOne();
    s.receivedOne();
    return s;
  }

  function request(s) {
    const outcome = { resent: [], lost: [] };
    outcome.request = new ResumeRequest(s, (text) => outcome.resent.push(text), (error) => outcome.lost.push(error));
    return outcome;
  }

  test('asks with the token and the count received; a new token resends what the gateway lacks, in order', async () => {
    const s = session();
    const { request: r, resent, lost } = request(s);
    assert.deepEqual(JSON.parse(r.text), { jsonrpc: '2.0', method: 'rpc.resume', params: { token: 't1', seq: 2 }, id: RESUME_ID });
    r.settle({ jsonrpc: '2.0', result: { token: 't2', seq: 1 }, id: RESUME_ID });
    assert.equal(await r.resumed, true);
    assert.deepEqual(resent, ['two', 'three']);
    assert.equal(s.token, 't2');
    assert.deepEqual(lost, []);
    s.end();
  });

  test('a drop before the answer keeps the session for the next attempt', async () => {
    const s = session();
    const { request: r, resent, lost } = request(s);
    r.settle(null);
    assert.equal(await r.resumed, false);
    assert.equal(s.token, 't1');
    assert.deepEqual(resent, []);
    assert.deepEqual(lost, []);
    s.end();
  });

  test("the gateway's error, or an answer without a token, loses the session", async () => {
    for (const [answer, code, local] of [
      [{ jsonrpc: '2.0', error: { code: -32010, message: 'Session expired', data: { why: 'gone' } }, id: RESUME_ID }, -32010, false],
      [{ jsonrpc: '2.0', result: {}, id: RESUME_ID }, ErrorCodes.SESSION_EXPIRED, true],
    ]) {
      const s = session();
      const { request: r, resent, lost } = request(s);
      r.settle(answer);
      assert.equal(await r.resumed, false);
      assert.deepEqual(resent, []);
      assert.equal(lost.length, 1);
      assert.equal(lost[0].code, code);
      assert.equal(isLocal(lost[0]), local, JSON.stringify(answer));
      s.end();
    }
  });
});

describe('PendingCalls', () => {
  const settled = (promise) => promise.then((result) => ({ result }), (error) => ({ error }));

  test('an answer settles its own call only, once; an unknown id settles nothing', async () => {
    const pending = new PendingCalls();
    const calls = [1, 2].map((id) => settled(new Promise((resolve, reject) => pending.add(id, 60000, resolve, reject))));
    assert.equal(pending.settle({ id: 2, error: { code: 7, message: 'no' } }), true);
    assert.equal(pending.settle({ id: 1, result: 'one' }), true);
    assert.equal(pending.settle({ id: 1, result: 'again' }), false);
    assert.equal(pending.settle({ id: null, error: { code: -32700, message: 'Parse error' } }), false);
    const [one, two] = await Promise.all(calls);
    assert.deepEqual(one, { result: 'one' });
    assert.equal(two.error.code, 7);
    assert.equal(isLocal(two.error), false, 'the server answered that error');
  });

  test('a call without an answer fails with -32000, and failAll fails the rest with -32003', async () => {
    const pending = new PendingCalls();
    const late = settled(new Promise((resolve, reject) => pending.add(1, 1, resolve, reject)));
    const waiting = settled(new Promise((resolve, reject) => pending.add(2, 60000, resolve, reject)));
    const { error: timeout } = await late;
    assert.equal(timeout.code, ErrorCodes.TIMEOUT);
    assert.equal(isLocal(timeout), true);
    pending.failAll('the connection closed');
    const { error: offline } = await waiting;
    assert.equal(offline.code, ErrorCodes.CLIENT_OFFLINE);
    assert.equal(offline.message, 'the connection closed');
    assert.equal(pending.settle({ id: 2, result: 'too late' }), false);
  });
});

describe('Handlers', () => {
  test('rpc.ping is answered pong, a registered method by its function, others with -32601', async () => {
    const handlers = new Handlers();
    handlers.register('add', ([a, b], { method }) => `${method} ${a + b}`);
    assert.equal(await handlers.invoke('rpc.ping'), 'pong');
    assert.equal(await handlers.invoke('add', [1, 2]), 'add 3');
    await assert.rejects(handlers.invoke('nope', []), (e) => RpcError.is(e) && e.code === ErrorCodes.METHOD_NOT_FOUND);
    handlers.register('add', null);
    await assert.rejects(handlers.invoke('add', [1, 2]), (e) => e.code === ErrorCodes.METHOD_NOT_FOUND);
    assert.throws(() => handlers.register('', () => 1), TypeError);
    assert.throws(() => handlers.register('m', 'not a function'), TypeError);
  });

  test('what a notification function throws goes to onError', async () => {
    const handlers = new Handlers();
    handlers.register('boom', () => { throw new Error('bad'); });
    const error = await new Promise((resolve) => handlers.notify('boom', [], resolve));
    assert.equal(error.message, 'bad');
    handlers.notify('unregistered', [], () => assert.fail('no function, nothing to report'));
  });
});

describe('options', () => {
  test('bad times are refused when the client is made', () => {
    assert.throws(() => new BusRpcClient('ws://127.0.0.1:1/rpc', { callTimeout: 0 }), TypeError);
    assert.throws(() => new BusRpcClient('ws://127.0.0.1:1/rpc', { reconnectMaxDelay: 10, reconnectInitialDelay: 20 }), TypeError);
    assert.throws(() => new BusRpcClient('ws://127.0.0.1:1/rpc', { connectTimeout: Infinity }), TypeError);
  });

  test('calls before the connection is open fail at once with -32003', async () => {
    const client = new BusRpcClient('ws://127.0.0.1:1/rpc');
    await assert.rejects(client.call('subtract', [42, 23]), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
    await assert.rejects(client.notify('chat.say', {}), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
  });

  test('a server that never answers the handshake fails connect with -32003 after connectTimeout', async () => {
    const sockets = [];
    const server = net.createServer((socket) => sockets.push(socket)); // accepts, then says nothing
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new BusRpcClient(`ws://127.0.0.1:${server.address().port}/rpc`, { connectTimeout: 300 });
      const started = Date.now();
      await assert.rejects(client.open(), (e) => e.code === ErrorCodes.CLIENT_OFFLINE && /not open within 300 ms/.test(e.message));
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 290, `the connect timeout fired early, after ${elapsed} ms`);
      // Far above 300 ms, so a loaded machine cannot fail it; a client ignoring the option waits its default 10 s.
      assert.ok(elapsed < 5000, `connectTimeout ignored: rejected after ${elapsed} ms`);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    }
  });

  test('a server that hangs up during the handshake fails connect with -32003', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new BusRpcClient(`ws://127.0.0.1:${server.address().port}/rpc`);
      await assert.rejects(client.open(), (e) => e.code === ErrorCodes.CLIENT_OFFLINE && /cannot connect/.test(e.message));
      assert.equal(client.connected, false);
    } finally {
      server.close();
    }
  });
});
