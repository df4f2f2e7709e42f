package io.busrpc.bench;

import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A handler that counts the calls it answers, so tests can check the tool's counts against the server's. */
public class CountingVerticle extends RpcVerticle {

  /** Calls answered, per Vert.x instance (a test's server), so late work of another test's server cannot count. */
  private static final Map<Vertx, AtomicLong> CALLS = new ConcurrentHashMap<>();

  static long calls(Vertx vertx) {
    AtomicLong n = CALLS.get(vertx);
    return n == null ? 0 : n.get();
  }

  /** {@code counted_sum [a, b]} → a + b, counted. */
  @RpcMethod("counted_sum")
  public long countedSum(long a, long b) {
    CALLS.computeIfAbsent(vertx, v -> new AtomicLong()).incrementAndGet();
    return a + b;
  }
}
