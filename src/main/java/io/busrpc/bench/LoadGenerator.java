package io.busrpc.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Offers JSON-RPC load to a server and measures it: {@code connections} sockets spread over
 * {@code threads} event loops, each keeping {@code inFlight} calls outstanding (closed loop), or all
 * together sending {@code rate} calls/s on a fixed schedule (open loop, latency measured from each
 * call's intended send time so that a stalled server cannot hide behind calls the tool failed to
 * send).
 *
 * <p>A run connects, warms up, measures, then stops sending and waits (up to the call timeout) for
 * the answers still outstanding, so that at the end every call it sent was either answered, timed
 * out, or lost with its connection.
 */
public final class LoadGenerator {

  /**
   * One line of progress, once a second.
   *
   * @param second        seconds since the load started
   * @param measuring     false during the warm-up
   * @param callsPerSecond answers in that second
   * @param p50Ms         median latency in that second, ms
   * @param p99Ms         99th percentile latency in that second, ms
   * @param errors        error answers in that second
   * @param timeouts      timeouts in that second
   * @param failures      calls lost with a closed connection, or not sent because it was closed
   * @param inFlight      calls outstanding now
   */
  public record Progress(int second, boolean measuring, long callsPerSecond, double p50Ms, double p99Ms,
                         long errors, long timeouts, long failures, long inFlight) {
  }

  private final Vertx vertx;
  private final BenchOptions options;

  private LoadGenerator(Vertx vertx, BenchOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Creates a generator for one run of {@code options} on {@code vertx}'s event loops. */
  public static LoadGenerator create(Vertx vertx, BenchOptions options) {
    return new LoadGenerator(vertx, options);
  }

  /**
   * Runs the load and measures it.
   *
   * @param progress receives a line each second (on an event loop); may be null
   * @return the result; fails when the connections cannot be opened or the params cannot be framed
   */
  public Future<BenchResult> run(Handler<Progress> progress) {
    State state;
    try {
      state = new State(options);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    int threads = options.effectiveThreads();
    List<LoadVerticle> workers = new CopyOnWriteArrayList<>();
    AtomicInteger index = new AtomicInteger();
    Context coordinator = vertx.getOrCreateContext();
    return vertx.deployVerticle(() -> {
        LoadVerticle worker = new LoadVerticle(state, index.getAndIncrement(), threads);
        workers.add(worker);
        return worker;
      }, new DeploymentOptions().setInstances(threads))
      .recover(e -> Future.failedFuture(new IllegalStateException("cannot connect to " + options.getHost()
        + ":" + options.getPort() + ": " + e.getMessage(), e)))
      .compose(deployment -> {
        Promise<BenchResult> done = Promise.promise();
        coordinator.runOnContext(v -> new Run(state, workers, deployment, progress, done).start());
        return done.future();
      });
  }

  /** Counters shared by the event loops of one run. */
  static final class State {
    final BenchOptions options;
    final RequestTemplate template;
    final long timeoutNanos;
    final Recorder recorder = new Recorder(3);
    // Whole run; never reset (LongAdder.sumThenReset can lose concurrent updates): the coordinator
    // takes differences. Answers per interval come from the latency recorder's interval histogram.
    final LongAdder totalSent = new LongAdder();
    final LongAdder totalAnswered = new LongAdder();
    final LongAdder totalErrors = new LongAdder();
    final LongAdder totalTimeouts = new LongAdder();
    final LongAdder totalFailures = new LongAdder();
    final LongAdder totalUnexpected = new LongAdder();
    final LongAdder inFlight = new LongAdder();
    final AtomicInteger liveConnections = new AtomicInteger();
    final AtomicReference<String> firstError = new AtomicReference<>();
    volatile boolean stopping;

    State(BenchOptions options) {
      this.options = options;
      this.template = new RequestTemplate(options.getFraming(), options.effectiveMethod(), options.effectiveParams());
      this.timeoutNanos = options.getTimeout() * 1_000_000L;
    }

    void timedOut(long n) {
      totalTimeouts.add(n);
      inFlight.add(-n);
    }

    void failed(long n, boolean wasInFlight) {
      totalFailures.add(n);
      if (wasInFlight) {
        inFlight.add(-n);
      }
    }
  }

  /** The coordinator: ticks every second, sums up, stops the run. */
  private final class Run {
    private final State state;
    private final List<LoadVerticle> workers;
    private final String deployment;
    private final Handler<Progress> progress;
    private final Promise<BenchResult> done;
    private final Histogram measured = new Histogram(3);
    private Histogram interval;
    private long measureStart;
    private long measureEnd;
    private boolean anyMeasured;
    private long calls;
    private long errors;
    private long timeouts;
    private long failures;
    private long unexpected;
    private long lastErrors;
    private long lastTimeouts;
    private long lastFailures;
    private long lastUnexpected;
    private int second;
    private long timer;
    private String aborted;

    Run(State state, List<LoadVerticle> workers, String deployment, Handler<Progress> progress,
        Promise<BenchResult> done) {
      this.state = state;
      this.workers = workers;
      this.deployment = deployment;
      this.progress = progress;
      this.done = done;
    }

    void start() {
      long go = System.nanoTime();
      measureStart = go;
      for (LoadVerticle worker : workers) {
        worker.context().runOnContext(v -> worker.go(go));
      }
      timer = vertx.setPeriodic(1000, t -> tick());
    }

    private void tick() {
      second++;
      interval = state.recorder.getIntervalHistogram(interval);
      long answered = interval.getTotalCount();
      long err = -lastErrors + (lastErrors = state.totalErrors.sum());
      long to = -lastTimeouts + (lastTimeouts = state.totalTimeouts.sum());
      long fail = -lastFailures + (lastFailures = state.totalFailures.sum());
      long unexp = -lastUnexpected + (lastUnexpected = state.totalUnexpected.sum());
      int warmup = state.options.getWarmup();
      boolean measuring = second > warmup;
      long now = System.nanoTime();
      if (second == warmup) {
        measureStart = now;
      }
      if (measuring) {
        measured.add(interval);
        calls += answered;
        errors += err;
        timeouts += to;
        failures += fail;
        unexpected += unexp;
        measureEnd = now;
        anyMeasured = true;
      }
      if (progress != null) {
        progress.handle(new Progress(second, measuring, answered, ms(interval.getValueAtPercentile(50), interval),
          ms(interval.getValueAtPercentile(99), interval), err, to, fail, state.inFlight.sum()));
      }
      boolean last = second >= warmup + state.options.getDuration();
      if (!last && state.liveConnections.get() == 0) {
        aborted = "every connection was closed by the server";
        last = true;
      }
      if (last) {
        vertx.cancelTimer(timer);
        state.stopping = true;
        drain(now + state.timeoutNanos);
      }
    }

    private void drain(long deadline) {
      if (state.inFlight.sum() > 0 && System.nanoTime() - deadline < 0) {
        vertx.setTimer(10, t -> drain(deadline));
        return;
      }
      vertx.undeploy(deployment).onComplete(ar -> {
        double seconds = !anyMeasured ? 0 : (measureEnd - measureStart) / 1e9;
        done.complete(new BenchResult(state.options, seconds, measured, calls, errors, timeouts, failures,
          unexpected, state.totalSent.sum(), state.totalAnswered.sum(), state.totalErrors.sum(),
          state.totalTimeouts.sum(), state.totalFailures.sum(), state.totalUnexpected.sum(), state.firstError.get(), aborted));
      });
    }
  }

  private static double ms(long nanos, Histogram h) {
    return h.getTotalCount() == 0 ? 0 : nanos / 1e6;
  }
}
