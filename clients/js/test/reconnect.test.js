// Reconnection against a real node that goes away: killed (no goodbye at all) and stopped (it sends
// rpc.shutdown first), then started again on the same port. The client comes back, logs in again
// with its last login's params, and serves the server's calls again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes } from '../src/index.js';
import { sharedGateway } from './support/shared-gateway.js';
import { eventually, nextEvent, settled } from './support/wait.js';

const shared = sharedGateway();
const { client } = shared;

/** Waits until the client has reconnected (and re-logged in), collecting the events on the way. */
function recordReconnection(c) {
  const events = [];
  const offs = ['close', 'reconnecting', 'open', 'shutdown'].map((name) => c.on(name, (value) => events.push([name, value])));
  const reconnected = nextEvent(c, 'reconnect', 60000).finally(() => offs.forEach((off) => off()));
  return { events, reconnected };
}

test('after the node is killed the client reconnects with backoff, logs in again and is called again', async () => {
  const nora = await client({ reconnectInitialDelay: 50, reconnectMaxDelay: 800 });
  nora.register('chat.receive', (params) => `nora got ${params.text}`);
  await nora.login({ uid: 'nora' });
  const stranger = await client({ reconnect: false });
  await stranger.login({ uid: 'stranger' });
  stranger.register('chat.receive', () => new Promise(() => {}));
  // Watched from the start: a rejection nobody handles yet would fail the test by itself.
  const pending = settled(nora.call('chat.send', { to: 'stranger', text: 'no answer' }));
  const { events, reconnected } = recordReconnection(nora);
  const strangerClosed = nextEvent(stranger, 'close');

  await shared.gateway.stop('SIGKILL');
  await assert.rejects(pending(), (e) => e.code === ErrorCodes.CLIENT_OFFLINE && e.message === 'the connection to the server closed');
  assert.equal(nora.connected, false);
  await assert.rejects(nora.call('subtract', [1, 1]), (e) => e.code === ErrorCodes.CLIENT_OFFLINE && e.message === 'not connected to the server');
  assert.equal((await strangerClosed).willReconnect, false, 'reconnect: false is honoured');

  await shared.gateway.restart();
  const reconnect = await reconnected;
  assert.equal(reconnect.login.uid, 'nora');
  assert.equal(reconnect.loginError, undefined);
  assert.equal(nora.connected, true);

  const close = events.find(([name]) => name === 'close')[1];
  assert.equal(close.willReconnect, true);
  assert.equal(close.replaced, false);
  // The node takes seconds to start, so attempts failed meanwhile, each step longer, up to the maximum.
  const delays = events.filter(([name]) => name === 'reconnecting').map(([, value]) => value);
  assert.ok(delays.length >= 3, `only ${delays.length} attempts`);
  assert.equal(reconnect.attempts, delays.length);
  delays.forEach(({ attempt, delay }, i) => {
    assert.equal(attempt, i + 1);
    const step = Math.min(800, 50 * 2 ** i);
    assert.ok(delay >= step / 2 && delay <= step, `attempt ${attempt} waited ${delay} ms, step ${step}`);
  });
  assert.equal(events.at(-1)[0], 'open');

  const caller = await client();
  await caller.login({ uid: 'nora-caller' });
  assert.equal(await caller.call('chat.send', { to: 'nora', text: 'welcome back' }), 'nora got welcome back');
});

test('a stopped node says rpc.shutdown; a client that logged out comes back without logging in', async () => {
  const olga = await client({ reconnectInitialDelay: 50, reconnectMaxDelay: 800 });
  await olga.login({ uid: 'olga' });
  await olga.logout();
  const events = [];
  for (const name of ['shutdown', 'close', 'reconnect']) {
    olga.on(name, (value) => events.push([name, value]));
  }

  await shared.gateway.restart('SIGTERM');
  // A reconnection may still reach the stopping node, which closes it again; the client keeps trying.
  await eventually(async () => assert.equal(await olga.call('subtract', [3, 1]), 2), 60000, 50);
  const shutdown = events.find(([name]) => name === 'shutdown');
  assert.ok(shutdown, `no shutdown event among ${JSON.stringify(events)}`);
  assert.equal(shutdown[1].reason, 'server shutting down');
  assert.equal(events.find(([name]) => name === 'close')[1].willReconnect, true);
  const reconnects = events.filter(([name]) => name === 'reconnect');
  assert.ok(reconnects.length >= 1);
  for (const [, reconnect] of reconnects) {
    assert.equal(reconnect.login, undefined, 'a client that logged out must not log in again');
    assert.equal(reconnect.loginError, undefined);
  }
  await assert.rejects(olga.call('chat.join', { room: 'r' }), (e) => e.code === ErrorCodes.NOT_LOGGED_IN);
});

test('close() while reconnecting stops the attempts', async () => {
  const paul = await client({ reconnectInitialDelay: 50, reconnectMaxDelay: 200 });
  const firstAttempt = nextEvent(paul, 'reconnecting');
  await shared.gateway.stop('SIGKILL');
  await firstAttempt;
  await paul.close();
  let attempts = 0;
  paul.on('reconnecting', () => attempts++);
  paul.on('open', () => attempts++);
  await shared.gateway.restart();
  // The node is up again now; a client still trying (every 200 ms at most) would be back by the time
  // a fresh client has connected and had a call answered, which takes longer than one step.
  const probe = await client();
  assert.equal(await probe.call('subtract', [1, 1]), 0);
  await new Promise((resolve) => setTimeout(resolve, 400)); // two full steps of paul's backoff
  assert.equal(attempts, 0);
  assert.equal(paul.connected, false);
});
