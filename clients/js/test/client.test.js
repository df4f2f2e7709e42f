// The client against a real busrpc node over WebSocket: calls, errors, notifications, login,
// functions the server calls, rooms, timeouts, replacement and the frame limit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect, ErrorCodes, RpcError } from '../src/index.js';
import { sharedGateway } from './support/shared-gateway.js';
import { eventually, nextEvent, settled } from './support/wait.js';

const shared = sharedGateway({ gateway: { maxFrameSize: 4096 } });
/** A client that the suite closes at the end. */
const { client } = shared;

describe('calls', () => {
  test('positional and named params, and no params', async () => {
    const c = await client();
    assert.equal(c.connected, true);
    assert.equal(await c.call('subtract', [42, 23]), 19);
    assert.equal(await c.call('subtract', { minuend: 42, subtrahend: 23 }), 19);
    assert.deepEqual(await c.call('get_data'), ['hello', 5]);
    assert.deepEqual(await c.call('echo', [{ nested: [1, 'two', null] }]), { nested: [1, 'two', null] });
  });

  test('concurrent calls each get their own answer', async () => {
    const c = await client();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.call('subtract', [i, 1])));
    assert.deepEqual(results, Array.from({ length: 50 }, (_, i) => i - 1));
  });

  test('errors are RpcErrors with the server\'s code, message and data', async () => {
    const c = await client();
    await assert.rejects(c.call('no.such.method'), (e) => {
      assert.ok(e instanceof RpcError);
      assert.deepEqual([e.code, e.message], [ErrorCodes.METHOD_NOT_FOUND, 'Method not found']);
      return true;
    });
    await assert.rejects(c.call('subtract', [1]), (e) => e.code === ErrorCodes.INVALID_PARAMS && /expects 2 params/.test(e.message));
    await assert.rejects(c.call('rpc.nope'), (e) => e.code === ErrorCodes.METHOD_NOT_FOUND && e.data === 'no reserved method rpc.nope');
    await assert.rejects(c.call('chat.send', { to: 'x', text: 'y' }), (e) => e.code === ErrorCodes.NOT_LOGGED_IN);
  });

  test('params that are neither an array nor an object are refused before sending', async () => {
    const c = await client();
    await assert.rejects(c.call('echo', 'x'), (e) => e.code === ErrorCodes.INVALID_PARAMS);
    await assert.rejects(c.notify('echo', 5), (e) => e.code === ErrorCodes.INVALID_PARAMS);
  });
});

