// Opening the WebSocket, in browsers and in Node.
import { ErrorCodes, RpcError } from './rpc-error.js';

/**
 * Opens a WebSocket on `url`.
 * @param {{WebSocket?: Function, connectTimeout: number}} options
 * @returns {Promise<WebSocket>} once open; rejects with an RpcError (-32003) when it cannot be
 *   opened within connectTimeout
 */
export async function openSocket(url, options) {
  const WebSocketClass = await webSocketClass(options.WebSocket);
  return new Promise((resolve, reject) => {
    let ws;
    try {
      ws = new WebSocketClass(url);
    } catch (e) {
      reject(new RpcError(ErrorCodes.CLIENT_OFFLINE, `cannot connect to ${url}: ${e.message}`));
      return;
    }
    const settle = () => {
      clearTimeout(timer);
      ws.onopen = null;
      ws.onclose = null;
      // Never without an error listener: the ws package throws an 'error' event nobody listens to.
      ws.onerror = () => {};
    };
    const fail = (why) => {
      settle();
      reject(new RpcError(ErrorCodes.CLIENT_OFFLINE, `cannot connect to ${url}: ${why}`));
    };
    const timer = setTimeout(() => {
      fail(`not open within ${options.connectTimeout} ms`);
      ws.close();
    }, options.connectTimeout);
    ws.onopen = () => {
      settle();
      resolve(ws);
    };
    ws.onerror = (event) => fail(event?.message || event?.error?.message || 'the connection failed');
    ws.onclose = (event) => fail(`closed with status ${event.code}`);
  });
}

/** The WebSocket class: the one given, the runtime's own, or (Node 20) the ws package's, loaded only then. */
async function webSocketClass(given) {
  if (given) {
    return given;
  }
  if (typeof globalThis.WebSocket === 'function') {
    return globalThis.WebSocket;
  }
  try {
    const ws = await import('ws');
    return ws.WebSocket ?? ws.default;
  } catch (e) {
    throw new RpcError(ErrorCodes.CLIENT_OFFLINE,
      `this runtime has no WebSocket and the "ws" package could not be loaded: ${e.message}`);
  }
}
