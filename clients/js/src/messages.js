// Building and reading JSON-RPC 2.0 messages (docs/PROTOCOL.md, section 2). Pure functions, no I/O.
import { ErrorCodes, RpcError } from './rpc-error.js';

/** Throws an RpcError (-32602) unless params may be sent: an array, a plain object, or undefined (left out). */
export function checkParams(params) {
  if (params === undefined || Array.isArray(params)) {
    return;
  }
  if (params === null || typeof params !== 'object') {
    throw new RpcError(ErrorCodes.INVALID_PARAMS, 'params must be an array or an object, or left out');
  }
}

/** A request (with id) or, with id undefined, a notification; undefined params are left out. */
export function request(method, params, id) {
  if (typeof method !== 'string' || method === '') {
    throw new TypeError('method must be a non-empty string');
  }
  checkParams(params);
  const message = { jsonrpc: '2.0', method };
  if (params !== undefined) {
    message.params = params;
  }
  if (id !== undefined) {
    message.id = id;
  }
  return message;
}

/** The answer to a server's call; a result of undefined is sent as null (JSON-RPC needs one). */
export function result(id, value) {
  return { jsonrpc: '2.0', result: value === undefined ? null : value, id };
}

/** The error answer to a server's call. */
export function error(id, rpcError) {
  return { jsonrpc: '2.0', error: rpcError.toJSON(), id };
}

/**
 * What a function registered for a server's call threw, as the error to answer with: an RpcError
 * keeps its code, message and data; anything else is -32603 "Internal error" and says nothing of
 * the exception, as the gateway does for its handlers.
 */
export function errorFor(thrown) {
  if (RpcError.is(thrown)) {
    return thrown;
  }
  return new RpcError(ErrorCodes.INTERNAL_ERROR, 'Internal error');
}

/**
 * Splits one received text (a message or a batch) into classified messages:
 * {kind: 'call' | 'notification' | 'response' | 'invalid', message, problem?}.
 * Throws an RpcError (-32700) when the text is not JSON.
 */
export function parse(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RpcError(ErrorCodes.PARSE_ERROR, 'the server sent a text that is not JSON', String(e.message));
  }
  return (Array.isArray(value) ? value : [value]).map(classify);
}

function classify(message) {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return { kind: 'invalid', message, problem: 'a message must be a JSON object' };
  }
  if (message.jsonrpc !== '2.0') {
    return { kind: 'invalid', message, problem: 'jsonrpc must be "2.0"' };
  }
  if (typeof message.method === 'string') {
    return { kind: 'id' in message ? 'call' : 'notification', message };
  }
  if ('id' in message && ('result' in message) !== ('error' in message)) {
    return { kind: 'response', message };
  }
  return { kind: 'invalid', message, problem: 'neither a request nor a response' };
}
