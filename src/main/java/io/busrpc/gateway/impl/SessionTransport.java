package io.busrpc.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.json.JsonObject;

/**
 * What the transport-neutral {@link SessionCore} needs from one client connection: a way to send
 * complete JSON texts, flow control, closing, and where the client is. Everything a session does
 * (parsing, batches, checks, dispatch, login, server→client calls, limits and timeouts) lives in the
 * core; a transport only moves JSON texts in and out (DESIGN §9).
 *
 * <p>How a new transport adapts (see {@link TcpTransport} for TCP):
 * <ol>
 *   <li>implement this interface over the connection (a socket, a WebSocket);</li>
 *   <li>hand the new transport to {@link ConnectionAcceptor#accept(SessionTransport)}, which applies
 *       the connection limits and creates the core; the core calls {@link #start(Receiver)} once;</li>
 *   <li>from then on report what happens on the connection to the {@link Receiver}: each complete
 *       JSON text ({@link Receiver#frame}), the arrival of bytes (for the idle and frame timeouts),
 *       a message the transport must refuse ({@link Receiver#protocolError}), the end of input, that
 *       the write queue drained, that the server is shutting down, and the close.</li>
 * </ol>
 * All methods are called on the connection's event loop, and the receiver must be called there too.
 */
public interface SessionTransport {

  /** @return the transport's name, a metrics label and a log word: {@code "tcp"}, {@code "ws"} */
  String name();

  /** @return the client's socket address, or null when the transport does not know it */
  SocketAddress peer();

  /** @return the client's address as {@code host:port}, as shown to handlers in {@code Caller} */
  default String remoteAddress() {
    return String.valueOf(peer());
  }

  /** @return the client's IP address, the key of the per-address connection limit */
  default String remoteHost() {
    return peer() == null ? "" : peer().host();
  }

  /**
   * Starts delivering what the client sends to {@code receiver}. Called once, by the core, before
   * anything else.
   */
  void start(Receiver receiver);

  /**
   * Queues one complete JSON text (a response, a batch of responses, a request or a notification)
   * as one message of this transport: TCP frames it in the client's framing, WebSocket sends a text
   * message. Nothing needs to leave before {@link #flush()}, so that the texts of one event-loop turn
   * can go out in one write. A transport that cannot send yet (TCP before the client's first byte
   * told its framing) drops the text and returns 0.
   *
   * @return the number of bytes the text takes on the wire
   */
  int write(Buffer json);

  /**
   * Sends what {@link #write} queued.
   *
   * @return completes once those bytes are handed to the operating system, fails if the connection
   *     closes first; the core counts them against {@code maxOutboundBytes} until then
   */
  Future<Void> flush();

  /** @return true while the connection's write queue is full: the core stops reading until {@link Receiver#writable()} */
  boolean writeQueueFull();

  /**
   * Stops delivering frames at once, also in the middle of what was already read, and stops reading
   * from the network: the client has enough calls in flight or does not read its answers.
   */
  void pause();

  /** Delivers the frames held back, then reads again unless the receiver paused the transport meanwhile. */
  void resume();

  /** Closes the connection once everything written so far is sent. */
  void end();

  /**
   * Closes the connection without sending what is still queued, for a client that does not read
   * (a graceful close would wait for it for ever).
   */
  Future<Void> abort();

  /**
   * @return login params the client gave when it connected, or null for none: a WebSocket's
   *     {@code access_token} query parameter, as {@code {"token": "<token>"}}. The core logs in with
   *     them before it reads the client's first message, like an {@code rpc.login} that is not
   *     answered; when they are refused, the client gets the login's error (with {@code id: null})
   *     and the connection closes.
   */
  default JsonObject credentials() {
    return null;
  }

  /**
   * @return true when the transport has a liveness check of its own ({@link #ping()}, e.g. WebSocket
   *     ping frames); false makes the core send JSON-RPC {@code rpc.ping} requests (TCP)
   */
  default boolean pingsItself() {
    return false;
  }

  /**
   * Sends the transport's own ping; only called when {@link #pingsItself()}.
   *
   * @return completes when the client answers; the core closes the connection when it has not
   *     completed within {@code pingTimeout}
   */
  default Future<Void> ping() {
    return Future.failedFuture(name() + " has no ping of its own");
  }

  /** What a transport reports to the core, on the connection's event loop. */
  interface Receiver {

    /**
     * Bytes arrived from the client.
     *
     * @param partialFrame true when part of a message is held that is not complete yet (TCP: the
     *                     frame timeout runs from the first such read); a transport that receives
     *                     whole messages passes false
     */
    void read(boolean partialFrame);

    /**
     * One complete JSON text from the client (a message or a batch, not yet parsed). The buffer may
     * be a slice of what the transport read: it is used before this method returns.
     */
    void frame(Buffer json);

    /**
     * The client sent something the transport cannot read past (a frame over the limit, a broken
     * header): the core sends {@code answer}, if not null, and closes the connection.
     */
    void protocolError(Buffer answer);

    /** The client will send nothing more (TCP half-close): close once its calls are answered. */
    void inputEnded();

    /** The write queue has room again. */
    void writable();

    /** The server is shutting down: tell the client, answer the calls in flight, then close. */
    void shuttingDown();

    /** The connection is closed; called once. */
    void closed();
  }
}
