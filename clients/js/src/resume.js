// The client's half of a resumable session (docs/PROTOCOL.md, section 8): the token, the counts of
// counted messages sent and received, copies of the sent ones the gateway has not acknowledged, and
// the timer that acknowledges what was received; and the rpc.resume that takes a session back after
// a drop. No I/O of their own: the functions they are given send.
import * as messages from './messages.js';
import { localError } from './pending.js';
import { ErrorCodes, RpcError } from './rpc-error.js';

/** How long the client waits before acknowledging: batches acks, well within the protocol's second. */
export const ACK_DELAY = 200;

/** The id of rpc.resume: never one of the numbered calls. */
export const RESUME_ID = 'resume';

/**
 * Whether a JSON text from the gateway counts: all but a single `rpc.ack` or `rpc.shutdown`
 * notification or `rpc.ping` call (the answer to rpc.resume, the only other uncounted one, is known by its id).
 */
export function counts(text, received) {
  if (received.length !== 1 || text.trimStart().startsWith('[')) {
    return true;
  }
  const { kind, message } = received[0];
  return !((kind === 'notification' && (message.method === 'rpc.ack' || message.method === 'rpc.shutdown'))
    || (kind === 'call' && message.method === 'rpc.ping'));
}

export class ResumeSession {
  #sendAck;
  #token = null;
  #window = 0;
  #sent = 0;
  #received = 0;
  #ackedReceived = 0;
  /** {seq, text} of the counted messages sent and not acknowledged yet, oldest first. */
  #copies = [];
  #ackTimer = null;
  /** When the connection that carried the session dropped (Date.now()), 0 while one carries it. */
  #droppedAt = 0;

  /** @param sendAck sends rpc.ack with the count given, if the connection can take it now */
  constructor(sendAck) {
    this.#sendAck = sendAck;
  }

  /** Whether a session can be resumed (a token is held). */
  get active() {
    return this.#token !== null;
  }

  get token() {
    return this.#token;
  }

  get received() {
    return this.#received;
  }

  /** Starts counting from zero: the login answer carried the token and the gateway's window in ms. */
  start(token, window) {
    this.end();
    this.#token = token;
    this.#window = Number(window) || 0;
  }

  /** Forgets the session: nothing can be resumed anymore. */
  end() {
    this.#token = null;
    this.#sent = 0;
    this.#received = 0;
    this.#ackedReceived = 0;
    this.#copies = [];
    this.#droppedAt = 0;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = null;
  }

  /** A resume succeeded: the gateway gave the next token. */
  renew(token) {
    this.#token = token;
    this.#droppedAt = 0;
  }

  /** Counts a message the client sends and keeps it until the gateway acknowledges it. */
  sending(text) {
    this.#copies.push({ seq: ++this.#sent, text });
  }

  /** The gateway has `seq` of the client's messages: their copies go. */
  acknowledged(seq) {
    let drop = 0;
    while (drop < this.#copies.length && this.#copies[drop].seq <= seq) {
      drop++;
    }
    this.#copies.splice(0, drop);
  }

  /** The copies after `seq`, in order: what the gateway lacks after a resume. */
  after(seq) {
    this.acknowledged(seq);
    return this.#copies.map((copy) => copy.text);
  }

  /** Counts a counted message from the gateway and makes sure an ack follows. */
  receivedOne() {
    this.#received++;
    this.ackSoon();
  }

  /** Acknowledges within ACK_DELAY whatever is not acknowledged yet (also after a resume). */
  ackSoon() {
    if (this.#ackTimer === null && this.#received > this.#ackedReceived) {
      this.#ackTimer = setTimeout(() => {
        this.#ackTimer = null;
        this.#ackedReceived = this.#received;
        this.#sendAck(this.#received);
      }, ACK_DELAY);
    }
  }

  /** The connection dropped; failed attempts to come back since then do not move the moment. */
  dropped() {
    this.#droppedAt ||= Date.now();
  }

  /** Whether the gateway has given the session up by now: away longer than its window. */
  expired() {
    return this.#droppedAt !== 0 && this.#window > 0 && Date.now() - this.#droppedAt > this.#window;
  }
}

/**
 * One rpc.resume waiting for its answer. The client takes nothing else from the connection meanwhile
 * (the messages the gateway resends come after the answer, and they count).
 */
export class ResumeRequest {
  #session;
  #resend;
  #lost;
  #resolve;
  /** Resolves with true when the gateway took the session back, false when it did not. */
  resumed = new Promise((resolve) => {
    this.#resolve = resolve;
  });

  /**
   * @param {ResumeSession} session the session to take back
   * @param {(text: string) => void} resend sends a copy the gateway lacks, on the new connection
   * @param {(error: RpcError) => void} lost told when the gateway will not take the session back
   */
  constructor(session, resend, lost) {
    this.#session = session;
    this.#resend = resend;
    this.#lost = lost;
  }

  /** The rpc.resume request: the token and how many counted messages the client has received. */
  get text() {
    return JSON.stringify(messages.request('rpc.resume', { token: this.#session.token, seq: this.#session.received }, RESUME_ID));
  }

  /**
   * Takes rpc.resume's answer, or null when the connection dropped before it came (the same token
   * works again next time). On success each side resends what the other lacks: the client here,
   * before anything else goes out on the new connection.
   */
  settle(answer) {
    if (answer === null) {
      this.#resolve(false);
    } else if ('result' in answer && answer.result?.token) {
      this.#session.renew(answer.result.token);
      for (const text of this.#session.after(Number(answer.result.seq) || 0)) {
        this.#resend(text);
      }
      this.#session.ackSoon();
      this.#resolve(true);
    } else {
      this.#lost('error' in answer ? RpcError.fromJSON(answer.error) : localError(ErrorCodes.SESSION_EXPIRED, 'Session expired'));
      this.#resolve(false);
    }
  }
}
