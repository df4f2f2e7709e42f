package io.busrpc.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * What a load-generator run measured. Counts without "total" cover the measured window (after the
 * warm-up); the totals cover the whole run, warm-up and final drain included, so that
 * {@code totalSent == totalAnswered + totalTimeouts + totalFailures} whenever nothing unexpected
 * happened.
 */
public final class BenchResult {

  /** Percentiles drawn in the HTML plot and listed in the JSON form. */
  static final double[] PERCENTILES = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5,
    99.75, 99.9, 99.95, 99.99, 99.995, 99.999, 100};

  private final BenchOptions options;
  private final double seconds;
  private final Histogram latency;
  private final long calls;
  private final long errors;
  private final long timeouts;
  private final long failures;
  private final long unexpected;
  private final long totalSent;
  private final long totalAnswered;
  private final long totalErrors;
  private final long totalTimeouts;
  private final long totalFailures;
  private final long totalUnexpected;
  private final String firstProblem;
  private final String aborted;

  BenchResult(BenchOptions options, double seconds, Histogram latency, long calls, long errors, long timeouts,
              long failures, long unexpected, long totalSent, long totalAnswered, long totalErrors,
              long totalTimeouts, long totalFailures, long totalUnexpected, String firstProblem, String aborted) {
    this.options = options;
    this.seconds = seconds;
    this.latency = latency;
    this.calls = calls;
    this.errors = errors;
    this.timeouts = timeouts;
    this.failures = failures;
    this.unexpected = unexpected;
    this.totalSent = totalSent;
    this.totalAnswered = totalAnswered;
    this.totalErrors = totalErrors;
    this.totalTimeouts = totalTimeouts;
    this.totalFailures = totalFailures;
    this.totalUnexpected = totalUnexpected;
    this.firstProblem = firstProblem;
    this.aborted = aborted;
  }

  /** @return the options of the run */
  public BenchOptions options() {
    return options;
  }

  /** @return the length of the measured window in seconds */
  public double seconds() {
    return seconds;
  }

  /** @return the latencies (ns) of the calls answered in the measured window, error answers included */
  public Histogram latency() {
    return latency;
  }

  /** @return calls answered (result or error) in the measured window */
  public long calls() {
    return calls;
  }

  /** @return answered calls per second in the measured window */
  public double callsPerSecond() {
    return seconds <= 0 ? 0 : calls / seconds;
  }

  /** @return error answers in the measured window */
  public long errors() {
    return errors;
  }

  /** @return calls not answered within the timeout in the measured window */
  public long timeouts() {
    return timeouts;
  }

  /** @return calls lost with a connection the server closed, or not sent because of it, in the window */
  public long failures() {
    return failures;
  }

  /** @return answers that matched no outstanding call (late after a timeout, or unreadable) */
  public long unexpected() {
    return unexpected;
  }

  /** @return calls written over the whole run */
  public long totalSent() {
    return totalSent;
  }

  /** @return answers (results and errors) to sent calls over the whole run */
  public long totalAnswered() {
    return totalAnswered;
  }

  /** @return error answers over the whole run */
  public long totalErrors() {
    return totalErrors;
  }

  /** @return timeouts over the whole run */
  public long totalTimeouts() {
    return totalTimeouts;
  }

  /** @return calls lost with closed connections over the whole run */
  public long totalFailures() {
    return totalFailures;
  }

  /** @return answers that matched no outstanding call over the whole run */
  public long totalUnexpected() {
    return totalUnexpected;
  }

  /** @return the first error answer or connection problem seen, or null */
  public String firstProblem() {
    return firstProblem;
  }

  /** @return why the run ended early, or null when it ran its course */
  public String aborted() {
    return aborted;
  }

  /** @return the latency at a percentile, in ms (0 when nothing was measured) */
  public double percentileMs(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
  }

  /** @return true when any call failed in any way over the whole run */
  public boolean hasProblems() {
    return totalErrors > 0 || totalTimeouts > 0 || totalFailures > 0 || totalUnexpected > 0 || aborted != null;
  }

  /** @return a one-line description of the workload */
  public String workload() {
    BenchOptions o = options;
    String load = o.getRate() > 0
      ? String.format(Locale.ROOT, "%,d calls/s offered (open loop)", o.getRate())
      : o.getInFlight() + " in flight each (closed loop)";
    String call = o.getPayload() > 0 ? "echo " + o.getPayload() + " B"
      : o.getMethod() + (o.getParams() == null ? "" : " " + o.getParams());
    return String.format(Locale.ROOT, "%s:%d %s, %d connections, %s, %s, %d s after %d s warm-up, %d threads",
      o.getHost(), o.getPort(), o.getFraming().wireName(), o.getConnections(), load, call, o.getDuration(),
      o.getWarmup(), o.effectiveThreads());
  }

  /** @return the human-readable summary printed at the end of a run */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(workload()).append('\n');
    s.append(String.format(Locale.ROOT, "  throughput  %,.0f calls/s (%,d calls in %.2f s)%n", callsPerSecond(), calls, seconds));
    s.append(String.format(Locale.ROOT, "  latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (mean %.3f)%n",
      percentileMs(50), percentileMs(90), percentileMs(99), percentileMs(99.9), percentileMs(100),
      latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1e6));
    s.append(String.format(Locale.ROOT, "  errors      %,d error answers, %,d timeouts, %,d lost with closed connections, %,d unexpected%n",
      errors, timeouts, failures, unexpected));
    s.append(String.format(Locale.ROOT, "  whole run   %,d sent, %,d answered (%,d errors), %,d timeouts, %,d lost, %,d unexpected%n",
      totalSent, totalAnswered, totalErrors, totalTimeouts, totalFailures, totalUnexpected));
    if (firstProblem != null) {
      s.append("  first problem: ").append(firstProblem).append('\n');
    }
    if (aborted != null) {
      s.append("  ABORTED: ").append(aborted).append('\n');
    }
    return s.toString();
  }

  /** @return the machine-readable form */
  public JsonObject toJson() {
    JsonArray percentiles = new JsonArray();
    for (double p : PERCENTILES) {
      percentiles.add(new JsonObject().put("percentile", p).put("ms", round(percentileMs(p))));
    }
    return new JsonObject()
      .put("options", options.toJson().put("threads", options.effectiveThreads()))
      .put("workload", workload())
      .put("seconds", round(seconds))
      .put("calls", calls)
      .put("callsPerSecond", Math.round(callsPerSecond()))
      .put("latencyMs", new JsonObject()
        .put("p50", round(percentileMs(50))).put("p90", round(percentileMs(90)))
        .put("p99", round(percentileMs(99))).put("p99.9", round(percentileMs(99.9)))
        .put("max", round(percentileMs(100)))
        .put("mean", round(latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1e6)))
      .put("errors", errors).put("timeouts", timeouts).put("failures", failures).put("unexpected", unexpected)
      .put("total", new JsonObject().put("sent", totalSent).put("answered", totalAnswered)
        .put("errors", totalErrors).put("timeouts", totalTimeouts).put("failures", totalFailures).put("unexpected", totalUnexpected))
      .put("percentiles", percentiles)
      .put("firstProblem", firstProblem)
      .put("aborted", aborted);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
