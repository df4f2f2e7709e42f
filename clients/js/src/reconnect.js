// When to try again after the connection dropped: the attempts since the server last answered,
// each one's backoff delay and the timer that waits it out. What an attempt does (open a socket,
// resume or log in again) is the client's.
import { backoffDelay } from './backoff.js';

export class Reconnector {
  #limits;
  #announce;
  #random;
  /** Attempts since the server last answered a call: the backoff's step. */
  #attempts = 0;
  #timer = null;

  /**
   * @param {{initialDelay: number, maxDelay: number}} limits the backoff's, in ms
   * @param {(next: {attempt: number, delay: number}) => void} announce told of each attempt before its wait
   * @param {() => number} [random] the backoff's jitter, Math.random unless given (tests)
   */
  constructor(limits, announce, random = Math.random) {
    this.#limits = limits;
    this.#announce = announce;
    this.#random = random;
  }

  /** Attempts since the server last answered a call. */
  get attempts() {
    return this.#attempts;
  }

  /** Whether an attempt is waiting out its delay. */
  get waiting() {
    return this.#timer !== null;
  }

  /** Counts the next attempt, announces it and runs `attempt` after its delay. */
  schedule(attempt) {
    this.#attempts++;
    const delay = backoffDelay(this.#attempts, this.#limits, this.#random);
    this.#announce({ attempt: this.#attempts, delay });
    this.#timer = setTimeout(() => {
      this.#timer = null;
      attempt();
    }, delay);
  }

  /** Drops the attempt that waits, if any. */
  cancel() {
    clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The server answered: the connection works, so the next drop starts the backoff afresh. */
  answered() {
    this.#attempts = 0;
  }
}
