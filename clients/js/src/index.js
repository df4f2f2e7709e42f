// busrpc: a JavaScript client of the busrpc gateway over WebSocket, for browsers and Node >= 20.
export { BusRpcClient, connect, DEFAULT_OPTIONS } from './client.js';
export { ErrorCodes, RpcError } from './rpc-error.js';
export { backoffDelay } from './backoff.js';
