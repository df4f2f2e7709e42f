package io.busrpc.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * What {@code bench --mode many} measured: the time to open and log in every connection, the
 * server's memory before and with all of them (heap after GC and RSS, per connection), each
 * broadcast's time until the last connection had it and how many got it, and the calls' latency
 * during the broadcasts and outside them.
 */
record ManyResult(ManyOptions options, long openedMs, ServerProbe.Memory before, ServerProbe.Memory after,
                  List<Broadcast> broadcasts, Calls outside, Calls during, long skipped, long duplicates,
                  long dropped, long unexpected, String firstProblem) {

  /** One broadcast: ms from the call's send until the last connection had it (-1: not all did). */
  record Broadcast(int number, double ms, int received) {
  }

  /** Calls made in one phase; latencies in ms. */
  record Calls(long calls, long failed, long unanswered, double p50, double p99, double max) {

    static Calls of(Histogram h, long failed, long unanswered) {
      return new Calls(h.getTotalCount() + failed + unanswered, failed, unanswered, ms(h, 50), ms(h, 99), ms(h, 100));
    }

    private static double ms(Histogram h, double percentile) {
      return h.getTotalCount() == 0 ? 0 : Math.round(h.getValueAtPercentile(percentile) / 1e3) / 1e3;
    }

    JsonObject toJson() {
      return new JsonObject().put("calls", calls).put("failed", failed).put("unanswered", unanswered)
        .put("p50", p50).put("p99", p99).put("max", max);
    }

    String format() {
      return String.format(Locale.ROOT, "%,d calls, p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d failed, %d unanswered",
        calls, p50, p99, max, failed, unanswered);
    }
  }

  /** @return true when a broadcast missed a connection or came twice, or a call failed or went unanswered */
  boolean hasProblems() {
    return firstProblem != null || duplicates + dropped + unexpected > 0
      || broadcasts.stream().anyMatch(b -> b.received() != options.getConnections())
      || outside.failed() + outside.unanswered() + during.failed() + during.unanswered() > 0;
  }

  /** @return (after - before) / connections, or -1 when either was not read */
  static double perConnection(long before, long after, int connections) {
    return before < 0 || after < 0 ? -1 : (after - before) / (double) connections;
  }

  JsonObject toJson() {
    int n = options.getConnections();
    JsonArray b = new JsonArray();
    broadcasts.forEach(x -> b.add(new JsonObject().put("number", x.number()).put("ms", x.ms()).put("received", x.received())));
    return new JsonObject().put("options", options.toJson()).put("openedMs", openedMs)
      .put("heapBeforeBytes", before.heapAfterGcBytes()).put("heapAfterBytes", after.heapAfterGcBytes())
      .put("heapPerConnection", perConnection(before.heapAfterGcBytes(), after.heapAfterGcBytes(), n))
      .put("rssBeforeBytes", before.rssBytes()).put("rssAfterBytes", after.rssBytes())
      .put("rssPerConnection", perConnection(before.rssBytes(), after.rssBytes(), n))
      .put("broadcasts", b).put("outside", outside.toJson()).put("during", during.toJson()).put("skipped", skipped)
      .put("duplicates", duplicates).put("dropped", dropped).put("unexpected", unexpected).put("firstProblem", firstProblem);
  }

  String summary() {
    int n = options.getConnections();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "opened and logged in %,d connections (from %d source addresses) in %.1f s%n",
      n, options.sources(), openedMs / 1000.0));
    if (before.heapAfterGcBytes() >= 0) {
      s.append(String.format(Locale.ROOT, "server heap after GC %.1f -> %.1f MiB: %,.0f bytes per connection%n",
        mib(before.heapAfterGcBytes()), mib(after.heapAfterGcBytes()),
        perConnection(before.heapAfterGcBytes(), after.heapAfterGcBytes(), n)));
    }
    if (before.rssBytes() >= 0) {
      s.append(String.format(Locale.ROOT, "server RSS %.1f -> %.1f MiB: %,.0f bytes per connection%n",
        mib(before.rssBytes()), mib(after.rssBytes()), perConnection(before.rssBytes(), after.rssBytes(), n)));
    }
    for (Broadcast x : broadcasts) {
      s.append(String.format(Locale.ROOT, "broadcast %d: %,d of %,d connections got it, the last %s after the call%n",
        x.number(), x.received(), n, x.ms() < 0 ? "never (timed out)" : String.format(Locale.ROOT, "%.1f ms", x.ms())));
    }
    s.append(String.format(Locale.ROOT, "calls at %,d/s outside the broadcasts: %s%n", options.getRate(), outside.format()));
    s.append(String.format(Locale.ROOT, "calls at %,d/s during the broadcasts:  %s%n", options.getRate(), during.format()));
    s.append(String.format(Locale.ROOT, "skipped (schedule > 1 s behind) %,d, duplicated broadcasts %d, dropped connections %d, unexpected messages %d%n",
      skipped, duplicates, dropped, unexpected));
    if (firstProblem != null) {
      s.append("first problem: ").append(firstProblem).append('\n');
    }
    return s.toString();
  }

  private static double mib(long bytes) {
    return bytes / 1024.0 / 1024.0;
  }
}
