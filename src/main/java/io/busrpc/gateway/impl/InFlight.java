package io.busrpc.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * The calls and notifications of one client that a handler is working on, at most
 * {@code maxInFlight} at once. Single messages never find it full (the session stops reading
 * first, told by the listener), but the messages of one batch arrive together: those past the limit
 * wait here, in order, until earlier ones are done.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class InFlight {

  private final int max;
  private final Runnable changed;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int count;

  /**
   * @param max     the most at once
   * @param changed told when the count reaches {@code max} and after each one ends (the session
   *                pauses and resumes reading on it)
   */
  InFlight(int max, Runnable changed) {
    this.max = max;
    this.changed = changed;
  }

  /** Runs {@code work} now if there is room, else once earlier work has ended; its result either way. */
  <T> Future<T> submit(Supplier<Future<T>> work) {
    if (count < max) {
      return run(work);
    }
    Promise<T> promise = Promise.promise();
    waiting.add(() -> run(work).onComplete(promise));
    return promise.future();
  }

  private <T> Future<T> run(Supplier<Future<T>> work) {
    if (++count >= max) {
      changed.run();
    }
    Future<T> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      ended();
      throw e;
    }
    // A listener on the same future rather than a new future: one object less per call.
    result.onComplete(ar -> ended());
    return result;
  }

  private void ended() {
    count--;
    Runnable next = waiting.poll();
    if (next != null) {
      next.run();
    }
    changed.run();
  }

  /** @return how many are running */
  int count() {
    return count;
  }

  /** @return true when no more may start now */
  boolean full() {
    return count >= max;
  }
}
