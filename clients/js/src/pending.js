// The client's calls waiting for their answers, and the errors the client makes itself.
import { ErrorCodes, RpcError } from './rpc-error.js';

/** Errors this client made itself (a timeout, a drop), as opposed to ones the server answered. */
const localErrors = new WeakSet();

/** An RpcError the client makes itself. */
export function localError(code, message) {
  const error = new RpcError(code, message);
  localErrors.add(error);
  return error;
}

/** Whether `e` is an error the client made itself rather than one the server answered. */
export function isLocal(e) {
  return localErrors.has(e);
}

/** The calls waiting for their answers, each with a timer that fails it with -32000. */
export class PendingCalls {
  /** id → {resolve, reject, timer} */
  #calls = new Map();

  /** Waits for the answer to call `id`: `resolve` gets its result, `reject` its error, or -32000 after `timeout` ms. */
  add(id, timeout, resolve, reject) {
    const timer = setTimeout(() => {
      this.#calls.delete(id);
      reject(localError(ErrorCodes.TIMEOUT, `no answer within ${timeout} ms`));
    }, timeout);
    this.#calls.set(id, { resolve, reject, timer });
  }

  /** Forgets call `id` without settling it (it could not be sent). */
  remove(id) {
    const call = this.#calls.get(id);
    if (call) {
      clearTimeout(call.timer);
      this.#calls.delete(id);
    }
  }

  /** Settles the call a response answers; false when none waits for it (answered after its timeout, or id null). */
  settle(response) {
    const call = this.#calls.get(response.id);
    if (!call) {
      return false;
    }
    this.#calls.delete(response.id);
    clearTimeout(call.timer);
    if ('error' in response) {
      call.reject(RpcError.fromJSON(response.error));
    } else {
      call.resolve(response.result);
    }
    return true;
  }

  /** Fails every waiting call with -32003 and `why`. */
  failAll(why) {
    const waiting = [...this.#calls.values()];
    this.#calls.clear();
    for (const call of waiting) {
      clearTimeout(call.timer);
      call.reject(localError(ErrorCodes.CLIENT_OFFLINE, why));
    }
  }
}
