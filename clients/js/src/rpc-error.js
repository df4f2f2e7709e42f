/**
 * The error of a failed call: the JSON-RPC error object's code, message and data. Calls that the
 * server answers with an error, calls that time out or lose their connection, and errors the
 * client's own functions throw to answer the server, are all RpcErrors.
 */
export class RpcError extends Error {
  /**
   * @param {number} code an integer; see ErrorCodes for the ones JSON-RPC and busrpc define
   * @param {string} message
   * @param {*} [data] any JSON value; left out of the wire form when undefined
   */
  constructor(code, message, data) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    if (data !== undefined) {
      this.data = data;
    }
  }

  /** @returns the JSON-RPC error object: {code, message[, data]} */
  toJSON() {
    const error = { code: this.code, message: this.message };
    if (this.data !== undefined) {
      error.data = this.data;
    }
    return error;
  }

  /** An RpcError from an error object received on the wire, whatever its shape. */
  static fromJSON(error) {
    if (error === null || typeof error !== 'object') {
      return new RpcError(ErrorCodes.INTERNAL_ERROR, 'the server sent an error that is not an object', error);
    }
    const code = Number.isInteger(error.code) ? error.code : ErrorCodes.INTERNAL_ERROR;
    const message = typeof error.message === 'string' ? error.message : 'Internal error';
    return new RpcError(code, message, error.data);
  }

  /**
   * Whether a thrown value is an RpcError, also one made by another copy of this module (a page
   * may load the client from two URLs).
   */
  static is(value) {
    return value instanceof RpcError
      || (value instanceof Error && value.name === 'RpcError' && Number.isInteger(value.code));
  }
}

/** The codes of JSON-RPC 2.0 and of busrpc (docs/PROTOCOL.md, section "Errors"). */
export const ErrorCodes = Object.freeze({
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** A call got no answer in time: the gateway's callTimeout, or the client's own timeout. */
  TIMEOUT: -32000,
  NOT_LOGGED_IN: -32001,
  FORBIDDEN: -32002,
  /** The other side is not connected; the client uses it for calls made or pending while its connection is down. */
  CLIENT_OFFLINE: -32003,
  TOO_MANY_PENDING_CALLS: -32004,
  FRAME_TOO_LARGE: -32005,
  SERVER_SHUTTING_DOWN: -32006,
  LOGIN_FAILED: -32007,
  BATCH_TOO_LARGE: -32008,
  TOO_MANY_CONNECTIONS: -32009,
  SESSION_EXPIRED: -32010,
  TOO_MANY_GROUPS: -32011,
  HANDLER_NODE_LEFT: -32012,
  RESERVED_CLIENT_ERROR: -32013,
});
