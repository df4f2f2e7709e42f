package io.busrpc.bench;

import java.util.Locale;

/** {@code bench --soak}: a long run against the demo's chat ({@link Soak}), a report line every interval. */
final class SoakRun {

  private SoakRun() {
  }

  /** @return the exit code: 0, 1 when an answer was lost, duplicated or wrong, 2 when the run failed */
  static int run(SoakOptions options, BenchRun run) {
    return run.run(options.effectiveThreads(), "soak", (vertx, progress) -> {
      progress.printf(Locale.ROOT, "bench: soak %s:%d %s, %,d connections, %,d calls/s offered (%d%% chat.send, %d%% chat.say),"
          + " %d logins/logouts and %d reconnects per second, %d s, a line every %d s%n",
        options.getHost(), options.getPort(), options.getFraming().wireName(), options.getConnections(), options.getRate(),
        options.getServerCallPercent(), options.getRoomPercent(), options.getLoginsPerSecond(), options.getReconnectsPerSecond(),
        options.getDuration(), options.getInterval());
      SoakResult result = Soak.create(vertx, options).run(line -> {
        progress.println(line.format());
        progress.flush();
      }).await();
      run.print(result.toJson(), result.summary());
      run.writeHtml(() -> SoakReport.render(result));
      return result.hasProblems() ? 1 : 0;
    });
  }
}
