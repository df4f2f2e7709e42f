package io.busrpc.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench --mode server-to-client}: opens {@code connections} sockets, logs each in as
 * {@code bench-<run id>-<i>} and answers every {@code bench.echo} the server sends on them with the
 * first element of its params; then asks {@code bench.drive} (served by
 * {@link ClientCallDriverVerticle}) over one extra socket to keep {@code inFlight} calls per
 * connection going for the warm-up and the measured seconds. The latencies are the server's: from
 * {@code clients().call(...)} to its answer. Each request is parsed once, with the project's own
 * parser; the echoed number is cut out of its params without a second parse.
 */
public final class ServerToClientBench {

  final Vertx vertx;
  final BenchOptions options;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  final AtomicLong answered = new AtomicLong();
  final AtomicLong unexpected = new AtomicLong();
  final AtomicLong lost = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  volatile boolean closing;

  private ServerToClientBench(Vertx vertx, BenchOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Creates a run of {@code options} (host, port, framing, connections, inFlight, warmup, duration, timeout). */
  public static ServerToClientBench create(Vertx vertx, BenchOptions options) {
    if (options.getFraming() == Wire.BRIDGE) {
      throw new IllegalArgumentException("server-to-client needs a JSON-RPC framing (len, line or lsp), not bridge");
    }
    return new ServerToClientBench(vertx, options);
  }

  /** The outcome: the server's figures for the measured part plus what the client side saw. */
  public record Result(BenchOptions options, JsonObject server, long answered, long unexpected, long lost,
                       String firstProblem) {

    /** @return the calls measured */
    public long calls() {
      return server.getLong("calls", 0L);
    }

    /** @return the calls measured that failed */
    public long errors() {
      return server.getLong("errors", 0L);
    }

    /** @return every failed call, warm-up included */
    public long totalErrors() {
      return server.getLong("totalErrors", 0L);
    }

    /** @return the measured seconds */
    public double seconds() {
      return server.getDouble("seconds", 0.0);
    }

    /** @return the measured throughput */
    public double callsPerSecond() {
      return seconds() <= 0 ? 0 : calls() / seconds();
    }

    /** @return true when any call failed, over the whole run, on either side */
    public boolean hasProblems() {
      return totalErrors() > 0 || unexpected > 0 || lost > 0;
    }

    /** @return a one-line description of the run */
    public String workload() {
      BenchOptions o = options;
      return String.format(Locale.ROOT, "%s:%d %s, server-to-client, %d connections, %d in flight each (closed loop), bench.echo [n], %d s after %d s warm-up",
        o.getHost(), o.getPort(), o.getFraming().wireName(), o.getConnections(), o.getInFlight(), o.getDuration(), o.getWarmup());
    }

    /** @return the human-readable summary */
    public String summary() {
      StringBuilder s = new StringBuilder();
      s.append(workload()).append('\n');
      s.append(String.format(Locale.ROOT, "  throughput  %,.0f calls/s (%,d calls in %.2f s)%n", callsPerSecond(), calls(), seconds()));
      s.append(String.format(Locale.ROOT, "  latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (mean %.3f)%n",
        server.getDouble("p50", 0.0), server.getDouble("p90", 0.0), server.getDouble("p99", 0.0),
        server.getDouble("p999", 0.0), server.getDouble("max", 0.0), server.getDouble("mean", 0.0)));
      s.append(String.format(Locale.ROOT, "  errors      %,d failed calls%n", errors()));
      s.append(String.format(Locale.ROOT, "  whole run   %,d calls (%,d failed) on the server; %,d answered by the client, %,d unexpected frames, %,d connections lost%n",
        server.getLong("totalCalls", 0L), totalErrors(), answered, unexpected, lost));
      String problem = firstProblem != null ? firstProblem : server.getString("firstError");
      if (problem != null) {
        s.append("  first problem: ").append(problem).append('\n');
      }
      return s.toString();
    }

    /** @return the result in its JSON form */
    public JsonObject toJson() {
      return new JsonObject()
        .put("mode", "server-to-client")
        .put("options", options.toJson().put("mode", "server-to-client"))
        .put("workload", workload())
        .put("seconds", seconds())
        .put("calls", calls())
        .put("callsPerSecond", Math.round(callsPerSecond()))
        .put("latencyMs", new JsonObject().put("p50", server.getValue("p50")).put("p90", server.getValue("p90"))
          .put("p99", server.getValue("p99")).put("p99.9", server.getValue("p999"))
          .put("max", server.getValue("max")).put("mean", server.getValue("mean")))
        .put("errors", errors())
        .put("total", new JsonObject().put("calls", server.getValue("totalCalls")).put("errors", totalErrors())
          .put("answeredByClient", answered).put("unexpected", unexpected).put("lost", lost))
        .put("firstProblem", firstProblem != null ? firstProblem : server.getString("firstError"));
    }
  }

  /** Connects, logs in, drives and closes; fails when a connection, a login or the drive call fails. */
  public Future<Result> run() {
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    List<Future<ServerToClientPeer>> peers = new ArrayList<>();
    for (int i = 0; i < options.getConnections(); i++) {
      String uid = "bench-" + runId + "-" + i;
      peers.add(ServerToClientPeer.open(this, client, uid).compose(p -> p.login(uid).map(p)));
    }
    return Future.all(peers).compose(all -> {
      List<String> uids = new ArrayList<>();
      for (int i = 0; i < options.getConnections(); i++) {
        uids.add("bench-" + runId + "-" + i);
      }
      JsonObject params = new JsonObject().put("uids", uids).put("inFlight", options.getInFlight())
        .put("durationMs", options.getDuration() * 1000L).put("warmupMs", options.getWarmup() * 1000L);
      long wait = (options.getWarmup() + options.getDuration()) * 1000L + options.getTimeout();
      return ServerToClientPeer.open(this, client, "bench-" + runId + "-driver")
        .compose(driver -> driver.call("bench.drive", params, wait).eventually(() -> {
          closing = true;
          return driver.close();
        }));
    }).map(server -> new Result(options, (JsonObject) server, answered.get(), unexpected.get(), lost.get(),
        firstProblem.get()))
      .eventually(() -> {
        closing = true;
        return client.close();
      });
  }

  void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }
}
