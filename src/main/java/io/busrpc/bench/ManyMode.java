package io.busrpc.bench;

import picocli.CommandLine.Option;

import java.util.Locale;

/** The options that only {@code bench --mode many} has (a picocli mixin of {@link BenchCommand}), and its run. */
final class ManyMode {

  @Option(names = "--callers", defaultValue = "" + ManyOptions.DEFAULT_CALLERS, description = "Many: extra connections that make the measured calls (default: ${DEFAULT-VALUE}).")
  int callers;

  @Option(names = "--per-source", defaultValue = "" + ManyOptions.DEFAULT_PER_SOURCE, description = "Many: connections per loopback source address, 127.0.0.2 and up (default: ${DEFAULT-VALUE}, below the gateway's maxConnectionsPerAddress).")
  int perSource;

  @Option(names = "--broadcasts", defaultValue = "" + ManyOptions.DEFAULT_BROADCASTS, description = "Many: broadcasts, each timed until the last connection has it (default: ${DEFAULT-VALUE}).")
  int broadcasts;

  @Option(names = "--quiet", defaultValue = "" + ManyOptions.DEFAULT_QUIET, description = "Many: seconds of calls before the first broadcast (the first half is warm-up) and after each (default: ${DEFAULT-VALUE}).")
  int quiet;

  /** Runs {@code bench --mode many} with the common options given; returns the exit code. */
  int run(BenchCommand c, BenchRun run) {
    ManyOptions options;
    try {
      options = new ManyOptions().setHost(c.host).setPort(c.port).setConnections(c.connections).setCallers(callers)
        .setRate(c.rate > 0 ? c.rate : ManyOptions.DEFAULT_RATE).setPerSource(perSource).setBroadcasts(broadcasts)
        .setQuiet(quiet).setTimeout(c.timeout == BenchOptions.DEFAULT_TIMEOUT ? ManyOptions.DEFAULT_TIMEOUT : c.timeout)
        .setServerPid(c.serverPid).setThreads(c.threads).checkSources();
    } catch (IllegalArgumentException e) {
      return run.refuse(e.getMessage());
    }
    // One more event loop than the connections' for the callers, so the calls have a loop of their own.
    return run.run(options.effectiveThreads() + 1, "many", (vertx, progress) -> {
      progress.printf(Locale.ROOT, "bench: many %s:%d, %,d connections logged in, %,d per source address, %d broadcasts, "
          + "%,d calls/s (sum) on %d more connections%n", options.getHost(), options.getPort(), options.getConnections(),
        options.getPerSource(), options.getBroadcasts(), options.getRate(), options.getCallers());
      ManyResult result = ManyConnections.create(vertx, options).run(line -> {
        progress.println("bench: " + line);
        progress.flush();
      }).await();
      run.print(result.toJson(), result.summary());
      return result.hasProblems() ? 1 : 0;
    });
  }
}
