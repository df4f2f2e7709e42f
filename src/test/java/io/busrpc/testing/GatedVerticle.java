package io.busrpc.testing;

import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler whose {@code gated} method answers only once the test opens the gate, and which counts
 * how many of its calls are running at once. The state is static: call {@link #reset()} first.
 */
public class GatedVerticle extends RpcVerticle {

  private static final AtomicInteger running = new AtomicInteger();
  private static final AtomicInteger maxRunning = new AtomicInteger();
  private static final AtomicInteger started = new AtomicInteger();
  private static volatile Promise<Void> gate = Promise.promise();
  private static volatile Context context;

  /** Closes the gate and zeroes the counters. */
  public static void reset() {
    running.set(0);
    maxRunning.set(0);
    started.set(0);
    context = null;
    gate = Promise.promise();
  }

  /** Opens the gate: every waiting call and every later one answers. */
  public static void release() {
    Context c = context;
    if (c == null) {
      gate.tryComplete();
    } else {
      c.runOnContext(v -> gate.tryComplete());
    }
  }

  /** @return the calls running now */
  public static int running() {
    return running.get();
  }

  /** @return the most calls that ran at once */
  public static int maxRunning() {
    return maxRunning.get();
  }

  /** @return the calls that reached the handler */
  public static int started() {
    return started.get();
  }

  @RpcMethod
  public Future<Object> gated(Object value) {
    context = vertx.getOrCreateContext();
    started.incrementAndGet();
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    return gate.future().map(v -> {
      running.decrementAndGet();
      return value;
    });
  }
}
