package io.busrpc.testing;

import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.junit5.Checkpoint;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler whose {@code gated} method answers only once the test opens the gate, and which counts
 * how many of its calls are running at once. The state is static: call {@link #reset()} first.
 * A test that waits for N calls to reach it gives it a checkpoint of N ({@link #onStart}).
 */
public class GatedVerticle extends RpcVerticle {

  private static final AtomicInteger running = new AtomicInteger();
  private static final AtomicInteger maxRunning = new AtomicInteger();
  private static final AtomicInteger started = new AtomicInteger();
  private static volatile Promise<Void> gate = Promise.promise();
  private static volatile Context context;
  private static volatile Checkpoint starts;

  /** Closes the gate and zeroes the counters. */
  public static void reset() {
    running.set(0);
    maxRunning.set(0);
    started.set(0);
    context = null;
    starts = null;
    gate = Promise.promise();
  }

  /**
   * Flags {@code checkpoint} for every call that reaches the handler from now on. With a strict
   * checkpoint of N ({@code VertxTestContext.checkpoint(N)}) a call past the N-th fails its context.
   */
  public static void onStart(Checkpoint checkpoint) {
    starts = checkpoint;
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
    Checkpoint checkpoint = starts;
    if (checkpoint != null) {
      checkpoint.flag();
    }
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    return gate.future().map(v -> {
      running.decrementAndGet();
      return value;
    });
  }
}
