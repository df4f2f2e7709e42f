package io.busrpc.client.impl;

import io.busrpc.client.BusRpcClient;
import io.busrpc.client.ClientOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonMapper;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.Params;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link BusRpcClient} on a Vert.x {@code NetClient}. All state is touched on the client's own
 * context (an event loop), so public methods hop onto it first. With resume on, what the client
 * sends after its login goes through {@link ResumeSession}, which keeps it until the gateway has it.
 * What the gateway sends is read by {@link ServerMessages}; this class connects, reconnects and
 * resumes.
 */
public final class BusRpcClientImpl implements BusRpcClient {

  private static final Logger log = LoggerFactory.getLogger(BusRpcClientImpl.class);

  private final Vertx vertx;
  private final ClientOptions options;
  private final Context context;
  private final Connector connector;
  private final ServerCalls serverCalls;
  private final OpenCalls calls;
  private final Outbox outbox;
  private final ResumeSession session;
  private JsonObject loginParams;
  private Handler<Void> closeHandler;
  private Handler<RpcException> sessionLostHandler;
  private final ServerMessages inbound;
  private boolean closedByUser;

  /** Creates a client; nothing is connected yet. */
  public BusRpcClientImpl(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.options = options.copy();
    this.context = vertx.getOrCreateContext();
    this.connector = new Connector(vertx, this.options);
    this.calls = new OpenCalls(vertx, options.getCallTimeout());
    this.outbox = new Outbox(vertx, options.getFraming());
    this.session = outbox.session();
    this.serverCalls = new ServerCalls(outbox);
    this.inbound = new ServerMessages(outbox, calls, serverCalls, this::sessionLost);
  }

  @Override
  public Future<Void> connect() {
    return onContext(() -> connector.connect().map(s -> {
      attach(s);
      return null;
    }));
  }

  private void attach(NetSocket s) {
    outbox.attached(s);
    inbound.attached();
    connector.connected();
    FrameDecoder decoder = new FrameDecoder(options.getMaxFrameSize(), inbound::frame, e -> {
      log.warn("Closing: the server sent a bad frame: {}", e.getMessage());
      s.close();
    });
    s.handler(decoder);
    s.closeHandler(v -> onClosed(s));
    if (session.active()) {
      outbox.resume();
    } else if (loginParams != null) {
      login(loginParams).onFailure(e -> log.warn("Login after reconnect failed: {}", e.getMessage()));
    }
  }

  @Override
  public Future<Object> call(String method, Object params) {
    return withParams(params, encoded -> {
      Promise<Object> promise = Promise.promise();
      long id = calls.open(promise);
      outbox.send(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, encoded));
      return promise.future();
    });
  }

  /** Encodes the params, then sends on the client's context if it can (now, or after a resume). */
  private <T> Future<T> withParams(Object params, Function<Buffer, Future<T>> send) {
    Buffer encoded;
    try {
      encoded = Params.encode(params);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage()));
    }
    return onContext(() -> outbox.canSend() ? send.apply(encoded) : Future.failedFuture(offline("not connected to the server")));
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
    return withParams(params, encoded -> outbox.send(JsonRpcWriter.request(null, method, encoded)));
  }

  @Override
  public Future<JsonObject> login(JsonObject params) {
    JsonObject asked = options.isResume() ? params.copy().put("resume", true) : params;
    return onContext(() -> {
      if (outbox.socket() == null) {
        return Future.failedFuture(offline("not connected to the server"));
      }
      Promise<Object> promise = Promise.promise();
      long id = calls.open(promise);
      Buffer request = JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), "rpc.login", asked.toBuffer());
      if (options.isResume()) {
        // Both sides count from the answer on, so nothing else may go out before it.
        inbound.resumableLogin(id);
        outbox.sendResumableLogin(request);
      } else {
        outbox.send(request);
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
    serverCalls.register(method, handler);
    return this;
  }

  @Override
  public BusRpcClient fallbackHandler(BiFunction<String, Object, Object> handler) {
    serverCalls.fallback(handler);
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
    return outbox.socket() != null;
  }

  @Override
  public Future<Void> close() {
    return onContext(() -> {
      closedByUser = true;
      session.end();
      NetSocket s = outbox.socket();
      if (s == null) {
        calls.failAll("the client closed");
      }
      return (s == null ? Future.<Void>succeededFuture() : s.close()).compose(v -> connector.close());
    });
  }

  /** The session cannot be resumed: the answers it waits for cannot come; a fresh login follows. */
  private void sessionLost(RpcException why) {
    session.end();
    calls.failAll("the session was lost (" + why.getMessage() + (why.data() == null ? "" : ": " + why.data())
      + "); a fresh login follows");
    if (sessionLostHandler != null) {
      sessionLostHandler.handle(why);
    }
    if (outbox.socket() != null && loginParams != null) {
      login(loginParams).onFailure(e -> log.warn("Login after a lost session failed: {}", e.getMessage()));
    }
  }

  private void onClosed(NetSocket closed) {
    if (outbox.socket() != closed) {
      return;
    }
    outbox.detached();
    inbound.detached();
    boolean resumable = session.active() && !closedByUser && !inbound.replaced();
    if (resumable) {
      session.dropped();
    } else {
      session.end();
      calls.failAll("the connection to the server closed");
    }
    if (closeHandler != null) {
      closeHandler.handle(null);
    }
    // A resuming client comes back by itself, also to log in afresh when its session was lost.
    if ((options.isReconnect() || options.isResume()) && !closedByUser && !inbound.replaced()) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    connector.later(() -> {
      if (closedByUser) {
        return;
      }
      if (session.active() && session.expired()) {
        // The gateway has given up on the session by now: fail what waits at once, log in afresh on connect.
        sessionLost(new RpcException(ErrorCode.SESSION_EXPIRED, "away longer than the resume window"));
      }
      connector.connect().onComplete(ar -> {
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
