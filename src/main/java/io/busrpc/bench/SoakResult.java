package io.busrpc.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a soak run: its report lines (the last one has the final counts) and the latency
 * over the whole run.
 *
 * @param options the run's parameters
 * @param openedMs how long opening and logging in every connection took
 * @param lines one per interval, the last after the final answers
 * @param latency every answered call's latency in ns
 * @param firstProblem the first thing that went wrong, or null
 */
public record SoakResult(SoakOptions options, long openedMs, List<SoakLine> lines, Histogram latency, String firstProblem) {

  /** @return the final line */
  public SoakLine last() {
    return lines.get(lines.size() - 1);
  }

  /** @return true when an answer was lost, duplicated, late, wrong or unexpected, or the server dropped a connection */
  public boolean hasProblems() {
    SoakLine l = last();
    return l.lost() > 0 || l.duplicated() > 0 || l.late() > 0 || l.wrong() > 0 || l.unexpected() > 0 || l.dropped() > 0
      || l.sent() != l.answered();
  }

  /**
   * @return the change of the server's heap after GC from the first line that has one to the last,
   *     in percent of the first; NaN when it was not measured
   */
  public double heapChangePercent() {
    List<SoakLine> measured = lines.stream().filter(l -> l.heapAfterGcBytes() > 0).toList();
    if (measured.size() < 2) {
      return Double.NaN;
    }
    long first = measured.get(0).heapAfterGcBytes();
    long lastHeap = measured.get(measured.size() - 1).heapAfterGcBytes();
    return 100.0 * (lastHeap - first) / first;
  }

  /** @return the human-readable summary */
  public String summary() {
    SoakLine l = last();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "soak: %,d connections opened and logged in in %,d ms; %d s at %,d calls/s offered%n",
      options.getConnections(), openedMs, options.getDuration(), options.getRate()));
    if (l.skipped() > 0) {
      s.append(String.format(Locale.ROOT, "  offered     %,d calls of the schedule not sent: this machine could not offer the rate%n", l.skipped()));
    }
    s.append(String.format(Locale.ROOT, "  answers     expected %,d  received %,d  lost %d  duplicated %d  late %d  wrong %d  unexpected %d%n",
      l.sent(), l.answered(), l.lost(), l.duplicated(), l.late(), l.wrong(), l.unexpected()));
    s.append(String.format(Locale.ROOT, "  errors      %s by code%n", l.errors()));
    s.append(String.format(Locale.ROOT, "  flowing     %,d server->client calls answered, %,d room messages received%n",
      l.serverCalls(), l.roomMessages()));
    s.append(String.format(Locale.ROOT, "  churn       %,d logins, %,d logouts, %,d reconnects, %d connections dropped by the server%n",
      l.logins(), l.logouts(), l.reconnects(), l.dropped()));
    s.append(String.format(Locale.ROOT, "  latency ms  p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f (whole run, from each call's intended send time)%n",
      ms(50), ms(99), ms(99.9), ms(100)));
    double change = heapChangePercent();
    if (!Double.isNaN(change)) {
      long min = lines.stream().mapToLong(SoakLine::heapAfterGcBytes).filter(h -> h > 0).min().orElse(-1);
      long max = lines.stream().mapToLong(SoakLine::heapAfterGcBytes).max().orElse(-1);
      s.append(String.format(Locale.ROOT, "  server      heap after GC %s first, %s last (%+.1f%%), min %s, max %s; RSS %s last%n",
        SoakLine.mib(lines.stream().filter(x -> x.heapAfterGcBytes() > 0).findFirst().get().heapAfterGcBytes()),
        SoakLine.mib(l.heapAfterGcBytes()), change, SoakLine.mib(min), SoakLine.mib(max), SoakLine.mib(l.rssBytes())));
    }
    if (firstProblem != null) {
      s.append("  first problem: ").append(firstProblem).append('\n');
    }
    return s.toString();
  }

  /** @return latency at a percentile of the whole run, in ms */
  public double ms(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
  }

  /** @return the result in JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("mode", "soak").put("options", options.toJson()).put("openedMs", openedMs)
      .put("lines", new JsonArray(lines.stream().map(SoakLine::toJson).toList()))
      .put("latencyMs", new JsonObject().put("p50", ms(50)).put("p99", ms(99)).put("p99.9", ms(99.9)).put("max", ms(100)))
      .put("heapChangePercent", Double.isNaN(heapChangePercent()) ? null : heapChangePercent())
      .put("firstProblem", firstProblem);
  }
}
