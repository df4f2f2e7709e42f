package io.busrpc.gateway.impl;

import io.busrpc.handler.Caller;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * The transport-neutral core of one client connection. It ties together what a session is made of
 * (the {@link Dispatcher} that answers the client's messages, its {@link InFlight} calls, its
 * {@link Logins}, the server's {@link OutboundCalls} to it, its {@link Session} on the bus, its
 * {@link Deadlines} and its bounded {@link Outbox}) and drives them from what its
 * {@link SessionTransport} reports: it answers each JSON text, stops reading while too many calls
 * are in flight or the transport cannot take more writes, and closes when told or when a limit is
 * passed. Closing it releases all of it.
 */
final class SessionCore implements SessionTransport.Receiver, Dispatcher.Owner {

  private static final Logger log = LoggerFactory.getLogger(SessionCore.class);

  private final String id;
  private final SessionTransport transport;
  private final GatewayServices services;
  private final Consumer<SessionCore> onClose;
  private final Deadlines deadlines;
  private final Outbox outbox;
  private final OutboundCalls outbound;
  private final Session session;
  private final Logins logins;
  private final InFlight inFlight;
  private final Dispatcher dispatcher;
  private final Liveness liveness;
  private int unanswered;
  private boolean paused;
  // Reading waits for the login with the credentials the client connected with.
  private boolean loggingIn;
  private boolean inputEnded;
  private boolean shuttingDown;
  private boolean closed;

  SessionCore(String id, SessionTransport transport, GatewayServices services, Consumer<SessionCore> onClose) {
    this.id = id;
    this.transport = transport;
    this.services = services;
    this.onClose = onClose;
    services.metrics.transport(transport.name()).connections(1);
    this.deadlines = new Deadlines(services.options, services.loginRequired(), System.nanoTime());
    this.outbox = new Outbox(transport, services.vertx.getOrCreateContext(), services.metrics,
      services.options.getMaxOutboundBytes(), this::overflowed, this::updateReading);
    this.outbound = new OutboundCalls(this::sendRequest, this::end, services.options.getMaxPendingClientCalls());
    this.session = new Session(services, id, outbound);
    this.logins = new Logins(services, session, id, transport.remoteAddress());
    this.inFlight = new InFlight(services.options.getMaxInFlight(), this::inFlightChanged);
    this.dispatcher = new Dispatcher(services, this, inFlight);
    this.liveness = new Liveness(transport, outbound, deadlines, services.options.getPingTimeout(), this::closeFor);
    transport.start(this);
    JsonObject credentials = transport.credentials();
    if (credentials != null) {
      loginOnOpen(credentials);
    }
  }

  /** Logs in with the credentials the client connected with; reads nothing before that login is done. */
  private void loginOnOpen(JsonObject credentials) {
    loggingIn = true;
    updateReading();
    logins.login(credentials.toBuffer()).onComplete(ar -> {
      loggingIn = false;
      if (ar.failed()) {
        send(JsonRpcWriter.error(null, Forwarder.toRpcException(ar.cause())));
        end();
      } else {
        updateReading();
      }
    });
  }

  /** @return the client's IP address */
  String remoteHost() {
    return transport.remoteHost();
  }

  /** @return who this connection's calls come from */
  @Override
  public Caller caller() {
    return logins.caller();
  }

  /** Closes the connection; pending answers, and whatever the client has not read yet, are dropped. */
  public Future<Void> close() {
    return abort();
  }

  @Override
  public void read(boolean partialFrame) {
    deadlines.read(System.nanoTime(), partialFrame);
  }

  @Override
  public void frame(Buffer json) {
    deadlines.frame(System.nanoTime());
    Future<Buffer> answer = dispatcher.handle(json);
    if (answer != null) {
      answerLater(answer);
    }
  }

  /** Writes an answer once it is ready; a client that stopped sending is closed after its last answer. */
  private void answerLater(Future<Buffer> answer) {
    if (answer.isComplete()) {
      send(answer.result());
      return;
    }
    unanswered++;
    answer.onSuccess(json -> {
      send(json);
      if (--unanswered == 0 && (inputEnded || shuttingDown)) {
        end();
      }
    });
  }

  @Override
  public boolean stopping() {
    return shuttingDown;
  }

  @Override
  public Future<Buffer> login(Buffer params) {
    return logins.login(params);
  }

  @Override
  public Future<Buffer> logout() {
    return logins.logout();
  }

