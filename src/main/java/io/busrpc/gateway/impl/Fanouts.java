package io.busrpc.gateway.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link AddressFanout}s of one gateway instance: at most one consumer per address and event
 * loop, however many of its sessions listen at that address. A fan-out is created by the first
 * member and ends with the last.
 *
 * <p>Thread-safe: each event loop's fan-outs are touched on that event loop only. An event loop here
 * is a gateway instance's context; the sessions of one instance share its fan-outs.
 */
final class Fanouts {

  private final Vertx vertx;
  private final Map<ContextInternal, Map<String, AddressFanout>> byContext = new ConcurrentHashMap<>();

  Fanouts(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Makes {@code member}, a session of {@code context}, get what is sent to {@code address}.
   *
   * @return completes once a message published afterwards reaches it (see {@link AddressFanout#add})
   */
  Future<Void> join(Context context, String address, ClientLink member) {
    ContextInternal loop = eventLoopOf(context);
    return on(loop, () -> byContext.computeIfAbsent(loop, c -> new HashMap<>())
      .computeIfAbsent(address, a -> new AddressFanout(vertx, a)).add(member));
  }

  /**
   * Makes {@code member} get nothing more from {@code address}.
   *
   * @return completes once that is so (see {@link AddressFanout#remove})
   */
  Future<Void> leave(Context context, String address, ClientLink member) {
    ContextInternal loop = eventLoopOf(context);
    return on(loop, () -> {
      Map<String, AddressFanout> fanouts = byContext.get(loop);
      AddressFanout fanout = fanouts == null ? null : fanouts.get(address);
      if (fanout == null) {
        return Future.succeededFuture();
      }
      Future<Void> removed = fanout.remove(member);
      if (fanout.isEmpty()) {
        fanouts.remove(address);
      }
      return removed;
    });
  }

  /**
   * @return the context a session's context is a duplicate of, if it is one: the gateway instance's
   *     (Vert.x may run each connection on a duplicate of its verticle's context)
   */
  private static ContextInternal eventLoopOf(Context context) {
    return ((ContextInternal) context).unwrap();
  }

  /** Runs {@code action} on {@code loop}: now when called there, which is the usual case. */
  private static <T> Future<T> on(ContextInternal loop, Supplier<Future<T>> action) {
    Context current = Vertx.currentContext();
    if (current != null && ((ContextInternal) current).unwrap() == loop) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    loop.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}
