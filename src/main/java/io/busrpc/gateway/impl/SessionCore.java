package io.busrpc.gateway.impl;

import io.busrpc.handler.Caller;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * The transport-neutral core of one client session. It ties together what a session is made of
 * (the {@link ClientInput} that answers the client's messages through the {@link Dispatcher}, its
 * {@link InFlight} calls, its {@link Logins}, the server's {@link OutboundCalls} to it, its
 * {@link Session} on the bus, its {@link TimeLimits}, the {@link ClientOutput} everything to the
 * client goes through) and drives them from what its {@link Connection} reports: it stops reading
 * while a login or a resume is under way or too many calls are in flight. How the session ends, and
 * when it outlives its connection, is its {@link SessionEnd}'s to decide.
 *
 * <p>A client that asked for resume ({@link SessionResume}) and comes back on a new connection
 * ({@link ResumeAttempt}) gets its session back.
 */
final class SessionCore implements Dispatcher.Owner, ClientInput.Owner {

  private final String id;
  private final GatewayServices services;
  private final Context context;
  private final ClientOutput output;
  private final OutboundCalls outbound;
  private final Session session;
  private final SessionResume resume;
  private final Logins logins;
  private final InFlight inFlight;
  private final ClientInput input;
  private final SessionEnd end;
  private final TimeLimits limits;
  private ResumeAttempt resumeAttempt;
  // Reading waits for the login with the credentials the client connected with.
  private boolean loggingIn;

  SessionCore(String id, SessionTransport transport, GatewayServices services, Consumer<SessionCore> onClose) {
    this.id = id;
    this.services = services;
    this.context = services.vertx.getOrCreateContext();
    this.output = new ClientOutput(services, id, this::endSession);
    this.outbound = new OutboundCalls(json -> output.send(json, true, true), json -> output.write(json, true),
      this::endWhenWritten, services.options.getMaxPendingClientCalls());
    this.session = new Session(services, id, outbound);
    this.resume = new SessionResume(services, this, output);
    this.logins = new Logins(services, session, id, transport.remoteAddress(), resume);
    this.inFlight = new InFlight(services.options.getMaxInFlight(), this::inFlightChanged);
    this.input = new ClientInput(new Dispatcher(services, this, inFlight), inFlight, outbound, output, this);
    this.end = new SessionEnd(services, id, transport.remoteHost(), output, resume, logins, session, outbound,
      input::unanswered, () -> onClose.accept(this));
    this.limits = new TimeLimits(services, id, output, outbound, resume, () -> caller().loggedIn(),
      () -> inFlight.count() > 0 || input.unanswered() > 0, end::closeFor, end::endSession);
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
        end.end();
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
    return end.close();
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
    end.allAnswered();
  }

  @Override
  public boolean stopping() {
    return end.stopping();
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

  /** @return how the session ends, and when it outlives its connection */
  SessionEnd end() {
    return end;
  }

  /** @return the session's resume side, for {@link ResumeAttempt} */
  SessionResume resumeSide() {
    return resume;
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

  private void endSession() {
    end.endSession();
  }

  private void endWhenWritten() {
    end.end();
  }

  /** Applies the time limits, called periodically by the acceptor: see {@link TimeLimits}. */
  void sweep(long now) {
    limits.sweep(now);
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

  /** The connection closed: see {@link SessionEnd#closed()}. */
  void closed(Connection from) {
    if (from == output.connection() && resumeAttempt == null) {
      end.closed(); // not an older connection of a resumed session, nor a resume attempt that will see it
    }
  }
}