  @Override
  public void response(JsonRpcMessage response) {
    outbound.onResponse(response);
  }

  /** A newer login of {@code uid} takes it over: see {@link Session#stepDown(String)}. */
  Future<Void> stepDown(String uid) {
    return session.stepDown(uid);
  }

  @Override
  public void protocolError(Buffer answer) {
    if (answer != null) {
      send(answer);
    }
    end(); // the answer above is flushed, then the connection closes
  }

  /**
   * Writes one JSON text to the client. While calls are in flight, what one event-loop turn
   * produces is gathered into one write.
   */
  private void send(Buffer json) {
    if (closed) {
      return;
    }
    outbox.send(json, inFlight.count() > 0);
  }

  /**
   * Writes a request or notification of the server to the client. Server code's calls come in
   * bursts, one bus message each: the requests of one event-loop turn are gathered into one write.
   */
  private void sendRequest(Buffer json) {
    if (!closed) {
      outbox.send(json, true);
    }
  }

  /**
   * More is queued for the client than {@code maxOutboundBytes}: it does not read. Closed at once,
   * dropping what is queued; a graceful close would wait for those bytes to be read, which they
   * never are.
   */
  private void overflowed() {
    services.metrics.closed("outbound_full");
    log.info("Closing {} from {}: it does not read, {} bytes are queued for it (maxOutboundBytes {})",
      id, transport.remoteAddress(), outbox.queued(), services.options.getMaxOutboundBytes());
    abort();
  }

  /** Closes the connection without flushing what is still queued for the client. */
  private Future<Void> abort() {
    return transport.abort();
  }

  /** Closes the connection once everything sent so far is written. */
  private void end() {
    outbox.flush();
    deadlines.ended(System.nanoTime());
    transport.end();
  }

  /**
   * Applies the time limits (see {@link Deadlines#check}), called periodically by the acceptor; a
   * refused connection that sends nothing is closed after a while.
   */
  void sweep(long now) {
    if (closed) {
      return;
    }
    if (deadlines.endOverdue(now)) {
      closeFor("it did not read its last messages within " + services.options.getPingTimeout() + " ms");
      return;
    }
    outbound.sweep(now);
    Deadlines.Verdict verdict = deadlines.check(now, paused, caller().loggedIn(), inFlight.count() > 0 || unanswered > 0);
    if (verdict.closeReason() != null) {
      closeFor(verdict.closeReason());
    } else if (verdict.ping()) {
      liveness.ping(now);
    }
  }

  private void closeFor(String reason) {
    if (!closed) {
      log.debug("Closing {}: {}", id, reason);
      abort(); // a client closed for being slow or silent may not read what is still queued for it
    }
  }

  /**
   * The gateway is stopping: tell the client, refuse new calls, stop being reachable, and close once
   * the calls in flight are answered (the server closes what is left after the grace period).
   */
  @Override
  public void shuttingDown() {
    shuttingDown = true;
    session.unbind();
    send(JsonRpcWriter.request(null, "rpc.shutdown", new JsonObject().put("reason", "server shutting down")
      .put("gracePeriod", services.options.getShutdownGracePeriod()).toBuffer()));
    if (unanswered == 0) {
      end();
    }
  }

  /** The client sent its last byte: close once the calls it made are answered. */
  @Override
  public void inputEnded() {
    inputEnded = true;
    if (unanswered == 0) {
      end();
    }
  }

  /** A call started and filled the in-flight slots, or one ended: perhaps pause or resume reading. */
  private void inFlightChanged() {
    if (paused || inFlight.full()) {
      updateReading();
    }
  }

  /**
   * Reads only while there is room for calls and for their answers. The transport stops at once, in
   * the middle of what it read if need be, so at most {@code maxInFlight} calls are ever in flight.
   */
  private void updateReading() {
    boolean shouldPause = !closed && (loggingIn || inFlight.full() || transport.writeQueueFull());
    if (shouldPause == paused) {
      return;
    }
    paused = shouldPause;
    if (paused) {
      transport.pause();
    } else {
      transport.resume(); // may pause again, with frames that were held back
    }
  }

  @Override
  public void writable() {
    updateReading();
  }

  @Override
  public void closed() {
    closed = true;
    outbox.close();
    services.metrics.transport(transport.name()).connections(-1);
    logins.closed();
    session.close();
    outbound.offline();
    onClose.accept(this);
  }
}