describe('login', () => {
  test('login answers uid, roles and connection; a refused login is -32007', async () => {
    const c = await client();
    const result = await c.login({ uid: 'ann' });
    assert.equal(result.uid, 'ann');
    assert.deepEqual(result.roles, []);
    assert.equal(typeof result.connection, 'string');
    await assert.rejects(c.login({}), (e) => e.code === ErrorCodes.LOGIN_FAILED && /rpc.login needs/.test(e.message));
  });

  test('after logout the uid is offline for the server', async () => {
    const ben = await client();
    const caller = await client();
    ben.register('chat.receive', () => 'here');
    await ben.login({ uid: 'ben' });
    await caller.login({ uid: 'ben-caller' });
    assert.equal(await caller.call('chat.send', { to: 'ben', text: 'hi' }), 'here');
    await ben.logout();
    await assert.rejects(caller.call('chat.send', { to: 'ben', text: 'hi' }), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
    assert.equal(ben.connected, true);
  });
});

describe('calls from the server', () => {
  async function pair(receiverUid) {
    const receiver = await client();
    const sender = await client();
    await receiver.login({ uid: receiverUid });
    await sender.login({ uid: `${receiverUid}-sender` });
    return { receiver, sender };
  }

  test('a registered function answers: sync and async results reach the caller', async () => {
    const { receiver, sender } = await pair('cleo');
    const seen = [];
    receiver.register('chat.receive', (params, context) => {
      seen.push([context.method, params]);
      return `got ${params.text}`;
    });
    assert.equal(await sender.call('chat.send', { to: 'cleo', text: 'one' }), 'got one');
    assert.deepEqual(seen, [['chat.receive', { from: 'cleo-sender', text: 'one' }]]);
    receiver.register('chat.receive', async (params) => {
      await new Promise((resolve) => setImmediate(resolve));
      return { echoed: params.text };
    });
    assert.deepEqual(await sender.call('chat.send', { to: 'cleo', text: 'two' }), { echoed: 'two' });
    receiver.register('chat.receive', () => undefined);
    assert.equal(await sender.call('chat.send', { to: 'cleo', text: 'three' }), null);
  });

  test('a thrown RpcError reaches the caller with its code, message and data', async () => {
    const { receiver, sender } = await pair('dora');
    receiver.register('chat.receive', async () => {
      throw new RpcError(4001, 'busy', { retry: 5 });
    });
    await assert.rejects(sender.call('chat.send', { to: 'dora', text: 'x' }), (e) => {
      assert.ok(e instanceof RpcError);
      assert.deepEqual([e.code, e.message, e.data], [4001, 'busy', { retry: 5 }]);
      return true;
    });
  });

  test('another exception is answered -32603 without its details (the caller sees -32013) and emitted as error', async () => {
    const { receiver, sender } = await pair('emil');
    receiver.register('chat.receive', () => {
      throw new Error('secret detail');
    });
    const emitted = nextEvent(receiver, 'error');
    // -32603 is a reserved code, so the gateway hands it to the server code as -32013 (PROTOCOL.md section 4).
    await assert.rejects(sender.call('chat.send', { to: 'emil', text: 'x' }), (e) => {
      assert.equal(e.code, ErrorCodes.RESERVED_CLIENT_ERROR);
      assert.deepEqual(e.data, { code: ErrorCodes.INTERNAL_ERROR, message: 'Internal error' });
      return true;
    });
    assert.equal((await emitted).message, 'secret detail');
  });

  test('a reserved code thrown by the client reaches the server code as -32013 with the client\'s error', async () => {
    const { receiver, sender } = await pair('finn');
    receiver.register('chat.receive', () => {
      throw new RpcError(-32000, 'pretending to time out');
    });
    await assert.rejects(sender.call('chat.send', { to: 'finn', text: 'x' }), (e) => {
      assert.equal(e.code, ErrorCodes.RESERVED_CLIENT_ERROR);
      assert.deepEqual(e.data, { code: -32000, message: 'pretending to time out' });
      return true;
    });
  });

  test('a method with no registered function is answered -32601 (the caller sees -32013)', async () => {
    const { sender } = await pair('gina');
    await assert.rejects(sender.call('chat.send', { to: 'gina', text: 'x' }), (e) => {
      assert.equal(e.code, ErrorCodes.RESERVED_CLIENT_ERROR);
      assert.deepEqual(e.data, { code: ErrorCodes.METHOD_NOT_FOUND, message: 'Method not found' });
      return true;
    });
  });

  test('a call with no answer in time fails with -32000 on the caller\'s side', async () => {
    const { receiver, sender } = await pair('hugo');
    receiver.register('chat.receive', () => new Promise(() => {}));
    const started = Date.now();
    await assert.rejects(sender.call('chat.send', { to: 'hugo', text: 'x' }, { timeout: 300 }),
      (e) => e.code === ErrorCodes.TIMEOUT && e.message === 'no answer within 300 ms');
    assert.ok(Date.now() - started >= 290, 'the timeout fired early');
    assert.equal(await sender.call('subtract', [2, 1]), 1, 'the connection still works');
  });
});

describe('rooms and notifications', () => {
  test('chat.say reaches every member as a notification event and the registered function', async () => {
    const ida = await client();
    const jon = await client();
    await ida.login({ uid: 'ida' });
    await jon.login({ uid: 'jon' });
    assert.equal(await ida.call('chat.join', { room: 'lobby' }), true);
    assert.equal(await jon.call('chat.join', { room: 'lobby' }), true);
    const registered = [];
    jon.register('chat.message', (params) => registered.push(params));
    const atIda = nextEvent(ida, 'notification');
    const atJon = nextEvent(jon, 'notification');
    await jon.notify('chat.say', { room: 'lobby', text: 'hello room' });
    const expected = { method: 'chat.message', params: { room: 'lobby', from: 'jon', text: 'hello room' } };
    assert.deepEqual(await atIda, expected);
    assert.deepEqual(await atJon, expected);
    await eventually(() => assert.deepEqual(registered, [expected.params]));

    assert.equal(await ida.call('chat.leave', { room: 'lobby' }), true);
    const next = nextEvent(ida, 'notification');
    await jon.call('chat.say', { room: 'lobby', text: 'ida left' });
    await jon.call('chat.say', { room: 'elsewhere', text: 'x' });
    // A message for ida that comes after one she must not get: the order on her connection proves the absence.
    await ida.call('chat.join', { room: 'after' });
    await jon.call('chat.say', { room: 'after', text: 'marker' });
    assert.deepEqual((await next).params, { room: 'after', from: 'jon', text: 'marker' });
  });
});

describe('drops', () => {
  test('a replaced client fails its pending calls with -32003, emits replaced and close, and does not reconnect', async () => {
    const kim = await client();
    const peer = await client();
    await kim.login({ uid: 'kim' });
    await peer.login({ uid: 'kim-peer' });
    peer.register('chat.receive', () => new Promise(() => {}));
    // Watched from the start: a rejection nobody handles yet would fail the test by itself.
    const pending = settled(kim.call('chat.send', { to: 'kim-peer', text: 'never answered' }));
    const replaced = nextEvent(kim, 'replaced');
    const closed = nextEvent(kim, 'close');
    let reconnecting = false;
    kim.on('reconnecting', () => {
      reconnecting = true;
    });
    const newer = await client();
    await newer.login({ uid: 'kim' });
    assert.match((await replaced).reason, /logged in as kim/);
    await assert.rejects(pending(), (e) => e.code === ErrorCodes.CLIENT_OFFLINE && e.message === 'the connection to the server closed');
    const close = await closed;
    assert.equal(close.replaced, true);
    assert.equal(close.willReconnect, false);
    assert.equal(kim.connected, false);
    assert.equal(reconnecting, false);
    await assert.rejects(kim.call('subtract', [1, 1]), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
  });

  test('a message over the frame limit makes the gateway close the connection; the client reconnects', async () => {
    const c = await client({ reconnectInitialDelay: 10 });
    await c.login({ uid: 'lena' });
    const closed = nextEvent(c, 'close');
    const reconnected = nextEvent(c, 'reconnect');
    const big = 'x'.repeat(5000); // the node's maxFrameSize is 4096
    await assert.rejects(c.call('echo', [big]), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
    const close = await closed;
    // One frame over the limit (how ws and browsers send a message): the gateway says why it closes.
    assert.equal(close.code, 1009);
    assert.equal(close.willReconnect, true);
    const reconnect = await reconnected;
    assert.equal(reconnect.login.uid, 'lena');
    assert.equal(await c.call('subtract', [5, 3]), 2);
  });

  test('close() fails pending calls with -32003 and stops for good', async () => {
    const c = await connect(shared.gateway.url);
    const peer = await client();
    await c.login({ uid: 'max' });
    await peer.login({ uid: 'max-peer' });
    peer.register('chat.receive', () => new Promise(() => {}));
    // Watched from the start: a rejection nobody handles yet would fail the test by itself.
    const pending = settled(c.call('chat.send', { to: 'max-peer', text: 'x' }));
    const closed = nextEvent(c, 'close');
    await c.close();
    await assert.rejects(pending(), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
    assert.deepEqual(await closed, { code: 1000, reason: 'client closed', replaced: false, willReconnect: false });
    await assert.rejects(c.call('subtract', [1, 1]), (e) => e.code === ErrorCodes.CLIENT_OFFLINE);
  });
});
