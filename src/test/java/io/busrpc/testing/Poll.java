package io.busrpc.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one way tests wait for a condition that no event announces (a counter on another thread
 * reaching a value, a client going offline somewhere in the cluster): re-check it on a Vert.x timer,
 * never sleeping, until it holds or a deadline passes.
 */
public final class Poll {

  /** How long {@link #eventually} waits before it fails. */
  public static final long EVENTUALLY_MS = 5_000;

  private Poll() {
  }

  /** A condition checked on the test thread; it may block briefly and throw, e.g. by reading a socket. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Re-checks {@code condition} on the calling thread every 20 ms.
   *
   * @return true once the condition holds, false if it still does not after {@code timeoutMs}
   * @throws AssertionError wrapping what the condition threw, if it is a checked exception
   */
  public static boolean until(Vertx vertx, long timeoutMs, Condition condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!holds(condition)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      vertx.timer(20).await();
    }
    return true;
  }

  private static boolean holds(Condition condition) {
    try {
      return condition.holds();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("checking the condition failed", e);
    }
  }

  /**
   * Re-runs an asynchronous check every 10 ms until it yields true (a failed check counts as false);
   * fails the test with {@code what} after {@link #EVENTUALLY_MS}.
   */
  public static void eventually(Vertx vertx, String what, Supplier<Future<Boolean>> check) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EVENTUALLY_MS);
    attempt(vertx, check, done, deadline);
    try {
      done.future().await(EVENTUALLY_MS * 2, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | RuntimeException e) {
      throw new AssertionError("never became true: " + what, e);
    }
  }

  private static void attempt(Vertx vertx, Supplier<Future<Boolean>> check, Promise<Void> done, long deadline) {
    check.get().onComplete(ar -> {
      if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
        done.complete();
      } else if (System.nanoTime() > deadline) {
        done.fail("timed out");
      } else {
        vertx.setTimer(10, t -> attempt(vertx, check, done, deadline));
      }
    });
  }
}
