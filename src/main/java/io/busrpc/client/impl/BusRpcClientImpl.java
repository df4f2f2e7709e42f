package io.busrpc.client.impl;

import io.busrpc.client.BusRpcClient;
import io.busrpc.client.ClientOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonMapper;
import io.busrpc.protocol.JsonRpcErrors;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.Params;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.PendingCalls;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link BusRpcClient} on a Vert.x {@link NetClient}. All state is touched on the client's own
 * context (an event loop), so public methods hop onto it first. With resume on, what the client
 * sends after its login goes through {@link ResumeSession}, which keeps it until the gateway has it.
 */
public final class BusRpcClientImpl implements BusRpcClient {

  private static final Logger log = LoggerFactory.getLogger(BusRpcClientImpl.class);
  /** The id of {@code rpc.resume}: never one of the numbered calls. */
  private static final String RESUME_ID = "\"resume\"";

  private final Vertx vertx;
  private final ClientOptions options;
  private final Context context;
  private final NetClient netClient;
  private final ServerCallHandlers handlers = new ServerCallHandlers();
  private final PendingCalls<Object> pending;
  private final ResumeSession session;
  private final long sweepPeriod;
  private long sweepTimer = -1;
  private NetSocket socket;
  private JsonObject loginParams;
  private Handler<Void> closeHandler;
  private Handler<RpcException> sessionLostHandler;
  private boolean closedByUser;
  private boolean replaced;
  private long reconnectDelay;
  /** The login that asked for resume, waiting for its answer; -1 when none. */
  private long resumeLoginId = -1;
  /** What the application sent while that login waits: it goes out, counted, after the answer. */
  private List<Buffer> held;
  /** Whether {@code rpc.resume} waits for its answer: nothing else may go out meanwhile. */
  private boolean resuming;
  /** When the connection that carried the resumable session dropped (System.nanoTime()), 0 while it is carried. */
  private long detachedAt;

  /** Creates a client; nothing is connected yet. */
  public BusRpcClientImpl(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.options = options.copy();
    this.context = vertx.getOrCreateContext();
    NetClientOptions netOptions = new NetClientOptions().setTcpNoDelay(true).setSsl(options.isTls());
    if (options.isTls()) {
      // Vert.x 5 refuses TLS without it; HTTPS checks the certificate names the host (DNS or IP SAN).
      netOptions.setHostnameVerificationAlgorithm("HTTPS");
    }
    if (options.getTrustCertPath() != null) {
      netOptions.setTrustOptions(new PemTrustOptions().addCertPath(options.getTrustCertPath()));
    }
    this.netClient = vertx.createNetClient(netOptions);
    this.reconnectDelay = options.getReconnectInitialDelay();
    this.pending = new PendingCalls<>(timeout -> new RpcException(ErrorCode.TIMEOUT, "no answer within " + timeout + " ms"));
    this.session = new ResumeSession(vertx, this::sendAck);
    // A tenth of the call timeout, between 10 ms and 1 s: how late a timeout may fire.
    this.sweepPeriod = Math.max(10, Math.min(1000, options.getCallTimeout() / 10));
  }

  @Override
  public Future<Void> connect() {
    return onContext(() -> netClient.connect(options.getPort(), options.getHost()).map(s -> {
      attach(s);
      return null;
    }));
  }

  private void attach(NetSocket s) {
    socket = s;
    replaced = false;
    reconnectDelay = options.getReconnectInitialDelay();
    FrameDecoder decoder = new FrameDecoder(options.getMaxFrameSize(), this::onFrame, e -> {
      log.warn("Closing: the server sent a bad frame: {}", e.getMessage());
      s.close();
    });
    s.handler(decoder);
    s.closeHandler(v -> onClosed(s));
    if (session.active()) {
      // The first message of the connection; the answer says what the gateway lacks.
      resuming = true;
      JsonObject params = new JsonObject().put("token", session.token()).put("seq", session.received());
      write(JsonRpcWriter.request(Buffer.buffer(RESUME_ID), "rpc.resume", params.toBuffer()));
    } else if (loginParams != null) {
      login(loginParams).onFailure(e -> log.warn("Login after reconnect failed: {}", e.getMessage()));
    }
  }

