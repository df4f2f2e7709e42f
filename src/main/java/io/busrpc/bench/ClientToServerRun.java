package io.busrpc.bench;

import java.util.Locale;

/** {@code bench --mode client-to-server} (the default): the tool calls the server through a {@link LoadGenerator}. */
final class ClientToServerRun {

  private ClientToServerRun() {
  }

  /** @return the exit code: 0, 1 when the result shows problems, 2 when the run failed */
  static int run(BenchOptions options, BenchRun run) {
    return run.run(options.effectiveThreads(), null, (vertx, progress) -> {
      progress.println("bench: " + describe(options));
      BenchResult result = LoadGenerator.create(vertx, options).run(p -> progress.println(progressLine(p))).await();
      run.print(result.toJson(), result.summary());
      run.writeHtml(() -> HtmlReport.render(result));
      return result.hasProblems() ? 1 : 0;
    });
  }

  private static String describe(BenchOptions o) {
    String load = o.getRate() > 0 ? String.format(Locale.ROOT, "%,d calls/s offered", o.getRate())
      : o.getInFlight() + " in flight per connection";
    return String.format(Locale.ROOT, "%s:%d %s, %d connections on %d threads, %s, %s, %d s warm-up + %d s",
      o.getHost(), o.getPort(), o.getFraming().wireName(), o.getConnections(), o.effectiveThreads(), load,
      o.getPayload() > 0 ? "echo " + o.getPayload() + " B" : o.getMethod() + " " + o.getParams(),
      o.getWarmup(), o.getDuration());
  }

  private static String progressLine(LoadGenerator.Progress p) {
    return String.format(Locale.ROOT, "%4ds %-7s %,10d calls/s  p50 %8.3f ms  p99 %8.3f ms  errors %d  timeouts %d  lost %d  in flight %d",
      p.second(), p.measuring() ? "measure" : "warmup", p.callsPerSecond(), p.p50Ms(), p.p99Ms(), p.errors(),
      p.timeouts(), p.failures(), p.inFlight());
  }
}
