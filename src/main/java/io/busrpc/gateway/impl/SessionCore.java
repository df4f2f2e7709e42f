package io.busrpc.gateway.impl;

import io.busrpc.handler.Caller;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * The transport-neutral core of one client session. It ties together what a session is made of
 * (the {@link ClientInput} that answers the client's messages through the {@link Dispatcher}, its
 * {@link InFlight} calls, its {@link Logins}, the server's {@link OutboundCalls} to it, its
 * {@link Session} on the bus, its {@link TimeLimits}, the {@link ClientOutput} everything to the
 * client goes through) and drives them from what its {@link Connection} reports: it stops reading
 * while too many calls are in flight, and closes when told or when a limit is passed.
 *
 * <p>A session ends with its connection, unless its client asked for resume ({@link SessionResume}):
 * then a dropped connection leaves it waiting for its client for {@code resumeWindow} ms, and a
 * client that comes back on a new connection ({@link ResumeAttempt}) gets it back. Ending it
 * releases all of it.
 */
final class SessionCore implements Dispatcher.Owner, ClientInput.Owner {

  private static final Logger log = LoggerFactory.getLogger(SessionCore.class);

  private final String id;
  private final GatewayServices services;
  private final Consumer<SessionCore> onClose;
  private final Context context;
  private final ClientOutput output;
  private final OutboundCalls outbound;
  private final Session session;
  private final SessionResume resume;
  private final Logins logins;
  private final InFlight inFlight;
  private final ClientInput input;
  private final TimeLimits limits;
  // The address whose place in the connection limits this session holds.
  private String countedHost;
  private ResumeAttempt resumeAttempt;
  // Reading waits for the login with the credentials the client connected with.
  private boolean loggingIn;
  private boolean inputEnded;
  private boolean shuttingDown;
  // The gateway closes the connection for good: the session ends with it, resumable or not.
  private boolean ending;

  SessionCore(String id, SessionTransport transport, GatewayServices services, Consumer<SessionCore> onClose) {
    this.id = id;
    this.services = services;
    this.onClose = onClose;
    this.context = services.vertx.getOrCreateContext();
    this.countedHost = transport.remoteHost();
    this.output = new ClientOutput(services, id, this::endSession);
    this.outbound = new OutboundCalls(json -> output.send(json, true, true), json -> output.write(json, true), this::end,
      services.options.getMaxPendingClientCalls());
    this.session = new Session(services, id, outbound);
    this.resume = new SessionResume(services, this, output);
    this.logins = new Logins(services, session, id, transport.remoteAddress(), resume);
    this.inFlight = new InFlight(services.options.getMaxInFlight(), this::inFlightChanged);
    this.input = new ClientInput(new Dispatcher(services, this, inFlight), inFlight, outbound, output, this);
    this.limits = new TimeLimits(services, id, output, outbound, resume, () -> caller().loggedIn(),
      () -> inFlight.count() > 0 || input.unanswered() > 0, this::closeFor, this::endSession);
    output.connection(new Connection(transport, services, this, true, false));
    transport.start(output.connection());
    JsonObject credentials = transport.credentials();
    if (credentials != null) {
      loginOnOpen(credentials);
    }
  }

  /** Logs in with the credentials the client connected with; reads nothing before that login is done. */
  private void loginOnOpen(JsonObject credentials) {
    loggingIn = true;
    output.connection().updateReading();
    logins.login(credentials.toBuffer()).onComplete(ar -> {
      loggingIn = false;
      if (ar.failed()) {
        output.write(JsonRpcWriter.error(null, Forwarder.toRpcException(ar.cause())), false);
        end();
      } else if (output.connection() != null) {
        output.connection().updateReading();
      }
    });
  }

  String id() {
    return id;
  }

  Context context() {
    return context;
  }

  GatewayServices services() {
    return services;
  }

  /** @return who this session's calls come from */
  @Override
  public Caller caller() {
    return logins.caller();
  }

  /** Closes the connection and ends the session; pending answers, and whatever the client has not read yet, are dropped. */
  public Future<Void> close() {
    ending = true;
    Connection connection = output.connection();
    if (connection == null) {
      endSession();
      return Future.succeededFuture();
    }
    return connection.abort();
  }

  /** @return true when {@code connection} is the session's: what older connections report is ignored */
  boolean uses(Connection connection) {
    return connection == output.connection() && !output.closed();
  }

  /** One JSON text from the client on {@code from}; {@code first} when it is the connection's first. */
  void frame(Connection from, Buffer json, boolean first) {
    input.frame(from, json, first);
  }

  @Override
  public void resume(Connection from, JsonRpcMessage request) {
    resumeAttempt = new ResumeAttempt(this, from, request);
    resumeAttempt.start();
  }

  @Override
  public void allAnswered() {
    if (shuttingDown) {
      end();
    } else if (inputEnded) {
      inputDone();
    }
  }

