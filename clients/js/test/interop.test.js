// Interop: two third-party JSON-RPC 2.0 libraries from npm, used as shipped, against the gateway's
// WebSocket endpoint. rpc-websockets is a WebSocket JSON-RPC client (calls, and server messages
// as events); json-rpc-2.0 is transport-neutral and serves both directions, so it answers the
// server's chat.receive over a plain ws socket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { JSONRPCServerAndClient, JSONRPCClient, JSONRPCServer } from 'json-rpc-2.0';
import { Client as RpcWebSocketsClient } from 'rpc-websockets';
import { WebSocket } from 'ws';
import { startGateway } from './support/gateway.js';

let gateway;
const closers = [];

before(async () => {
  gateway = await startGateway();
});

after(async () => {
  for (const close of closers) {
    close();
  }
  await gateway?.close();
});

/** An rpc-websockets client, open. */
async function rpcWebSockets() {
  const client = new RpcWebSocketsClient(gateway.url, { reconnect: false });
  closers.push(() => client.close());
  await new Promise((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  return client;
}

/** A json-rpc-2.0 peer on a ws socket: calls the gateway and serves what the gateway calls. */
async function jsonRpc2() {
  const socket = new WebSocket(gateway.url);
  closers.push(() => socket.close());
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const peer = new JSONRPCServerAndClient(
    new JSONRPCServer(),
    new JSONRPCClient((request) => socket.send(JSON.stringify(request))),
  );
  socket.on('message', (data) => peer.receiveAndSend(JSON.parse(data.toString())));
  socket.on('close', (code) => peer.rejectAllPendingRequests(`closed with ${code}`));
  return peer;
}

test('rpc-websockets calls methods, logs in, and gets room messages as events', async () => {
  const client = await rpcWebSockets();
  assert.equal(await client.call('subtract', [42, 23]), 19);
  assert.equal(await client.call('subtract', { minuend: 42, subtrahend: 23 }), 19);
  await assert.rejects(client.call('subtract', [1]), (e) => e.code === -32602);
  assert.equal((await client.call('rpc.login', { uid: 'rita' })).uid, 'rita');
  assert.equal(await client.call('chat.join', { room: 'interop' }), true);
  const message = new Promise((resolve) => client.once('chat.message', resolve));
  client.notify('chat.say', { room: 'interop', text: 'from rpc-websockets' });
  assert.deepEqual(await message, { room: 'interop', from: 'rita', text: 'from rpc-websockets' });
});

test('json-rpc-2.0 answers the server\'s call that rpc-websockets makes through chat.send', async () => {
  const sam = await jsonRpc2();
  sam.addMethod('chat.receive', ({ from, text }) => `sam read "${text}" from ${from}`);
  assert.equal((await sam.request('rpc.login', { uid: 'sam' })).uid, 'sam');
  assert.equal(await sam.request('subtract', [10, 4]), 6);

  const rita = await rpcWebSockets();
  await rita.call('rpc.login', { uid: 'rita2' });
  assert.equal(await rita.call('chat.send', { to: 'sam', text: 'hi' }), 'sam read "hi" from rita2');
  // Both directions at once on one connection: sam's own call waits while sam serves the call it causes.
  assert.equal(await sam.request('chat.send', { to: 'sam', text: 'to myself' }), 'sam read "to myself" from sam');
});
