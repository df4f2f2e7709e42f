package io.busrpc.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code bench --mode many}: logs N connections in on one node (spread over source addresses
 * 127.0.0.2 and up), reads the server's memory before and after, then makes calls at a fixed rate on
 * a few extra connections and, between quiet periods, calls {@code bench.broadcast} (deployed by
 * {@code conf/many.json}, {@link BroadcastVerticle}), which makes the server broadcast to every
 * logged-in client; each broadcast is timed from the call until the last connection had it.
 */
public final class ManyConnections {

  private final Vertx vertx;
  private final ManyOptions options;
  private final ManyStats stats;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final List<ManyVerticle> holders = new ArrayList<>();
  private final List<ManyResult.Broadcast> broadcasts = new ArrayList<>();
  private final List<long[]> windows = new ArrayList<>();
  private ManyCallers callers;
  /** What deployed, to undeploy at the end: a deployment that failed has nothing to undeploy. */
  private final List<String> deployed = new ArrayList<>();

  private ManyConnections(Vertx vertx, ManyOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options").checkSources();
    this.stats = new ManyStats(options.getConnections(), options.getBroadcasts());
  }

  /** Creates a run; nothing happens until {@link #run}. Throws when the options do not fit together. */
  public static ManyConnections create(Vertx vertx, ManyOptions options) {
    return new ManyConnections(vertx, options);
  }

  /**
   * Runs it all and closes every connection; {@code progress} gets a line per step.
   *
   * @return the result; fails when a connection cannot be opened or logged in
   */
  public Future<ManyResult> run(Consumer<String> progress) {
    ServerProbe probe = options.getServerPid() > 0 ? new ServerProbe(options.getServerPid()) : null;
    long[] openedMs = new long[1];
    ServerProbe.Memory[] memory = new ServerProbe.Memory[2];
    return memory(probe).compose(before -> {
      memory[0] = before;
      progress.accept(String.format("opening and logging in %,d connections from %d source addresses (127.0.0.2 and up)",
        options.getConnections(), options.sources()));
      long start = System.nanoTime();
      return open().map(v -> openedMs[0] = (System.nanoTime() - start) / 1_000_000);
    }).compose(v -> {
      progress.accept(String.format("all logged in after %.1f s; reading the server's memory", openedMs[0] / 1000.0));
      return memory(probe);
    }).compose(after -> {
      memory[1] = after;
      callers = new ManyCallers(options, stats);
      return deploy(callers);
    }).compose(id -> callers.go()).compose(v -> {
      progress.accept(String.format("calling at %,d/s on %d connections; %d s warm-up", options.getRate(),
        options.getCallers(), options.getQuiet()));
      Future<Void> chain = pause();
      for (int k = 1; k <= options.getBroadcasts(); k++) {
        int number = k;
        chain = chain.compose(x -> broadcast(number, progress)).compose(x -> pause());
      }
      return chain;
    }).compose(v -> callers.finish()).map(v -> result(openedMs[0], memory[0], memory[1]))
      .eventually(() -> close());
  }

  private Future<ServerProbe.Memory> memory(ServerProbe probe) {
    return probe == null ? Future.succeededFuture(new ServerProbe.Memory(-1, -1)) : vertx.executeBlocking(probe::read, false);
  }

  private Future<Void> open() {
    int threads = options.effectiveThreads();
    List<Future<String>> deployments = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      ManyVerticle v = new ManyVerticle(options, stats, runId, i, threads);
      holders.add(v);
      deployments.add(deploy(v));
    }
    return Future.all(deployments).mapEmpty();
  }

  private Future<String> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP))
      .onSuccess(id -> {
        synchronized (deployed) {
          deployed.add(id);
        }
      });
  }

  private Future<Void> broadcast(int k, Consumer<String> progress) {
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(options.getTimeout(), t -> done.tryComplete());
    stats.everywhere(k).onComplete(ar -> done.tryComplete());
    Future<Long> sent = callers.broadcast(k).onFailure(done::tryFail);
    return Future.all(sent, done.future()).map(all -> {
      vertx.cancelTimer(timer);
      long start = sent.result();
      int received = stats.received(k);
      boolean everyone = received == options.getConnections();
      long end = everyone ? stats.lastArrival(k) : System.nanoTime();
      windows.add(new long[] {start, end});
      ManyResult.Broadcast b = new ManyResult.Broadcast(k, everyone ? Math.round((end - start) / 1e5) / 10.0 : -1, received);
      broadcasts.add(b);
      progress.accept(String.format("broadcast %d: %,d of %,d got it, the last after %s", k, received,
        options.getConnections(), everyone ? b.ms() + " ms" : "the timeout"));
      return null;
    });
  }

  private Future<Void> pause() {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(options.getQuiet() * 1000L, t -> p.complete());
    return p.future();
  }

  /** Splits the calls after the warm-up by their intended send time: inside a broadcast's window or not. */
  private ManyResult result(long openedMs, ServerProbe.Memory before, ServerProbe.Memory after) {
    long[] intended = callers.intended();
    long[] latency = callers.latency();
    long measureFrom = windows.isEmpty() ? Long.MAX_VALUE : windows.get(0)[0] - options.getQuiet() * 1_000_000_000L / 2;
    Histogram[] h = {new Histogram(3), new Histogram(3)};
    long[] failed = new long[2];
    long[] unanswered = new long[2];
    for (int i = 0; i < intended.length; i++) {
      if (intended[i] < measureFrom) {
        continue; // the first half of the warm-up
      }
      int phase = during(intended[i]) ? 1 : 0;
      if (latency[i] == ManyCallers.FAILED) {
        failed[phase]++;
      } else if (latency[i] == ManyCallers.UNANSWERED) {
        unanswered[phase]++;
      } else {
        h[phase].recordValue(latency[i]);
      }
    }
    return new ManyResult(options, openedMs, before, after, List.copyOf(broadcasts),
      ManyResult.Calls.of(h[0], failed[0], unanswered[0]), ManyResult.Calls.of(h[1], failed[1], unanswered[1]),
      callers.skipped(), stats.duplicates.sum(), stats.dropped.sum(), stats.unexpected.sum(), stats.firstProblem.get());
  }

  private boolean during(long nanos) {
    for (long[] w : windows) {
      if (nanos >= w[0] && nanos <= w[1]) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> close() {
    List<String> ids;
    synchronized (deployed) {
      ids = List.copyOf(deployed);
    }
    return Future.join(ids.stream().map(vertx::undeploy).toList()).mapEmpty();
  }
}
