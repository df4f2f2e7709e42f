// The busrpc client: JSON-RPC 2.0 over one WebSocket, both directions (docs/PROTOCOL.md).
import { Emitter } from './emitter.js';
import { Handlers } from './handlers.js';
import * as messages from './messages.js';
import { checkOptions } from './options.js';
import { isLocal, localError, PendingCalls } from './pending.js';
import { Reconnector } from './reconnect.js';
import { counts, RESUME_ID, ResumeRequest, ResumeSession } from './resume.js';
import { ErrorCodes, RpcError } from './rpc-error.js';
import { openSocket } from './socket.js';

export { DEFAULT_OPTIONS } from './options.js';

const OPEN = 1; // WebSocket.OPEN, the same in browsers and in the ws package

/**
 * Opens a client on `url` (`ws://host:port/rpc` or `wss://...`).
 * @returns {Promise<BusRpcClient>} once the WebSocket is open; rejects with an RpcError (-32003)
 *   when it cannot be opened
 */
export async function connect(url, options = {}) {
  const client = new BusRpcClient(url, options);
  await client.open();
  return client;
}

/**
 * A connection to a busrpc gateway that calls its methods and answers the calls it makes.
 *
 * Events (`on(event, listener)`):
 * - `open` — a WebSocket opened (the first one and each reconnection, before the re-login)
 * - `close` `{code, reason, replaced, willReconnect}` — the connection closed; pending calls have
 *   failed with -32003 just before
 * - `reconnecting` `{attempt, delay}` — the next attempt starts in `delay` ms
 * - `reconnect` `{attempts, login, loginError, resumed}` — reconnected and, if the client was logged
 *   in, logged in again with the same params (`login` is the result, `loginError` the RpcError if
 *   that failed), or with `resume` on, `resumed: true` when the session was taken back; calls work
 *   again from here
 * - `sessionlost` `{error}` — with `resume` on, the session could not be resumed (mostly -32010
 *   "Session expired"): what was sent to the client meanwhile is lost, the calls that waited for
 *   answers have failed with -32003, and a fresh login follows (the `reconnect` event tells)
 * - `notification` `{method, params}` — a notification from the server (not `rpc.*`)
 * - `replaced` `{reason}` — a newer login of the same uid took over; the client does not reconnect
 * - `shutdown` `{reason, gracePeriod}` — the gateway is stopping; the client reconnects afterwards
 * - `error` `Error` — something the client could not hand to a caller: a registered function that
 *   threw something other than an RpcError, a message from the server that is not JSON-RPC, an
 *   error the server answered with id null
 */
export class BusRpcClient extends Emitter {
  #url;
  #options;
  /** The open WebSocket, or null while not connected. */
  #socket = null;
  /** Whether callers may use the connection: open and, after a reconnect, logged in again. */
  #ready = false;
  #nextId = 1;
  #pending = new PendingCalls();
  #handlers = new Handlers();
  /** The params of the last successful login, for the login after a reconnect; undefined when logged out. */
  #loginParams;
  #closedByUser = false;
  #replaced = false;
  #reconnector;
  #session = new ResumeSession((seq) => this.#sendUncounted(messages.request('rpc.ack', { seq })));
  /** The login that asked for resume, waiting for its answer, or null. */
  #resumeLoginId = null;
  /** What callers sent while that login waits: it goes out, counted, after the answer. */
  #held = null;
  /** The rpc.resume waiting for its answer, or null. */
  #resumeRequest = null;

  constructor(url, options = {}) {
    super();
    this.#url = String(url);
    this.#options = checkOptions(options);
    this.#reconnector = new Reconnector(
      { initialDelay: this.#options.reconnectInitialDelay, maxDelay: this.#options.reconnectMaxDelay },
      (next) => this.emit('reconnecting', next));
  }

  /** The URL the client connects to. */
  get url() {
    return this.#url;
  }

  /** Whether calls can be made now. */
  get connected() {
    return this.#ready;
  }

