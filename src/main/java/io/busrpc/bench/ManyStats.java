package io.busrpc.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the connections of a {@code bench --mode many} run saw, shared by its event loops: per
 * broadcast, how many connections got it and when the last one did; duplicates, dropped
 * connections and anything unexpected, with the first such problem in words.
 */
final class ManyStats {

  private final int connections;
  private final AtomicInteger[] received;
  private final AtomicLong[] lastArrival;
  private final Promise<Void>[] everywhere;
  final LongAdder duplicates = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder unexpected = new LongAdder();
  final AtomicReference<String> firstProblem = new AtomicReference<>();

  @SuppressWarnings("unchecked")
  ManyStats(int connections, int broadcasts) {
    this.connections = connections;
    this.received = new AtomicInteger[broadcasts + 1];
    this.lastArrival = new AtomicLong[broadcasts + 1];
    this.everywhere = new Promise[broadcasts + 1];
    for (int k = 1; k <= broadcasts; k++) {
      received[k] = new AtomicInteger();
      lastArrival[k] = new AtomicLong();
      everywhere[k] = Promise.promise();
    }
  }

  /** Connection got broadcast {@code k} (1-based) for the first time at {@code nanos}. */
  void arrived(int k, long nanos) {
    if (k < 1 || k >= received.length) {
      unexpected.increment();
      problem("broadcast " + k + " was never sent");
      return;
    }
    lastArrival[k].accumulateAndGet(nanos, Math::max);
    if (received[k].incrementAndGet() == connections) {
      everywhere[k].tryComplete();
    }
  }

  /** @return completes when every connection has broadcast {@code k} */
  Future<Void> everywhere(int k) {
    return everywhere[k].future();
  }

  int received(int k) {
    return received[k].get();
  }

  long lastArrival(int k) {
    return lastArrival[k].get();
  }

  void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }
}
