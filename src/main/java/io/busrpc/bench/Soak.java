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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * {@code bench --soak}: hours, if asked, of mixed load on a node that serves the demo's chat. Every
 * connection logs in as {@code soak-<run>-<n>} and joins a room; the run offers a fixed rate of
 * calls (mostly {@code subtract}, some {@code chat.send}, which the server turns into a
 * {@code chat.receive} call on another connection, some {@code chat.say} to a room), logs
 * connections out and in and reconnects some every second, and every interval reports what was
 * expected and what came back, errors by code, p50/p99 and, given the server's pid, its heap after
 * a full collection and its RSS. Each answer is checked: its value, and that it came once.
 */
public final class Soak {

  final SoakOptions options;
  final SoakStats stats = new SoakStats();
  private final Vertx vertx;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicIntegerArray ready;
  private final List<SoakVerticle> verticles = new ArrayList<>();

  private Soak(Vertx vertx, SoakOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.ready = new AtomicIntegerArray(options.getConnections());
  }

  /** Creates a run; nothing happens until {@link #run}. */
  public static Soak create(Vertx vertx, SoakOptions options) {
    return new Soak(vertx, options);
  }

  String uid(int n) {
    return "soak-" + runId + "-" + n;
  }

  String room(int n) {
    return "soak-" + runId + "-room-" + (n / options.getRoomSize());
  }

  void ready(int n, boolean isReady) {
    ready.set(n, isReady ? 1 : 0);
  }

  /** @return a connection other than {@code self} that is logged in right now, or -1 */
  int readyTarget(int self) {
    for (int attempt = 0; attempt < 8; attempt++) {
      int n = ThreadLocalRandom.current().nextInt(options.getConnections());
      if (n != self && ready.get(n) == 1) {
        return n;
      }
    }
    return -1;
  }

  /**
   * Opens and logs in every connection, runs the load for the duration, waits for the last
   * answers and closes. {@code onLine} gets a line per interval and the final one.
   *
   * @return the result; fails when the connections cannot be opened
   */
  public Future<SoakResult> run(Consumer<SoakLine> onLine) {
    int threads = options.effectiveThreads();
    List<Future<String>> deployments = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      SoakVerticle v = new SoakVerticle(this, i, threads);
      verticles.add(v);
      deployments.add(vertx.deployVerticle(v, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP)));
    }
    ServerProbe probe = options.getServerPid() > 0 ? new ServerProbe(options.getServerPid()) : null;
    List<SoakLine> lines = new ArrayList<>();
    Promise<SoakResult> result = Promise.promise();
    long opening = System.nanoTime();
    Future.all(deployments).onFailure(result::tryFail).onSuccess(all -> {
      long start = System.nanoTime();
      long openedMs = (start - opening) / 1_000_000;
      verticles.forEach(v -> v.go(start));
      SoakLine.Totals[] previous = {SoakLine.Totals.of(stats)};
      long[] reports = {0};
      long intervalMs = options.getInterval() * 1000L;
      long endMs = options.getDuration() * 1000L;
      // A line's figures come asynchronously (the server's memory is read on a worker): lines are
      // reported in the order they were taken, so a slow probe never puts a line after a later one.
      Future<?>[] reported = {Future.succeededFuture()};
      long timer = vertx.setPeriodic(intervalMs, t -> {
        long second = ++reports[0] * options.getInterval();
        if (second < options.getDuration()) { // the last line comes after the final answers
          Future<SoakLine> line = line(second, previous, probe);
          reported[0] = reported[0].transform(ar -> line).onSuccess(l -> {
            lines.add(l);
            onLine.accept(l);
          });
        }
      });
      vertx.setTimer(endMs, t -> {
        vertx.cancelTimer(timer);
        Future.all(verticles.stream().map(SoakVerticle::finish).toList())
          .compose(v -> {
            Future<SoakLine> last = line(options.getDuration(), previous, probe);
            return reported[0].transform(ar -> last);
          })
          .compose(last -> {
            lines.add(last);
            onLine.accept(last);
            return Future.join(verticles.stream().map(v -> vertx.undeploy(v.deploymentID())).toList())
              .transform(ar -> Future.succeededFuture(new SoakResult(options, openedMs, List.copyOf(lines),
                stats.total, stats.firstProblem.get())));
          })
          .onComplete(result);
      });
    });
    return result.future();
  }

  private Future<SoakLine> line(long second, SoakLine.Totals[] previous, ServerProbe probe) {
    SoakLine.Totals now = SoakLine.Totals.of(stats);
    Histogram interval = stats.interval();
    Future<ServerProbe.Memory> memory = probe == null
      ? Future.succeededFuture(new ServerProbe.Memory(-1, -1))
      : vertx.executeBlocking(probe::read, false);
    Future<Integer> inFlight = Future.all(verticles.stream().map(SoakVerticle::inFlight).toList())
      .map(all -> all.<Integer>list().stream().mapToInt(Integer::intValue).sum());
    SoakLine.Totals before = previous[0];
    previous[0] = now;
    return Future.all(memory, inFlight).map(all -> SoakLine.of(second, before, now, interval, memory.result(),
      inFlight.result()));
  }
}
