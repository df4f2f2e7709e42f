package io.busrpc.gateway.impl;

import io.busrpc.gateway.auth.Identity;
import io.busrpc.handler.Caller;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The transport-neutral core of one client connection: the calls it has in flight, the server's
 * calls waiting for its answers, its login and its time limits. It takes complete JSON texts from
 * its {@link SessionTransport}, answers each request and stops reading while too many calls are in
 * flight or the transport cannot take more writes. Closing it releases all of it.
 */
final class SessionCore implements SessionTransport.Receiver {

  private static final Logger log = LoggerFactory.getLogger(SessionCore.class);
  private static final Buffer PONG = Buffer.buffer("\"pong\"");
  // A refused client that sends nothing is closed after this long (it gets an error if it sends).
  private static final long REFUSED_LINGER = 1_000_000_000L;

  private final SessionTransport transport;
  private final GatewayServices services;
  private final Consumer<SessionCore> onClose;
  private final OutboundCalls outbound;
  private final Session session;
  private final String id;
  private final String remoteAddress;
  private Caller caller;
  private int inFlight;
  private int unanswered;
  private boolean paused;
  private boolean inputShutdown;
  private boolean closed;
  private final RpcException refusal;
  private boolean refusalSent;
  private final Context context;
  private final Outbox outbox;
  // Logins and logouts of this connection, one after another: the last one queued.
  private Future<?> identityQueue = Future.succeededFuture();
  private final Deque<Runnable> waitingCalls = new ArrayDeque<>();
  private final Deadlines deadlines;
  private boolean shuttingDown;

  SessionCore(String id, SessionTransport transport, GatewayServices services, RpcException refusal,
              Consumer<SessionCore> onClose) {
    this.id = id;
    this.refusal = refusal;
    this.context = services.vertx.getOrCreateContext();
    if (refusal == null) {
      services.metrics.connections(1);
    } else {
      services.metrics.rejected("too_many_connections");
    }
    this.transport = transport;
    this.services = services;
    this.onClose = onClose;
    this.remoteAddress = transport.remoteAddress();
    this.caller = new Caller(id, remoteAddress, null, null);
    this.deadlines = new Deadlines(services.options, services.loginRequired(), System.nanoTime());
    this.outbox = new Outbox(transport, context, services.metrics, services.options.getMaxOutboundBytes(),
      this::overflowed, this::updateReading);
    this.outbound = new OutboundCalls(this::sendRequest, services.options.getMaxPendingClientCalls());
    this.session = new Session(services, id, outbound, this);
    transport.start(this);
  }

  /** @return the client's IP address */
  String remoteHost() {
    return transport.remoteHost();
  }

  @Override
  public void read(boolean partialFrame) {
    deadlines.read(System.nanoTime(), partialFrame);
  }

  /** @return who this connection's calls come from */
  public Caller caller() {
    return caller;
  }

  /** Closes the socket; pending answers, and whatever the client has not read yet, are dropped. */
  public Future<Void> close() {
    return abort();
  }

