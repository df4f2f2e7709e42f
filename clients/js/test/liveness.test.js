// Liveness over WebSocket: the gateway pings logged-in sessions with WebSocket ping frames and closes
// connections that send nothing for gateway.idleTimeout. A client that is idle but alive must stay.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from '../src/index.js';
import { startGateway } from './support/gateway.js';

const PING_INTERVAL = 250;
const IDLE_TIMEOUT = 1500;
let gateway;
let client;

before(async () => {
  gateway = await startGateway({ gateway: { pingInterval: PING_INTERVAL, pingTimeout: 1000, idleTimeout: IDLE_TIMEOUT } });
});

after(async () => {
  await client?.close();
  await gateway?.close();
});

test('a logged-in client that sends nothing for longer than the idle timeout stays connected', async () => {
  client = await connect(gateway.url, { reconnect: false });
  await client.login({ uid: 'quiet' });
  const closes = [];
  client.on('close', (event) => closes.push(event));
  // 4 s idle: more than twice the idle timeout and sixteen ping intervals, so a client that did not
  // answer pings, or whose answers did not count as activity, would have been closed by now.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  assert.deepEqual(closes, []);
  assert.equal(client.connected, true);
  assert.equal(await client.call('subtract', [2, 2]), 0);
});
