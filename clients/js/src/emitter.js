/**
 * A minimal event emitter that works the same in browsers and Node (no dependency on Node's
 * EventEmitter). A listener that throws does not stop the others, nor the client: the exception is
 * reported asynchronously, as an uncaught error of the page or process.
 */
export class Emitter {
  #listeners = new Map();

  /** Adds a listener; returns a function that removes it. */
  on(event, listener) {
    if (typeof listener !== 'function') {
      throw new TypeError('listener must be a function');
    }
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener called at most once; returns a function that removes it. */
  once(event, listener) {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Removes a listener. */
  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  /** @returns whether any listener was called */
  emit(event, ...args) {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) {
      return false;
    }
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    return true;
  }
}
