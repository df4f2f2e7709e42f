// The functions the client serves to the server: its calls and its notifications.
import { ErrorCodes, RpcError } from './rpc-error.js';

/** Method → the function that serves it, `fn(params, {method})`. */
export class Handlers {
  #fns = new Map();

  /**
   * Registers `fn` for `method`; `fn` null or undefined removes it.
   * @throws {TypeError} when method is not a non-empty string or fn not a function
   */
  register(method, fn) {
    if (typeof method !== 'string' || method === '') {
      throw new TypeError('method must be a non-empty string');
    }
    if (fn === null || fn === undefined) {
      this.#fns.delete(method);
    } else if (typeof fn === 'function') {
      this.#fns.set(method, fn);
    } else {
      throw new TypeError('fn must be a function');
    }
  }

  /**
   * The result of a call of the server: `"pong"` for rpc.ping, else what the method's function returns.
   * @throws {RpcError} -32601 when no function serves the method; what the function throws
   */
  async invoke(method, params) {
    if (method === 'rpc.ping') {
      return 'pong';
    }
    const fn = this.#fns.get(method);
    if (!fn) {
      throw new RpcError(ErrorCodes.METHOD_NOT_FOUND, 'Method not found');
    }
    return fn(params, { method });
  }

  /** Hands a notification of the server to its function, if one is registered; what it throws goes to `onError`. */
  notify(method, params, onError) {
    const fn = this.#fns.get(method);
    if (fn) {
      Promise.resolve()
        .then(() => fn(params, { method }))
        .catch(onError);
    }
  }
}
