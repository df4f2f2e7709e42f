// The client's options: their defaults and their checks.

/** The options a client takes when they are not given. */
export const DEFAULT_OPTIONS = Object.freeze({
  /** How long a call may wait for its answer, in ms (the gateway's own default callTimeout). */
  callTimeout: 30000,
  /** How long opening the WebSocket may take, in ms. */
  connectTimeout: 10000,
  /** Whether to reconnect (and log in again) after the connection drops. */
  reconnect: true,
  /** The first reconnection step, in ms; it doubles after each attempt. */
  reconnectInitialDelay: 100,
  /** The longest reconnection step, in ms. */
  reconnectMaxDelay: 5000,
  /**
   * Whether login asks for a resumable session (PROTOCOL.md section 8): after a drop the client
   * reconnects (whatever `reconnect` says) and resumes, so that nothing is lost or seen twice.
   */
  resume: false,
});

/**
 * The options given, over the defaults, checked and frozen.
 * @throws {TypeError} naming the option that is out of range
 */
export function checkOptions(given) {
  const options = { ...DEFAULT_OPTIONS, ...given };
  for (const name of ['callTimeout', 'connectTimeout', 'reconnectInitialDelay', 'reconnectMaxDelay']) {
    const value = options[name];
    if (!(Number.isFinite(value) && value >= 1 && value <= 2147483647)) {
      throw new TypeError(`${name} must be a number of ms from 1 to 2147483647, was ${value}`);
    }
  }
  if (options.reconnectMaxDelay < options.reconnectInitialDelay) {
    throw new TypeError('reconnectMaxDelay must not be below reconnectInitialDelay');
  }
  options.reconnect = Boolean(options.reconnect);
  options.resume = Boolean(options.resume);
  return Object.freeze(options);
}
