package io.busrpc.bench;

import io.busrpc.protocol.JsonRpcMessage;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The measured calls one soak connection has in flight, and the check of every answer: the right
 * value, once, and in time (a call unanswered after the timeout is lost; its answer, if it comes,
 * late). Confined to the connection's event loop.
 */
final class SoakCalls {

  /** A call of the soak, and what its answer must be. */
  private record Pending(long intendedNanos, Object expected) {
  }

  private final SoakStats stats;
  private final String uid;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Set<Long> declaredLost = new HashSet<>();
  private long lastId;

  SoakCalls(SoakStats stats, String uid) {
    this.stats = stats;
    this.uid = uid;
  }

  /** @return how many calls wait for their answer */
  int size() {
    return pending.size();
  }

  /** @return whether no call waits for its answer */
  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** Counts a call sent, meant to go out at {@code intendedNanos}, whose answer must be {@code expected}. */
  void sent(long id, long intendedNanos, Object expected) {
    lastId = id;
    pending.put(id, new Pending(intendedNanos, expected));
    stats.sent.increment();
  }

  /** Checks the answer {@code m} to call {@code id}: its latency, its value, that it is the first. */
  void answered(long id, JsonRpcMessage m) {
    Pending call = pending.remove(id);
    if (call == null) {
      if (declaredLost.remove(id)) {
        stats.late.increment();
      } else if (id <= lastId) {
        stats.duplicated.increment();
        stats.problem(uid + ": a second answer to call " + id);
      } else {
        stats.unexpected.increment();
        stats.problem(uid + ": answer to call " + id + ", never sent");
      }
      return;
    }
    stats.answered.increment();
    stats.latency.recordValue(Math.max(0, System.nanoTime() - call.intendedNanos()));
    if (m.error() != null) {
      stats.error(new JsonObject(m.error()).getInteger("code", 0));
    } else if (!same(call.expected(), Json.decodeValue(m.result()))) {
      stats.wrong.increment();
      stats.problem(uid + ": call " + id + " answered " + m.result() + ", expected " + call.expected());
    }
  }

  /** Counts the calls unanswered after {@code timeoutMs} as lost. */
  void sweep(long now, long timeoutMs) {
    long limit = timeoutMs * 1_000_000L;
    for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Pending> e = it.next();
      if (now - e.getValue().intendedNanos() > limit) {
        it.remove();
        declaredLost.add(e.getKey());
        stats.lost.increment();
        stats.problem(uid + ": call " + e.getKey() + " unanswered after " + timeoutMs + " ms");
      }
    }
  }

  /** The server closed the connection: every call in flight on it is lost. */
  void lostWithConnection() {
    stats.lost.add(pending.size());
    if (!pending.isEmpty()) {
      stats.problem(uid + ": the server closed the connection with " + pending.size() + " calls in flight");
    }
    pending.clear();
  }

  private static boolean same(Object expected, Object actual) {
    if (expected instanceof Number e && actual instanceof Number a) {
      return e.longValue() == a.longValue();
    }
    return expected.equals(actual);
  }
}
