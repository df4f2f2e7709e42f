'use strict';
// Interop check: a vscode-jsonrpc client (Content-Length framing, as LSP peers speak it) against a
// running busrpc demo node (conf/busrpc.json). Calls server methods, logs in, and answers a call
// that the server makes on this same connection (chat.send -> chat.receive).
//
//   node test.js [HOST] [PORT]        (or BUSRPC_HOST / BUSRPC_PORT; default 127.0.0.1 7000)
//
// Prints one line per check; exits 0 only when every check passed, 1 on a failed check, 2 on a
// connection problem or when the whole run takes longer than BUSRPC_INTEROP_TIMEOUT ms (20000).

const net = require('net');
const assert = require('assert');
const rpc = require('vscode-jsonrpc/node');

const host = process.argv[2] || process.env.BUSRPC_HOST || '127.0.0.1';
const port = Number(process.argv[3] || process.env.BUSRPC_PORT || 7000);
const overallTimeout = Number(process.env.BUSRPC_INTEROP_TIMEOUT || 20000);

let failures = 0;

function done(code, message) {
  if (message) {
    console.log(message);
  }
  process.exit(code);
}

const watchdog = setTimeout(
  () => done(2, `FAIL: no result after ${overallTimeout} ms (is busrpc listening on ${host}:${port}?)`),
  overallTimeout);

async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(`ok   ${name}${detail === undefined ? '' : ` -> ${detail}`}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
  }
}

async function main() {
  const socket = net.connect({ host, port });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', (e) => done(2, `FAIL: socket error: ${e.message}`));

  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(socket), new rpc.StreamMessageWriter(socket));
  connection.onClose(() => {
    if (!finished) {
      done(2, 'FAIL: the server closed the connection');
    }
  });

  let received;
  connection.onRequest('chat.receive', (params) => {
    received = params;
    return { ack: true, echoed: params.text, by: 'vscode-jsonrpc' };
  });
  connection.listen();

  console.log(`vscode-jsonrpc ${require('vscode-jsonrpc/package.json').version} -> ${host}:${port}`);

  // Two arguments, not one array: vscode-jsonrpc would wrap a single array param in another array.
  await check('subtract [42,23] = 19', async () => {
    const result = await connection.sendRequest('subtract', 42, 23);
    assert.strictEqual(result, 19);
    return JSON.stringify(result);
  });

  await check('rpc.login {"uid":"vscode"}', async () => {
    const result = await connection.sendRequest('rpc.login', { uid: 'vscode' });
    assert.strictEqual(result && result.uid, 'vscode');
    return JSON.stringify(result);
  });

  await check('chat.send to itself returns what its chat.receive handler answered', async () => {
    const result = await connection.sendRequest('chat.send', { to: 'vscode', text: 'hi' });
    assert.deepStrictEqual(received, { from: 'vscode', text: 'hi' }, 'chat.receive params');
    assert.deepStrictEqual(result, { ack: true, echoed: 'hi', by: 'vscode-jsonrpc' });
    return JSON.stringify(result);
  });

  await check('foobar fails with -32601', async () => {
    try {
      const result = await connection.sendRequest('foobar');
      throw new Error(`expected an error, got result ${JSON.stringify(result)}`);
    } catch (e) {
      if (!(e instanceof rpc.ResponseError)) {
        throw e;
      }
      assert.strictEqual(e.code, -32601, `code ${e.code} (${e.message})`);
      return `${e.code} ${e.message}`;
    }
  });

  finished = true;
  connection.dispose();
  socket.destroy();
}

let finished = false;
main().then(() => {
  clearTimeout(watchdog);
  done(failures === 0 ? 0 : 1,
    failures === 0 ? 'interop: all checks passed' : `interop: ${failures} check(s) failed`);
}, (e) => done(2, `FAIL: ${e && e.message ? e.message : e}`));
