package io.busrpc.protocol;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * The calls one party waits for: each has an id of this table's sequence, the promise its caller
 * holds, a deadline and an optional tag (for example the node the call went to).
 *
 * <p>{@link #remove(long)} is the one gate: whoever takes a call out of the table (its answer, the
 * {@link #sweep(long) sweep} of overdue calls, or {@link #failAll(Throwable) the close}) completes it,
 * and everyone after finds nothing, as Vert.x's {@code ReplyHandler} does with its timer. There is no
 * timer per call: the owner sweeps periodically. Promises are completed after they left the table,
 * so their callbacks may register new calls.
 *
 * <p>Not thread-safe: one owner, on one event loop.
 *
 * @param <T> the type of the answer
 */
public final class PendingCalls<T> {

  private final LongFunction<? extends Throwable> timeoutFailure;
  private final Map<Long, Entry<T>> calls = new HashMap<>();
  private long sequence;

  private record Entry<T>(Promise<T> promise, long deadline, long timeout, Object tag) {
  }

  /**
   * @param timeoutFailure makes the failure of a call that timed out, from its timeout in ms
   */
  public PendingCalls(LongFunction<? extends Throwable> timeoutFailure) {
    this.timeoutFailure = timeoutFailure;
  }

  /**
   * Registers a call under the next id of this table's sequence (1, 2, 3…).
   *
   * @param promise the promise the caller holds
   * @param timeoutMillis how long the call may wait, in ms; 0 or less waits until answered or failed
   * @param tag what {@link #failIf} matches, or {@code null}
   * @return the id to send with the call
   */
  public long register(Promise<T> promise, long timeoutMillis, Object tag) {
    long id = ++sequence;
    long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000 : 0;
    calls.put(id, new Entry<>(promise, deadline, timeoutMillis > 0 ? timeoutMillis : 0, tag));
    return id;
  }

  /**
   * Takes a call out of the table: the one gate between answer, timeout and close.
   *
   * @return its promise, or {@code null} when it is not waiting (unknown, answered or timed out)
   */
  public Promise<T> remove(long id) {
    Entry<T> call = calls.remove(id);
    return call == null ? null : call.promise();
  }

  /** Completes the call with its answer; @return whether it was still waiting */
  public boolean complete(long id, T answer) {
    Promise<T> promise = remove(id);
    if (promise != null) {
      promise.complete(answer);
    }
    return promise != null;
  }

  /** Fails the call; @return whether it was still waiting */
  public boolean fail(long id, Throwable failure) {
    Promise<T> promise = remove(id);
    if (promise != null) {
      promise.fail(failure);
    }
    return promise != null;
  }

  /** Fails, with the timeout failure, the calls whose deadline is before {@code nowNanos}. */
  public void sweep(long nowNanos) {
    List<Entry<T>> expired = take(call -> call.deadline() != 0 && nowNanos - call.deadline() > 0);
    for (Entry<T> call : expired) {
      call.promise().fail(timeoutFailure.apply(call.timeout()));
    }
  }

  /** Fails the calls whose tag matches, e.g. those that went to a node that left. */
  public void failIf(Predicate<Object> tag, Throwable failure) {
    take(call -> call.tag() != null && tag.test(call.tag())).forEach(call -> call.promise().fail(failure));
  }

  /** Fails every waiting call, e.g. when the connection closes. */
  public void failAll(Throwable failure) {
    take(call -> true).forEach(call -> call.promise().fail(failure));
  }

  /** @return the number of waiting calls */
  public int size() {
    return calls.size();
  }

  /** @return whether no call is waiting */
  public boolean isEmpty() {
    return calls.isEmpty();
  }

  /**
   * Reads the id of a response to a call of such a table.
   *
   * @return the id, or -1 when the JSON text is not a plain decimal id of ours
   */
  public static long idOf(Buffer id) {
    if (id == null || id.length() == 0 || id.length() > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < id.length(); i++) {
      byte digit = id.getByte(i);
      if (digit < '0' || digit > '9') {
        return -1;
      }
      value = value * 10 + (digit - '0');
    }
    return value;
  }

  private List<Entry<T>> take(Predicate<Entry<T>> which) {
    List<Entry<T>> taken = new ArrayList<>();
    for (Iterator<Entry<T>> it = calls.values().iterator(); it.hasNext(); ) {
      Entry<T> call = it.next();
      if (which.test(call)) {
        it.remove();
        taken.add(call);
      }
    }
    return taken;
  }
}
