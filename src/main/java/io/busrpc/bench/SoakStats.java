package io.busrpc.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of a soak run, shared by its event loops: what was sent and what came back, the
 * churn, the latency of each interval. Cumulative; {@link Soak} takes differences per interval.
 */
final class SoakStats {

  final LongAdder sent = new LongAdder();
  /** Calls of the schedule that were not sent because the tool fell more than a second behind. */
  final LongAdder skipped = new LongAdder();
  final LongAdder answered = new LongAdder();
  final LongAdder lost = new LongAdder();
  final LongAdder duplicated = new LongAdder();
  final LongAdder late = new LongAdder();
  final LongAdder unexpected = new LongAdder();
  final LongAdder wrong = new LongAdder();
  final LongAdder serverCalls = new LongAdder();
  final LongAdder roomMessages = new LongAdder();
  final LongAdder logins = new LongAdder();
  final LongAdder logouts = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
  final AtomicReference<String> firstProblem = new AtomicReference<>();
  /** Latency of answered calls in ns, from each call's intended send time. */
  final Recorder latency = new Recorder(3);
  /** Every interval's latency, for the whole-run percentiles. */
  final Histogram total = new Histogram(3);

  void error(int code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }

  /** @return the error answers by code so far */
  Map<Integer, Long> errorsByCode() {
    Map<Integer, Long> byCode = new TreeMap<>();
    errors.forEach((code, n) -> byCode.put(code, n.sum()));
    return byCode;
  }

  /** @return the latencies recorded since the previous call, also added to {@link #total} */
  synchronized Histogram interval() {
    Histogram h = latency.getIntervalHistogram();
    total.add(h);
    return h;
  }
}