  /** Opens the connection (connect() does it); after close() it opens a new one. */
  async open() {
    if (this.#socket || this.#reconnector.waiting) {
      throw new Error('the client is open already');
    }
    this.#closedByUser = false;
    const ws = await openSocket(this.#url, this.#options);
    this.#attach(ws);
    this.#ready = true;
  }

  /**
   * Calls a method of the server.
   * @param {string} method
   * @param {Array|Object} [params] positional (array) or named (object); left out when undefined
   * @param {{timeout?: number}} [options] ms to wait for the answer; the client's callTimeout by default
   * @returns {Promise<*>} the result; rejects with an RpcError: the server's error, -32000 when no
   *   answer came in time, -32003 when the client is not connected or the connection closed first
   */
  call(method, params, { timeout = this.#options.callTimeout } = {}) {
    return this.#request(method, params, timeout, false);
  }

  /**
   * Sends a notification (no answer; the server answers none, not even errors).
   * @returns {Promise<void>} once handed to the WebSocket; rejects with -32003 when not connected
   */
  notify(method, params) {
    return new Promise((resolve) => {
      this.#send(JSON.stringify(messages.request(method, params)), false);
      resolve();
    });
  }

  /**
   * Logs in with `rpc.login`. After a reconnect the client logs in again with the same params.
   * @returns {Promise<{uid: string, roles: string[], connection: string}>}
   */
  async login(params = {}) {
    try {
      const result = await this.#login(params, false);
      this.#loginParams = JSON.parse(JSON.stringify(params));
      return result;
    } catch (e) {
      // The gateway refused it, which also leaves the connection logged out; a drop or a timeout
      // says nothing of the last login, which the next reconnect repeats.
      if (!isLocal(e)) {
        this.#loginParams = undefined;
      }
      throw e;
    }
  }

  /** Logs out with `rpc.logout`; the connection stays open, and is not logged in after a reconnect. */
  async logout() {
    this.#loginParams = undefined;
    this.#session.end();
    await this.#request('rpc.logout', undefined, this.#options.callTimeout, false);
  }

  /**
   * Serves the server's calls (and notifications) of `method`: `fn(params, {method})` returns the
   * result or a Promise of it. Throwing an RpcError answers with its code, message and data; any
   * other exception answers -32603 "Internal error" (and is emitted as `error`). Calls of methods
   * with no function get -32601. `fn` null removes the method.
   * @returns {BusRpcClient} this
   */
  register(method, fn) {
    this.#handlers.register(method, fn);
    return this;
  }

  /** Closes the connection for good (no reconnect); pending calls fail with -32003. */
  close() {
    this.#closedByUser = true;
    this.#ready = false;
    this.#reconnector.cancel();
    this.#session.end();
    const ws = this.#socket;
    if (!ws) {
      this.#pending.failAll('the client closed');
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.once('close', () => resolve());
      ws.close(1000, 'client closed');
    });
  }

  /** rpc.login, asking for resume when the options say so; nothing else goes out until its answer. */
  #login(params, internal) {
    if (!this.#options.resume) {
      return this.#request('rpc.login', params, this.#options.callTimeout, internal);
    }
    return this.#request('rpc.login', { ...params, resume: true }, this.#options.callTimeout, internal, (id) => {
      this.#resumeLoginId = id;
      this.#held = [];
    });
  }

  #request(method, params, timeout, internal, sent = () => {}) {
    return new Promise((resolve, reject) => {
      if (!(Number.isFinite(timeout) && timeout > 0 && timeout <= 2147483647)) {
        throw new TypeError(`timeout must be a number of ms from 1 to 2147483647, was ${timeout}`);
      }
      const id = this.#nextId++;
      const text = JSON.stringify(messages.request(method, params, id));
      this.#pending.add(id, timeout, resolve, reject);
      try {
        this.#send(text, internal);
        sent(id);
      } catch (e) {
        this.#pending.remove(id);
        throw e;
      }
    });
  }

  /**
   * Sends a message that counts (PROTOCOL.md section 8): held while a resumable login waits, kept
   * (and sent when the connection can take it) while the session is resumable.
   */
  #send(text, internal) {
    if (this.#held) {
      this.#usableSocket(true);
      this.#held.push(text);
    } else if (this.#session.active && !this.#closedByUser) {
      this.#session.sending(text);
      this.#sendUncounted(text);
    } else {
      this.#write(this.#usableSocket(internal), text);
    }
  }

  /** Sends if the connection can take it now (not while rpc.resume waits for its answer). */
  #sendUncounted(message) {
    const ws = this.#socket;
    if (ws && ws.readyState === OPEN && !this.#resumeRequest) {
      ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    }
  }

  /** The socket to write to; throws -32003 when there is none (or, for callers, until the re-login is done). */
  #usableSocket(internal) {
    const ws = this.#socket;
    if (!ws || !(internal || this.#ready) || ws.readyState !== OPEN) {
      throw localError(ErrorCodes.CLIENT_OFFLINE, 'not connected to the server');
    }
    return ws;
  }

  #write(ws, text) {
    if (ws.readyState !== OPEN) {
      throw localError(ErrorCodes.CLIENT_OFFLINE, 'not connected to the server');
    }
    ws.send(text);
  }

  #attach(ws) {
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (event) => this.#onText(ws, event.data);
    ws.onclose = (event) => this.#onClosed(ws, event);
    ws.onerror = () => {}; // the close event that follows says all there is to say
    this.#socket = ws;
    this.#replaced = false;
    this.emit('open');
  }

  #onText(ws, data) {
    if (typeof data !== 'string') {
      this.emit('error', new RpcError(ErrorCodes.INVALID_REQUEST, 'the server sent a binary message'));
      return;
    }
    let received;
    try {
      received = messages.parse(data);
    } catch (e) {
      this.emit('error', e);
      return;
    }
    if (this.#session.active && !this.#resumeRequest && counts(data, received)) {
      this.#session.receivedOne();
    }
    for (const { kind, message, problem } of received) {
      if (kind === 'response') {
        this.#onResponse(message);
      } else if (kind === 'call') {
        this.#serve(ws, message);
      } else if (kind === 'notification') {
        this.#onNotification(message);
      } else {
        this.emit('error', new RpcError(ErrorCodes.INVALID_REQUEST, `the server sent an invalid message: ${problem}`, message));
      }
    }
  }

  #onResponse(message) {
    if (message.id === RESUME_ID && this.#resumeRequest) {
      this.#answerResume(message);
      return;
    }
    if (message.id === this.#resumeLoginId && message.id !== null) {
      // Counting starts with this answer, if the gateway gave a token; what waited goes out now.
      const resume = message.result?.resume;
      const waiting = this.#held ?? [];
      this.#resumeLoginId = null;
      this.#held = null;
      if (resume?.token) {
        this.#session.start(resume.token, resume.window);
      }
      waiting.forEach((text) => this.#send(text, true));
    }
    if (this.#pending.settle(message)) {
      this.#reconnector.answered();
    } else if ('error' in message && message.id === null) {
      // Not an answer after its timeout: the gateway's answer to something it could not read.
      this.emit('error', RpcError.fromJSON(message.error));
    }
  }

  async #serve(ws, { method, params, id }) {
    let answer;
    try {
      answer = JSON.stringify(messages.result(id, await this.#handlers.invoke(method, params)));
    } catch (e) {
      if (!RpcError.is(e)) {
        this.emit('error', e);
      }
      answer = JSON.stringify(messages.error(id, messages.errorFor(e)));
    }
    if (method !== 'rpc.ping' && this.#session.active) {
      this.#send(answer, true); // counted, kept, resent after a resume if need be
    } else if (ws === this.#socket && ws.readyState === OPEN && !this.#resumeRequest) {
      // Answered on the connection that asked: after a drop the gateway has failed that call already.
      ws.send(answer);
    }
  }

  #onNotification({ method, params }) {
    if (method === 'rpc.replaced') {
      // A newer login of the uid took over; coming back would take the uid from it, and so on for ever.
      this.#replaced = true;
      this.emit('replaced', params);
      return;
    }
    if (method === 'rpc.shutdown') {
      this.emit('shutdown', params);
      return;
    }
    if (method === 'rpc.ack') {
      this.#session.acknowledged(Number(params?.seq) || 0);
      return;
    }
    if (method.startsWith('rpc.')) {
      return; // the gateway's own
    }
    this.emit('notification', { method, params });
    this.#handlers.notify(method, params, (e) => this.emit('error', e));
  }

  #onClosed(ws, event) {
    if (ws !== this.#socket) {
      return;
    }
    this.#socket = null;
    this.#ready = false;
    this.#held = null;
    this.#resumeLoginId = null;
    this.#answerResume(null);
    if (this.#session.active && !this.#closedByUser && !this.#replaced) {
      this.#session.dropped(); // the calls wait for their answers, which come after the resume
    } else {
      this.#session.end();
      this.#pending.failAll('the connection to the server closed');
    }
    const willReconnect = (this.#options.reconnect || this.#options.resume) && !this.#closedByUser && !this.#replaced;
    this.emit('close', { code: event.code, reason: event.reason, replaced: this.#replaced, willReconnect });
    if (willReconnect) {
      this.#scheduleReconnect();
    }
  }

  /** Asks the gateway to take the session back; true when it did (and each side resent what the other lacks). */
  async #resume(ws) {
    if (this.#session.expired()) {
      this.#sessionLost(localError(ErrorCodes.SESSION_EXPIRED, 'away longer than the resume window'));
      return false;
    }
    // Taken synchronously: the gateway's resent messages may follow in the same read, and they count.
    const request = new ResumeRequest(this.#session, (text) => ws.send(text), (error) => this.#sessionLost(error));
    this.#resumeRequest = request;
    ws.send(request.text);
    return (await request.resumed) && ws === this.#socket;
  }

  /** Ends the wait for rpc.resume's answer: `answer`, or null when the connection dropped first. */
  #answerResume(answer) {
    const request = this.#resumeRequest;
    this.#resumeRequest = null;
    request?.settle(answer);
  }

  /** The session cannot be resumed: the answers it waits for cannot come; a fresh login follows. */
  #sessionLost(error) {
    this.#session.end();
    const why = error.data === undefined ? error.message : `${error.message}: ${JSON.stringify(error.data)}`;
    this.#pending.failAll(`the session was lost (${why}); a fresh login follows`);
    this.emit('sessionlost', { error });
  }

  #scheduleReconnect() {
    this.#reconnector.schedule(() => this.#reconnect());
  }

  async #reconnect() {
    let ws;
    try {
      ws = await openSocket(this.#url, this.#options);
    } catch {
      if (!this.#closedByUser) {
        this.#scheduleReconnect();
      }
      return;
    }
    if (this.#closedByUser) {
      ws.close(1000, 'client closed');
      return;
    }
    const attempts = this.#reconnector.attempts;
    this.#attach(ws);
    if (this.#session.active) {
      if (await this.#resume(ws)) {
        this.#ready = true;
        this.emit('reconnect', { attempts, resumed: true });
        return;
      }
      if (ws !== this.#socket) {
        return; // dropped again during the resume: the next attempt tries again
      }
    }
    let login;
    let loginError;
    if (this.#loginParams !== undefined) {
      try {
        login = await this.#login(this.#loginParams, true);
      } catch (e) {
        loginError = e;
        if (!isLocal(e)) {
          this.#loginParams = undefined;
        }
      }
    }
    if (ws !== this.#socket) {
      return; // dropped again during the login: the next attempt logs in
    }
    this.#ready = true;
    this.emit('reconnect', { attempts, login, loginError });
  }
}
