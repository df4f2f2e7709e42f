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

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@link BusRpcClient} on a Vert.x {@link NetClient}. All state is touched on the client's own
 * context (an event loop), so public methods hop onto it first.
 */
public final class BusRpcClientImpl implements BusRpcClient {

  private static final Logger log = LoggerFactory.getLogger(BusRpcClientImpl.class);

  private final Vertx vertx;
  private final ClientOptions options;
  private final Context context;
  private final NetClient netClient;
  private final Map<String, Function<Object, Object>> handlers = new ConcurrentHashMap<>();
  private final PendingCalls<Object> pending;
  private final long sweepPeriod;
  private long sweepTimer = -1;
  private NetSocket socket;
  private JsonObject loginParams;
  private volatile BiFunction<String, Object, Object> fallbackHandler;
  private Handler<Void> closeHandler;
  private boolean closedByUser;
  private boolean replaced;
  private long reconnectDelay;

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
      if (socket == null) {
        return Future.failedFuture(new RpcException(ErrorCode.CLIENT_OFFLINE, "not connected to the server"));
      }
      Promise<Object> promise = Promise.promise();
      long id = pending.register(promise, options.getCallTimeout(), null);
      startSweeping();
      write(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, encoded));
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
    return onContext(() -> socket == null ? Future.failedFuture(new RpcException(ErrorCode.CLIENT_OFFLINE, "not connected to the server"))
      : write(JsonRpcWriter.request(null, method, encoded)));
  }

  @Override
  public Future<JsonObject> login(JsonObject params) {
    return call("rpc.login", params).map(result -> {
      loginParams = params.copy();
      return (JsonObject) result;
    });
  }

  @Override
  public Future<Void> logout() {
    return call("rpc.logout", null).map(r -> {
      loginParams = null;
      return null;
    });
  }

  @Override
  public BusRpcClient register(String method, Function<Object, Object> handler) {
    handlers.put(method, handler);
    return this;
  }

  @Override
  public BusRpcClient fallbackHandler(BiFunction<String, Object, Object> handler) {
    this.fallbackHandler = handler;
    return this;
  }

  @Override
  public BusRpcClient closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
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
      NetSocket s = socket;
      return (s == null ? Future.<Void>succeededFuture() : s.close()).compose(v -> netClient.close());
    });
  }

  private Future<Void> write(Buffer json) {
    return socket.write(options.getFraming().encode(json));
  }

  private void onFrame(Buffer frame) {
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(frame);
    } catch (RpcException e) {
      log.warn("The server sent unparsable JSON: {}", e.getMessage());
      return;
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
    Promise<Object> call = pending.remove(PendingCalls.idOf(response.id()));
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
    if (id == null && "rpc.replaced".equals(request.method())) {
      // A newer login of the uid took over: coming back would take the uid from it, and so on for ever.
      replaced = true;
    }
    Future<Object> result = invoke(request.method(), request.params());
    if (id == null) {
      return;
    }
    result.onComplete(ar -> {
      if (socket == null) {
        return;
      }
      if (ar.succeeded()) {
        write(JsonRpcWriter.result(id, JsonRpcWriter.encodeValue(ar.result())));
      } else {
        RpcException error = ar.cause() instanceof RpcException rpc ? rpc : new RpcException(ErrorCode.INTERNAL_ERROR);
        write(JsonRpcWriter.error(id, error));
      }
    });
  }

  @SuppressWarnings("unchecked")
  private Future<Object> invoke(String method, Buffer params) {
    if (method.equals("rpc.ping")) {
      return Future.succeededFuture("pong");
    }
    Function<Object, Object> handler = handlers.get(method);
    BiFunction<String, Object, Object> fallback = fallbackHandler;
    if (handler == null && fallback == null) {
      return Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND));
    }
    try {
      Object decoded = params == null ? null : Json.decodeValue(params);
      Object result = handler != null ? handler.apply(decoded) : fallback.apply(method, decoded);
      return result instanceof Future<?> f ? (Future<Object>) f : Future.succeededFuture(result);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void onClosed(NetSocket closed) {
    if (socket != closed) {
      return;
    }
    socket = null;
    pending.failAll(new RpcException(ErrorCode.CLIENT_OFFLINE, "the connection to the server closed"));
    if (closeHandler != null) {
      closeHandler.handle(null);
    }
    if (options.isReconnect() && !closedByUser && !replaced) {
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
      netClient.connect(options.getPort(), options.getHost()).onComplete(ar -> {
        if (ar.failed()) {
          scheduleReconnect();
          return;
        }
        attach(ar.result());
        if (loginParams != null) {
          login(loginParams).onFailure(e -> log.warn("Login after reconnect failed: {}", e.getMessage()));
        }
      });
    });
  }

  /** Runs an action on the client's context, so its state is only ever touched from one thread. */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
