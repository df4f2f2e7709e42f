package io.busrpc.bench;

import java.util.Locale;

/**
 * {@code bench --mode server-to-client}: the tool's clients log in and answer the calls that the
 * server's driver makes to them; the server measures ({@link ServerToClientBench}).
 */
final class ServerToClientRun {

  private ServerToClientRun() {
  }

  /** @return the exit code: 0, 1 when the result shows problems, 2 when the run failed */
  static int run(BenchOptions options, BenchRun run) {
    return run.run(options.effectiveThreads(), "server-to-client", (vertx, progress) -> {
      progress.printf(Locale.ROOT, "bench: %s:%d %s, server-to-client, %d connections, %d in flight each, %d s warm-up + %d s (measured by the server)%n",
        options.getHost(), options.getPort(), options.getFraming().wireName(), options.getConnections(),
        options.getInFlight(), options.getWarmup(), options.getDuration());
      ServerToClientBench.Result result = ServerToClientBench.create(vertx, options).run().await();
      run.print(result.toJson(), result.summary());
      return result.hasProblems() ? 1 : 0;
    });
  }
}