  @Override
  public Future<Object> call(String method, Object params) {
    Buffer encoded;
    try {
      encoded = Params.encode(params);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage()));
    }
    return onContext(() -> {
      if (!canSend()) {
        return Future.failedFuture(offline("not connected to the server"));
      }
      Promise<Object> promise = Promise.promise();
      long id = pending.register(promise, options.getCallTimeout(), null);
      startSweeping();
      send(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, encoded));
      return promise.future();
    });
  }

  @Override
  public <T> Future<T> call(String method, Object params, Class<T> type) {
    return call(method, params).compose(result -> {
      try {
        return Future.succeededFuture(JsonMapper.mapper().convertValue(result, type));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, "the result is not a " + type.getSimpleName()));
      }
    });
  }

  @Override
  public Future<Void> notify(String method, Object params) {
    Buffer encoded;
    try {
      encoded = Params.encode(params);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage()));
    }
    return onContext(() -> canSend() ? send(JsonRpcWriter.request(null, method, encoded))
      : Future.failedFuture(offline("not connected to the server")));
  }

  @Override
  public Future<JsonObject> login(JsonObject params) {
    JsonObject asked = options.isResume() ? params.copy().put("resume", true) : params;
    return onContext(() -> {
      if (socket == null) {
        return Future.failedFuture(offline("not connected to the server"));
      }
      Promise<Object> promise = Promise.promise();
      long id = pending.register(promise, options.getCallTimeout(), null);
      startSweeping();
      send(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), "rpc.login", asked.toBuffer()));
      if (options.isResume()) {
        // Both sides count from the answer on, so nothing else may go out before it.
        resumeLoginId = id;
        held = new ArrayList<>();
      }
      return promise.future().map(result -> {
        loginParams = params.copy();
        return (JsonObject) result;
      });
    });
  }

  @Override
  public Future<Void> logout() {
    return call("rpc.logout", null).map(r -> {
      loginParams = null;
      session.end();
      return null;
    });
  }

  @Override
  public BusRpcClient register(String method, Function<Object, Object> handler) {
    handlers.register(method, handler);
    return this;
  }

  @Override
  public BusRpcClient fallbackHandler(BiFunction<String, Object, Object> handler) {
    handlers.fallback(handler);
    return this;
  }

  @Override
  public BusRpcClient closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public BusRpcClient sessionLostHandler(Handler<RpcException> handler) {
    this.sessionLostHandler = handler;
    return this;
  }

  @Override
  public boolean isConnected() {
    return socket != null;
  }

  @Override
  public Future<Void> close() {
    return onContext(() -> {
      closedByUser = true;
      session.end();
      NetSocket s = socket;
      if (s == null) {
        pending.failAll(offline("the client closed"));
      }
      return (s == null ? Future.<Void>succeededFuture() : s.close()).compose(v -> netClient.close());
    });
  }

  /** Whether a message can go out now or, for a resumable session, after the resume. */
  private boolean canSend() {
    return socket != null || session.active();
  }

  /** Sends a message that counts (PROTOCOL §8): held during a resumable login, kept while resumable. */
  private Future<Void> send(Buffer json) {
    if (held != null) {
      held.add(json);
      return Future.succeededFuture();
    }
    if (session.active()) {
      session.sending(json);
      return socket != null && !resuming ? write(json) : Future.succeededFuture();
    }
    return write(json);
  }

  private Future<Void> write(Buffer json) {
    return socket.write(options.getFraming().encode(json));
  }

  private void sendAck(long seq) {
    if (socket != null && !resuming) {
      write(JsonRpcWriter.request(null, "rpc.ack", new JsonObject().put("seq", seq).toBuffer()));
    }
  }

  private void onFrame(Buffer frame) {
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(frame);
    } catch (RpcException e) {
      log.warn("The server sent unparsable JSON: {}", e.getMessage());
      return;
    }
    if (session.active() && !resuming && Counting.counts(parsed)) {
      session.receivedOne();
    }
    for (JsonRpcMessage message : parsed.messages()) {
      switch (message.kind()) {
        case RESPONSE -> onResponse(message);
        case REQUEST, NOTIFICATION -> onServerCall(message);
        default -> log.warn("The server sent an invalid message: {}", message.problem());
      }
    }
  }

  private void onResponse(JsonRpcMessage response) {
    if (response.id() != null && RESUME_ID.equals(response.id().toString())) {
      onResumeAnswer(response);
      return;
    }
    long id = PendingCalls.idOf(response.id());
    if (id != -1 && id == resumeLoginId) {
      onResumableLoginAnswer(response);
    }
    Promise<Object> call = pending.remove(id);
    if (call == null) {
      if (response.error() != null) {
        log.warn("The server reported an error: {}", response.error());
      }
      return;
    }
    if (response.error() != null) {
      call.fail(JsonRpcErrors.read(response.error()));
    } else {
      call.complete(Json.decodeValue(response.result()));
    }
  }

  /** Counting starts with this answer; what waited for it goes out now, counted if resume was granted. */
  private void onResumableLoginAnswer(JsonRpcMessage response) {
    resumeLoginId = -1;
    List<Buffer> waiting = held;
    held = null;
    if (response.error() == null && Json.decodeValue(response.result()) instanceof JsonObject result
      && result.getJsonObject("resume") != null) {
      JsonObject resume = result.getJsonObject("resume");
      session.start(resume.getString("token"), resume.getLong("window", 0L));
    }
    waiting.forEach(this::send);
  }

  private void onResumeAnswer(JsonRpcMessage response) {
    resuming = false;
    if (response.error() == null && Json.decodeValue(response.result()) instanceof JsonObject result) {
      session.renew(result.getString("token"));
      detachedAt = 0;
      // The gateway resends what the client lacks by itself; the client resends what the gateway lacks.
      session.after(result.getLong("seq")).forEach(this::write);
      session.ackSoon();
    } else {
      sessionLost(response.error() == null ? new RpcException(ErrorCode.SESSION_EXPIRED) : JsonRpcErrors.read(response.error()));
    }
  }

  /** The session cannot be resumed: the answers it waits for cannot come; a fresh login follows. */
  private void sessionLost(RpcException why) {
    session.end();
    detachedAt = 0;
    pending.failAll(offline("the session was lost (" + why.getMessage() + "); a fresh login follows"));
    if (sessionLostHandler != null) {
      sessionLostHandler.handle(why);
    }
    if (socket != null && loginParams != null) {
      login(loginParams).onFailure(e -> log.warn("Login after a lost session failed: {}", e.getMessage()));
    }
  }

  /** Times calls out with one periodic sweep while any are waiting, instead of a timer per call. */
  private void startSweeping() {
    if (sweepTimer == -1) {
      sweepTimer = vertx.setPeriodic(sweepPeriod, t -> {
        pending.sweep(System.nanoTime());
        if (pending.isEmpty()) {
          vertx.cancelTimer(sweepTimer);
          sweepTimer = -1;
        }
      });
    }
  }

  private void onServerCall(JsonRpcMessage request) {
    Buffer id = request.id();
    if (id == null && "rpc.ack".equals(request.method())) {
      session.acknowledged(Counting.ackedSeq(request.params()));
      return;
    }
    if (id == null && "rpc.replaced".equals(request.method())) {
      // A newer login of the uid took over: coming back would take the uid from it, and so on for ever.
      replaced = true;
    }
    Future<Object> result = handlers.invoke(request.method(), request.params());
    if (id == null) {
      return;
    }
    boolean ping = "rpc.ping".equals(request.method());
    result.onComplete(ar -> {
      Buffer answer = ar.succeeded() ? JsonRpcWriter.result(id, JsonRpcWriter.encodeValue(ar.result()))
        : JsonRpcWriter.error(id, ar.cause() instanceof RpcException rpc ? rpc : new RpcException(ErrorCode.INTERNAL_ERROR));
      if (ping) {
        // Not counted: it answers this connection's liveness check only.
        if (socket != null && !resuming) {
          write(answer);
        }
      } else if (canSend()) {
        send(answer);
      }
    });
  }

  private void onClosed(NetSocket closed) {
    if (socket != closed) {
      return;
    }
    socket = null;
    resuming = false;
    boolean resumable = session.active() && !closedByUser && !replaced;
    if (held != null) {
      // The login that asked for resume fails below; what waited for it goes with it.
      held = null;
      resumeLoginId = -1;
    }
    if (resumable) {
      // From the last connection that carried the session: attempts that failed since do not count.
      detachedAt = detachedAt == 0 ? System.nanoTime() : detachedAt;
    } else {
      session.end();
      pending.failAll(offline("the connection to the server closed"));
    }
    if (closeHandler != null) {
      closeHandler.handle(null);
    }
    if ((options.isReconnect() || resumable) && !closedByUser && !replaced) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    long delay = reconnectDelay;
    reconnectDelay = Math.min(reconnectDelay * 2, options.getReconnectMaxDelay());
    vertx.setTimer(delay, t -> {
      if (closedByUser) {
        return;
      }
      if (session.active() && session.expiredSince(detachedAt)) {
        // The gateway has given up on the session by now: fail what waits at once, log in afresh on connect.
        sessionLost(new RpcException(ErrorCode.SESSION_EXPIRED, "away longer than the resume window"));
      }
      netClient.connect(options.getPort(), options.getHost()).onComplete(ar -> {
        if (ar.failed()) {
          scheduleReconnect();
          return;
        }
        attach(ar.result());
      });
    });
  }

  private static RpcException offline(String why) {
    return new RpcException(ErrorCode.CLIENT_OFFLINE, why);
  }

  /** Runs an action on the client's context, so its state is only ever touched from one thread. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
