package io.busrpc.handler.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.Codecs;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonMapper;
import io.busrpc.protocol.Params;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Clients} over the event bus: each uid's connection listens at its client address.
 *
 * <p>A call still waiting after {@value #PROBE_AFTER} ms is checked every {@value #PROBE_INTERVAL}
 * ms with the {@code online} control request: when nobody listens at the uid's address any more, it
 * fails with "client offline" at once. A connection that closes fails its calls itself; this catches
 * the calls whose connection was on a node that died, which nobody else would answer before the
 * timeout (the cluster drops a dead node's addresses once it notices the node is gone).
 */
public final class ClientsImpl implements Clients {

  /** How long a call waits before its client is probed, in ms. */
  static final long PROBE_AFTER = 2_000;
  /** How often waiting calls are probed, in ms. */
  static final long PROBE_INTERVAL = 1_000;

  private final VertxInternal vertx;
  private final EventBus bus;
  private final Addresses addresses;
  private final DeliveryOptions callOptions;
  private final DeliveryOptions probeOptions;
  private final long timeout;
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private ContextInternal sweepContext;

  /** A call being waited for: whom it went to and the promise its caller holds. */
  private static final class Waiting {
    final String uid;
    final Promise<Object> promise;
    final long since = System.nanoTime();
    final AtomicBoolean probing = new AtomicBoolean();

    Waiting(String uid, Promise<Object> promise) {
      this.uid = uid;
      this.promise = promise;
    }
  }

  /** Creates the API; registers busrpc's codecs on the Vert.x instance if needed. */
  public ClientsImpl(Vertx vertx, Addresses addresses, long timeout) {
    Codecs.register(vertx);
    this.vertx = (VertxInternal) vertx;
    this.bus = vertx.eventBus();
    this.addresses = addresses;
    this.timeout = timeout;
    this.callOptions = new DeliveryOptions().setSendTimeout(timeout)
      .addHeader(Headers.TIMEOUT, Long.toString(timeout));
    this.probeOptions = new DeliveryOptions().setSendTimeout(Math.min(timeout, PROBE_INTERVAL * 2))
      .addHeader(Headers.CONTROL, ControlMessage.ONLINE.value());
  }

  @Override
  public Future<Object> call(String uid, String method, Object params) {
    return later(() -> start(uid, method, params));
  }

  /**
   * Every future this API returns completes after the method that returned it has returned, also
   * when the outcome is known at once (an offline uid, a bad method name): code that re-issues a
   * call from its callback then loops through the event loop's task queue, never down the stack.
   */
  private <T> Future<T> later(java.util.function.Supplier<Future<T>> operation) {
    ContextInternal context = vertx.getOrCreateContext();
    Promise<T> promise = context.promise();
    AtomicBoolean returned = new AtomicBoolean();
    Future<T> outcome;
    try {
      outcome = operation.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      if (returned.get()) {
        promise.handle(ar);
      } else {
        context.runOnContext(v -> promise.handle(ar));
      }
    });
    returned.set(true);
    return promise.future();
  }

  private Future<Object> start(String uid, String method, Object params) {
    JsonObject body;
    try {
      body = body(method, params);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage()));
    }
    Future<Object> answer = bus.request(addresses.client(uid), body, callOptions)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body()) : Future.failedFuture(failure(ar.cause())));
    if (timeout <= PROBE_AFTER) {
      return answer;
    }
    Promise<Object> promise = vertx.getOrCreateContext().promise();
    long id = sequence.incrementAndGet();
    waiting.put(id, new Waiting(uid, promise));
    startSweep();
    answer.onComplete(ar -> {
      waiting.remove(id);
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }

  @Override
  public <T> Future<T> call(String uid, String method, Object params, Class<T> type) {
    return call(uid, method, params).compose(result -> {
      try {
        return Future.succeededFuture(JsonMapper.mapper().convertValue(result, type));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS,
          "the client's result is not a " + type.getSimpleName()));
      }
    });
  }

  @Override
  public void notify(String uid, String method, Object params) {
    bus.send(addresses.client(uid), body(method, params));
  }

  @Override
  public Future<Void> join(String uid, String group) {
    return later(() -> control(uid, ControlMessage.JOIN, group).mapEmpty());
  }

  @Override
  public Future<Boolean> leave(String uid, String group) {
    return later(() -> control(uid, ControlMessage.LEAVE, group).map(Boolean.TRUE::equals));
  }

  @Override
  public void publish(String group, String method, Object params) {
    bus.publish(addresses.group(group), body(method, params));
  }

  @Override
  public void broadcast(String method, Object params) {
    bus.publish(addresses.broadcast(), body(method, params));
  }

  @Override
  public Future<Boolean> isOnline(String uid) {
    return later(() -> control(uid, ControlMessage.ONLINE, uid).map(true).recover(e -> e instanceof RpcException rpc
      && rpc.code() == ErrorCode.CLIENT_OFFLINE.code() ? Future.succeededFuture(false) : Future.failedFuture(e)));
  }

  private Future<Object> control(String uid, ControlMessage control, String value) {
    DeliveryOptions options = new DeliveryOptions(callOptions).addHeader(Headers.CONTROL, control.value());
    return bus.request(addresses.client(uid), value, options)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body()) : Future.failedFuture(failure(ar.cause())));
  }

  /** Runs the probe sweep while calls are waiting; it stops itself when none are left. */
  private void startSweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    ContextInternal context;
    synchronized (this) {
      if (sweepContext == null) {
        // A context of its own, so the sweep does not die with the verticle that made the first call.
        sweepContext = vertx.createEventLoopContext();
      }
      context = sweepContext;
    }
    context.runOnContext(v -> vertx.setPeriodic(PROBE_INTERVAL, this::sweep));
  }

  private void sweep(long timerId) {
    if (waiting.isEmpty()) {
      vertx.cancelTimer(timerId);
      sweeping.set(false);
      // A call may have been added after the check above but before the flag was cleared.
      if (!waiting.isEmpty()) {
        startSweep();
      }
      return;
    }
    long due = System.nanoTime() - PROBE_AFTER * 1_000_000;
    waiting.forEach((id, call) -> {
      if (call.since - due < 0 && call.probing.compareAndSet(false, true)) {
        probe(id, call);
      }
    });
  }

  /** Asks whether anyone still listens at the uid's address; fails the call when nobody does. */
  private void probe(long id, Waiting call) {
    bus.request(addresses.client(call.uid), call.uid, probeOptions).onComplete(ar -> {
      call.probing.set(false);
      if (ar.failed() && failure(ar.cause()) instanceof RpcException e && e.code() == ErrorCode.CLIENT_OFFLINE.code()
        && waiting.remove(id) != null) {
        call.promise.tryFail(new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
      }
    });
  }

  private static JsonObject body(String method, Object params) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    return new JsonObject().put("method", method).put("params", toJson(params));
  }

  /** Params as a Vert.x JsonArray or JsonObject, written with busrpc's mapper. */
  private static Object toJson(Object params) {
    if (params == null || params instanceof JsonArray || params instanceof JsonObject) {
      return params;
    }
    return Json.decodeValue(Params.encode(params));
  }

  /** No consumer at a client address means the client is not connected. */
  private static Throwable failure(Throwable cause) {
    return BusFailures.toRpcException(cause, ErrorCode.CLIENT_OFFLINE);
  }
}
