package io.busrpc.handler.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls to clients still waiting for an answer, and the probe of their uids.
 *
 * <p>Every {@value #PROBE_INTERVAL} ms, each uid with a call waiting longer than {@value #PROBE_AFTER}
 * ms gets one {@code online} control request, however many calls wait for it: when nobody listens at
 * the uid's address any more, the calls that were already waiting when the probe left fail with
 * "client offline" at once. A connection that closes fails its calls itself; this catches the calls
 * whose connection was on a node that died, which nobody else would answer before the timeout (the
 * cluster drops a dead node's addresses once it notices the node is gone).
 *
 * <p>Calls are registered from any thread; the sweep and the probes run on a context of their own.
 */
final class WaitingCalls {

  /** How long a call waits before its client is probed, in ms. */
  static final long PROBE_AFTER = 2_000;
  /** How often the uids of waiting calls are probed, in ms. */
  static final long PROBE_INTERVAL = 1_000;

  private final VertxInternal vertx;
  private final EventBus bus;
  private final Addresses addresses;
  private final DeliveryOptions probeOptions;
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  // The uids with a probe out; touched on the sweep's context only.
  private final Set<String> probing = new HashSet<>();
  private ContextInternal sweepContext;

  /** A call being waited for: whom it went to, since when, and the promise its caller holds. */
  private record Waiting(String uid, long since, Promise<?> promise) {
  }

  WaitingCalls(VertxInternal vertx, Addresses addresses, long callTimeout) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.addresses = addresses;
    this.probeOptions = new DeliveryOptions().setSendTimeout(Math.min(callTimeout, PROBE_INTERVAL * 2))
      .addHeader(Headers.CONTROL, ControlMessage.ONLINE.value());
  }

  /**
   * Watches a call to {@code uid} until its answer arrives.
   *
   * @return completes as {@code answer} does, or fails with "client offline" first when a probe finds
   *     that nobody listens at the uid's address any more
   */
  <T> Future<T> watch(String uid, Future<T> answer) {
    Promise<T> promise = vertx.getOrCreateContext().promise();
    long id = sequence.incrementAndGet();
    waiting.put(id, new Waiting(uid, System.nanoTime(), promise));
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

  /** Runs the sweep while calls are waiting; it stops itself when none are left. */
  private void startSweep() {
    if (sweeping.get() || !sweeping.compareAndSet(false, true)) {
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
    Set<String> overdue = new HashSet<>();
    waiting.values().forEach(call -> {
      if (call.since() - due < 0) {
        overdue.add(call.uid());
      }
    });
    for (String uid : overdue) {
      if (probing.add(uid)) {
        probe(uid);
      }
    }
  }

  /** Asks whether anyone still listens at the uid's address; fails its calls when nobody does. */
  private void probe(String uid) {
    long sent = System.nanoTime();
    bus.request(addresses.client(uid), uid, probeOptions).onComplete(ar -> {
      probing.remove(uid);
      if (ar.failed() && BusFailures.toRpcException(ar.cause(), ErrorCode.CLIENT_OFFLINE).code() == ErrorCode.CLIENT_OFFLINE.code()) {
        failCallsTo(uid, sent);
      }
    });
  }

  /**
   * Fails the calls to {@code uid} made before {@code before}: a call made after the probe left may
   * have reached a connection that logged in meanwhile.
   */
  private void failCallsTo(String uid, long before) {
    Map<Long, Waiting> gone = new HashMap<>();
    waiting.forEach((id, call) -> {
      if (call.uid().equals(uid) && call.since() - before < 0) {
        gone.put(id, call);
      }
    });
    gone.forEach((id, call) -> {
      if (waiting.remove(id) != null) {
        call.promise().tryFail(new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
      }
    });
  }
}