  /**
   * The client sent its last byte and has all its answers: the connection closes. For a resumable
   * session that is a drop like any other (a phone's system closes the sockets of an app it puts to
   * sleep); any other session ends.
   */
  private void inputDone() {
    if (output.resumable()) {
      if (output.connection() != null) {
        output.connection().end();
      }
    } else {
      end();
    }
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

  /** @return true once the gateway has begun to close the session for good (replaced, logged out, shutting down...) */
  boolean ending() {
    return ending;
  }

  /** @return the session's resume side, for {@link ResumeAttempt} */
  SessionResume resumeSide() {
    return resume;
  }

  /**
   * The client resumed on {@code resumed}: the session uses it from now on, and holds the new
   * connection's place in the connection limits instead of the old one's. An old connection still
   * held (half-open) is closed.
   */
  void attach(Connection resumed, String host) {
    Connection old = output.connection();
    if (old != null) {
      old.disown();
      old.abort();
    }
    releasePlace();
    countedHost = host;
    output.connection(resumed);
    inputEnded = false;
    log.debug("Session {} of uid {} resumed from {}", id, caller().uid(), resumed.transport().remoteAddress());
  }

  /** The connection's client resumed another session: this one, which never had one, is gone. */
  void handedOver() {
    output.close();
    output.connection(null);
    onClose.accept(this);
  }

  /** A resume attempt on this connection is over; reading goes on. */
  void resumeFailed(Connection from) {
    resumeAttempt = null;
    if (from.isClosed()) {
      closed(from);
    } else {
      from.updateReading();
    }
  }

  void protocolError(Connection from, Buffer answer) {
    if (answer != null) {
      output.write(answer, false);
    }
    end(); // the answer above is flushed, then the connection closes
  }

  /** The connection's outbox passed {@code maxOutboundBytes}: a resumable session waits for its client, others end. */
  void overflowed(Connection from) {
    log.info("Closing {}: it does not read, {} bytes are queued for it (maxOutboundBytes {})",
      id, from.outbox().queued(), services.options.getMaxOutboundBytes());
    ending |= !output.resumable();
  }

  /** Closes the connection once everything sent so far is written; the session ends with it. */
  private void end() {
    ending = true;
    Connection connection = output.connection();
    if (connection == null) {
      endSession();
    } else {
      connection.end();
    }
  }

  /** Applies the time limits, called periodically by the acceptor: see {@link TimeLimits}. */
  void sweep(long now) {
    limits.sweep(now);
  }

  /** Closes the connection; only a ping left unanswered is a drop that a resumable session outlives. */
  private void closeFor(Connection from, String reason) {
    if (from == output.connection() && !from.isClosed()) {
      log.debug("Closing {}: {}", id, reason);
      ending |= !Deadlines.NO_PING_ANSWER.equals(reason);
      from.abort(); // a client closed for being slow or silent may not read what is still queued for it
    }
  }

  /**
   * The gateway is stopping: tell the client, refuse new calls, stop being reachable, and close once
   * the calls in flight are answered (the server closes what is left after the grace period).
   */
  void shuttingDown(Connection from) {
    shuttingDown = true;
    session.unbind();
    output.send(JsonRpcWriter.request(null, "rpc.shutdown", new JsonObject().put("reason", "server shutting down")
      .put("gracePeriod", services.options.getShutdownGracePeriod()).toBuffer()), false, false);
    if (input.unanswered() == 0) {
      end();
    }
  }

  /** The client sent its last byte: close once the calls it made are answered. */
  void inputEnded(Connection from) {
    inputEnded = true;
    if (input.unanswered() == 0) {
      inputDone();
    }
  }

  /** A call started and filled the in-flight slots, or one ended: perhaps pause or resume reading. */
  private void inFlightChanged() {
    Connection connection = output.connection();
    if (connection != null && (connection.paused() || inFlight.full())) {
      connection.updateReading();
    }
  }

  /** @return true while the session must not read: a login or resume is under way, or the in-flight slots are full */
  boolean holdsReading() {
    return loggingIn || resumeAttempt != null || inFlight.full();
  }

  /** The connection closed: a resumable session waits for its client, any other ends. */
  void closed(Connection from) {
    if (from != output.connection() || resumeAttempt != null) {
      return; // an older connection of a resumed session, or a resume attempt that will see it
    }
    output.connection(null);
    inputEnded = false;
    if (!ending && !output.closed() && output.resumable()) {
      resume.detached(System.nanoTime());
      log.debug("Connection {} dropped; its session waits {} ms for the client", id, services.options.getResumeWindow());
      return;
    }
    endSession();
  }

  private void releasePlace() {
    if (countedHost != null) {
      services.counts.release(countedHost);
      countedHost = null;
    }
  }

  /** Ends the session: nothing more is sent, the uid is given up, calls waiting for the client fail. */
  void endSession() {
    if (output.closed()) {
      return;
    }
    output.close();
    Connection current = output.connection();
    output.connection(null);
    if (current != null && !current.isClosed()) {
      current.disown();
      current.abort();
    }
    resume.drop();
    releasePlace();
    logins.closed();
    session.close();
    outbound.offline();
    onClose.accept(this);
  }
}