  @Override
  public void frame(Buffer frame) {
    deadlines.frame(System.nanoTime());
    if (refusal != null) {
      if (!refusalSent) { // one answer; what the client sends after it is ignored
        refusalSent = true;
        send(JsonRpcWriter.error(null, refusal));
        end();
      }
      return;
    }
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(frame);
    } catch (RpcException e) {
      send(error(null, ErrorCode.PARSE_ERROR, e.getMessage()));
      return;
    }
    if (!parsed.batch()) {
      Future<Buffer> answer = handleSafely(parsed.messages().get(0));
      if (answer != null) {
        answerLater(answer);
      }
      return;
    }
    int maxBatch = services.options.getMaxBatchSize();
    if (parsed.messages().size() > maxBatch) {
      send(JsonRpcWriter.error(null, new RpcException(ErrorCode.BATCH_TOO_LARGE,
        "Batch of " + parsed.messages().size() + " exceeds the maximum of " + maxBatch)));
      return;
    }
    List<Future<Buffer>> answers = new ArrayList<>(parsed.messages().size());
    for (JsonRpcMessage message : parsed.messages()) {
      Future<Buffer> answer = handleSafely(message);
      if (answer != null) {
        answers.add(answer);
      }
    }
    if (!answers.isEmpty()) {
      answerLater(Future.join(answers).map(all -> {
        List<Buffer> responses = new ArrayList<>(answers.size());
        answers.forEach(a -> responses.add(a.result()));
        return JsonRpcWriter.batch(responses);
      }));
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
      if (--unanswered == 0 && (inputShutdown || shuttingDown)) {
        end();
      }
    });
  }

  /**
   * One message's failure is that message's error answer: whatever throws while it is handled (a
   * bug, an authenticator that throws instead of failing its future), the messages after it in the
   * same packet are still handled and the connection stays open.
   */
  private Future<Buffer> handleSafely(JsonRpcMessage message) {
    try {
      return handle(message);
    } catch (RuntimeException e) {
      log.error("Handling a message of connection {} failed", id, e);
      services.metrics.error(ErrorCode.INTERNAL_ERROR.code());
      return message.kind() == JsonRpcMessage.Kind.REQUEST
        ? Future.succeededFuture(JsonRpcWriter.error(message.id(), new RpcException(ErrorCode.INTERNAL_ERROR))) : null;
    }
  }

  /** @return the encoded answer, which never fails, or {@code null} when the message gets none */
  private Future<Buffer> handle(JsonRpcMessage message) {
    switch (message.kind()) {
      case INVALID:
        return Future.succeededFuture(error(message.id(), ErrorCode.INVALID_REQUEST, message.problem()));
      case RESPONSE:
        outbound.onResponse(message);
        return null;
      case NOTIFICATION:
        if (!message.method().startsWith("rpc.") && mayCall(message.method())
          && services.isAllowed(message.method(), caller.roles()) && !shuttingDown) {
          notifyHandler(message.method(), message.params());
        }
        return null;
      default:
        return call(message);
    }
  }

  private Future<Buffer> call(JsonRpcMessage message) {
    Buffer id = message.id();
    String method = message.method();
    Future<Buffer> result;
    boolean forwarded = false; // forwarded calls count their errors with their latency
    if (shuttingDown) {
      result = Future.failedFuture(new RpcException(ErrorCode.SHUTTING_DOWN, "the server is shutting down"));
    } else if (method.startsWith("rpc.")) {
      result = reserved(method, message.params());
    } else if (!mayCall(method)) {
      result = Future.failedFuture(new RpcException(ErrorCode.NOT_LOGGED_IN, "log in with rpc.login to call " + method));
    } else if (!services.isAllowed(method, caller.roles())) {
      result = Future.failedFuture(new RpcException(ErrorCode.FORBIDDEN, "a role you do not have is needed to call " + method));
    } else {
      forwarded = true;
      result = inFlight < services.options.getMaxInFlight() ? forward(method, message.params()) : later(method, message.params());
    }
    boolean countedAlready = forwarded;
    return result.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(JsonRpcWriter.result(id, ar.result()));
      }
      RpcException error = Forwarder.toRpcException(ar.cause());
      if (!countedAlready) {
        services.metrics.error(error.code());
      }
      return Future.succeededFuture(JsonRpcWriter.error(id, error));
    });
  }

  private Future<Buffer> forward(String method, Buffer params) {
    callStarted();
    long started = System.nanoTime();
    return services.forwarder.call(method, params, caller).andThen(ar -> {
      services.metrics.call(method, System.nanoTime() - started,
        ar.succeeded() ? null : Forwarder.toRpcException(ar.cause()).code());
      callEnded();
    });
  }

  /**
   * Forwards a notification. It takes an in-flight slot until its handler is done with it, like a
   * call whose answer nobody reads, so a client that floods notifications is throttled as one that
   * floods calls is: the gateway stops reading it.
   */
  private void notifyHandler(String method, Buffer params) {
    Runnable forward = () -> {
      callStarted();
      services.forwarder.call(method, params, caller).onComplete(ar -> callEnded());
    };
    if (inFlight < services.options.getMaxInFlight()) {
      forward.run();
    } else {
      waitingCalls.add(forward); // a batch holding more than maxInFlight messages
    }
  }

  /**
   * Single calls never find the connection full (reading stops first), but the calls of one batch
   * arrive together: those past {@code maxInFlight} wait here until earlier calls are answered.
   */
  private Future<Buffer> later(String method, Buffer params) {
    Promise<Buffer> promise = Promise.promise();
    waitingCalls.add(() -> forward(method, params).onComplete(promise));
    return promise.future();
  }

  private boolean mayCall(String method) {
    return caller.loggedIn() || services.isPublic(method);
  }

  private Future<Buffer> reserved(String method, Buffer params) {
    return switch (method) {
      case "rpc.ping" -> Future.succeededFuture(PONG);
      case "rpc.login" -> login(params);
      case "rpc.discover" -> services.discovery.document(caller);
      case "rpc.logout" -> inTurn(() -> logout().map(Buffer.buffer("true")));
      default -> Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND.code(),
        ErrorCode.METHOD_NOT_FOUND.message(), "no reserved method " + method));
    };
  }

  private Future<Buffer> login(Buffer params) {
    JsonObject credentials;
    try {
      credentials = params == null ? new JsonObject() : new JsonObject(params);
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, "rpc.login takes an object of named params"));
    }
    return inTurn(() -> authenticate(credentials)
      .compose(identity -> session.bind(identity).transform(ar -> {
        if (ar.failed()) {
          // The uid held before, if any, was given up for this login.
          setCaller(new Caller(id, remoteAddress, null, null));
          return Future.failedFuture(ar.cause());
        }
        setCaller(new Caller(id, remoteAddress, identity.uid(), identity.roles()));
        log.debug("Connection {} logged in as {}", id, identity.uid());
        return Future.succeededFuture(loginResult(identity));
      })));
  }

  /** The authenticator's verdict; one that throws refuses this login only (-32603), nothing else. */
  private Future<Identity> authenticate(JsonObject credentials) {
    try {
      return services.authenticator.authenticate(credentials, remoteAddress);
    } catch (RuntimeException e) {
      log.error("The authenticator threw on a login of connection {}", id, e);
      return Future.failedFuture(new RpcException(ErrorCode.INTERNAL_ERROR));
    }
  }

  /**
   * Runs a login or logout once those queued before it are done, so that two of them (pipelined in
   * one packet, or sent before the first is answered) never interleave: each one finds the
   * connection bound to at most the uid the previous one left.
   */
  private <T> Future<T> inTurn(java.util.function.Supplier<Future<T>> step) {
    Future<T> result = identityQueue.transform(ar -> step.get());
    identityQueue = result;
    return result;
  }

  private Buffer loginResult(Identity identity) {
    return new JsonObject().put("uid", identity.uid()).put("roles", new JsonArray(new ArrayList<>(identity.roles())))
      .put("connection", id).toBuffer();
  }

  private Future<Void> logout() {
    setCaller(new Caller(id, remoteAddress, null, null));
    return session.unbind();
  }

  /** A newer login of {@code uid} takes it over: see {@link Session#stepDown(String)}. */
  Future<Void> stepDown(String uid) {
    return session.stepDown(uid);
  }

  /** Changes who the caller is, keeping the logged-in gauge right. */
  private void setCaller(Caller next) {
    if (next.loggedIn() != caller.loggedIn()) {
      services.metrics.loggedIn(next.loggedIn() ? 1 : -1);
    }
    caller = next;
  }

  /** An error with the standard message of its code and the reason as {@code data}. */
  private static Buffer error(Buffer id, ErrorCode code, String reason) {
    return JsonRpcWriter.error(id, new RpcException(code.code(), code.message(), reason));
  }

  @Override
  public void protocolError(Buffer answer) {
    if (answer != null) {
      send(answer);
    }
    end(); // the answer above is flushed, then the connection closes
  }

  /** Sends a notification, then closes the connection once it is written. */
  void notifyAndClose(String method, JsonObject params) {
    send(JsonRpcWriter.request(null, method, params.toBuffer()));
    end();
  }

  /**
   * Writes one JSON text to the client. While calls are in flight, what one event-loop turn
   * produces is gathered into one write.
   */
  void send(Buffer json) {
    if (closed) {
      return;
    }
    outbox.send(json, inFlight > 0);
  }

  /**
   * Writes a request of the server to the client. Server code's calls come in bursts, one bus
   * message each: the requests of one event-loop turn are gathered into one write.
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
      id, remoteAddress, outbox.queued(), services.options.getMaxOutboundBytes());
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
    if (refusal != null) {
      if (now - deadlines.openedAt() > REFUSED_LINGER) {
        transport.end();
      }
      return;
    }
    Deadlines.Verdict verdict = deadlines.check(now, paused, caller.loggedIn(), inFlight > 0 || unanswered > 0);
    if (verdict.closeReason() != null) {
      closeFor(verdict.closeReason());
    } else if (verdict.ping()) {
      ping(now);
    }
  }

  private void ping(long now) {
    deadlines.pingSent(now);
    Future<Void> answered = transport.pingsItself() ? transport.ping() : rpcPing();
    answered.onComplete(ar -> {
      deadlines.pingDone();
      // Only silence means dead: an error answer (-32601 from a peer without an rpc.ping handler,
      // as vscode-jsonrpc sends) proves the client is alive.
      if (ar.failed() && ar.cause() instanceof RpcException e && e.code() == ErrorCode.TIMEOUT.code()) {
        closeFor("no answer to ping");
      }
    });
  }

  /** A JSON-RPC ping; fails with the timeout code only when the client stays silent. */
  private Future<Void> rpcPing() {
    return outbound.call("rpc.ping", null, services.options.getPingTimeout()).mapEmpty();
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

  private void callStarted() {
    if (++inFlight >= services.options.getMaxInFlight()) {
      updateReading();
    }
  }

  private void callEnded() {
    inFlight--;
    Runnable next = waitingCalls.poll();
    if (next != null) {
      next.run();
    }
    if (paused) {
      updateReading();
    }
  }

  /** The client sent its last byte: close once the calls it made are answered. */
  @Override
  public void inputEnded() {
    inputShutdown = true;
    if (unanswered == 0) {
      end();
    }
  }

  /**
   * Reads only while there is room for calls and for their answers. The decoder stops at once, in
   * the middle of a chunk if need be, so at most {@code maxInFlight} calls are ever in flight.
   */
  private void updateReading() {
    boolean shouldPause = !closed && (inFlight >= services.options.getMaxInFlight() || transport.writeQueueFull());
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
    if (refusal == null) {
      services.metrics.connections(-1);
    }
    setCaller(new Caller(id, remoteAddress, null, null));
    session.close();
    outbound.failAll(new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
    onClose.accept(this);
  }
}
