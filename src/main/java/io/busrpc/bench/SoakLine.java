package io.busrpc.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;

/**
 * One report line of a soak run: cumulative counts up to {@code second}, the rate and latency
 * of the interval that ends there, and the server's memory at that moment (-1: not measured).
 */
public record SoakLine(long second, long skipped, long sent, long answered, long lost, long duplicated, long late, long unexpected,
                       long wrong, long inFlight, Map<Integer, Long> errors, long serverCalls, long roomMessages,
                       long logins, long logouts, long reconnects, long dropped, double callsPerSecond,
                       double p50Ms, double p99Ms, double maxMs, long heapAfterGcBytes, long rssBytes) {

  /** A snapshot of the cumulative counters. */
  record Totals(long skipped, long sent, long answered, long lost, long duplicated, long late, long unexpected, long wrong,
                Map<Integer, Long> errors, long serverCalls, long roomMessages, long logins, long logouts,
                long reconnects, long dropped, long nanos) {
    static Totals of(SoakStats s) {
      return new Totals(s.skipped.sum(), s.sent.sum(), s.answered.sum(), s.lost.sum(), s.duplicated.sum(), s.late.sum(),
        s.unexpected.sum(), s.wrong.sum(), s.errorsByCode(), s.serverCalls.sum(), s.roomMessages.sum(),
        s.logins.sum(), s.logouts.sum(), s.reconnects.sum(), s.dropped.sum(), System.nanoTime());
    }
  }

  static SoakLine of(long second, Totals before, Totals now, Histogram interval, ServerProbe.Memory memory, int inFlight) {
    double seconds = Math.max(1e-9, (now.nanos() - before.nanos()) / 1e9);
    return new SoakLine(second, now.skipped(), now.sent(), now.answered(), now.lost(), now.duplicated(), now.late(), now.unexpected(),
      now.wrong(), inFlight, now.errors(), now.serverCalls(), now.roomMessages(), now.logins(), now.logouts(),
      now.reconnects(), now.dropped(), (now.answered() - before.answered()) / seconds, ms(interval, 50), ms(interval, 99),
      ms(interval, 100), memory.heapAfterGcBytes(), memory.rssBytes());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : Math.round(h.getValueAtPercentile(percentile) / 1e3) / 1e3;
  }

  /** @return the line as the tool prints it */
  public String format() {
    return String.format(Locale.ROOT,
      "%5ds  not offered %,d  expected %,d  received %,d  lost %d  duplicated %d  late %d  unexpected %d  wrong %d  in flight %d  errors %s"
        + "  |  %,.0f calls/s  p50 %.2f ms  p99 %.2f ms  max %.1f ms  |  server->client %,d  room msgs %,d  logins %,d  logouts %,d"
        + "  reconnects %,d  dropped %d  |  server heap after GC %s  RSS %s",
      second, skipped, sent, answered, lost, duplicated, late, unexpected, wrong, inFlight, errors, callsPerSecond, p50Ms, p99Ms, maxMs,
      serverCalls, roomMessages, logins, logouts, reconnects, dropped, mib(heapAfterGcBytes), mib(rssBytes));
  }

  /** @return the line in JSON form */
  public JsonObject toJson() {
    JsonObject byCode = new JsonObject();
    errors.forEach((code, n) -> byCode.put(Integer.toString(code), n));
    return new JsonObject().put("second", second).put("notOffered", skipped).put("expected", sent).put("received", answered).put("lost", lost)
      .put("duplicated", duplicated).put("late", late).put("unexpected", unexpected).put("wrong", wrong)
      .put("inFlight", inFlight).put("errors", byCode).put("serverToClientCalls", serverCalls)
      .put("roomMessages", roomMessages).put("logins", logins).put("logouts", logouts).put("reconnects", reconnects)
      .put("dropped", dropped).put("callsPerSecond", Math.round(callsPerSecond)).put("p50Ms", p50Ms).put("p99Ms", p99Ms)
      .put("maxMs", maxMs).put("heapAfterGcBytes", heapAfterGcBytes).put("rssBytes", rssBytes);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
