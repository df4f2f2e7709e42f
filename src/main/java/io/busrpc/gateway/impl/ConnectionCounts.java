package io.busrpc.gateway.impl;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections of one node, in all and per remote IP address, shared by every gateway instance
 * of a Vert.x instance so that the limits hold for the node, not per event loop.
 */
final class ConnectionCounts implements Shareable {

  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

  /** @return the counts of this Vert.x instance */
  static ConnectionCounts of(Vertx vertx) {
    LocalMap<String, ConnectionCounts> map = vertx.sharedData().getLocalMap("busrpc.connection-counts");
    ConnectionCounts counts = new ConnectionCounts();
    ConnectionCounts existing = map.putIfAbsent("counts", counts);
    return existing == null ? counts : existing;
  }

  /** Counts a new connection if both limits allow it; returns false (counting nothing) otherwise. */
  boolean tryAcquire(String address, int maxTotal, int maxPerAddress) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return false;
    }
    boolean[] admitted = {false};
    perAddress.compute(address, (a, count) -> {
      int open = count == null ? 0 : count;
      if (open >= maxPerAddress) {
        return count;
      }
      admitted[0] = true;
      return open + 1;
    });
    if (!admitted[0]) {
      total.decrementAndGet();
    }
    return admitted[0];
  }

  /** Forgets a connection counted by {@link #tryAcquire}. */
  void release(String address) {
    total.decrementAndGet();
    perAddress.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
  }

  /** @return the node's open connections */
  int total() {
    return total.get();
  }
}
