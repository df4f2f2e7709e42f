package io.busrpc.testing;

import io.vertx.core.Vertx;

import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that no event announces (a counter on another thread reaching a value),
 * checking it on a Vert.x timer.
 */
public final class Poll {

  private Poll() {
  }

  /** @return true once the condition holds, false if it still does not after {@code timeoutMs} */
  public static boolean until(Vertx vertx, long timeoutMs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      vertx.timer(20).await();
    }
    return true;
  }
}
