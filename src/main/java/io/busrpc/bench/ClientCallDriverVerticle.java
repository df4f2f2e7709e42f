package io.busrpc.bench;

import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server side of {@code bench --mode server-to-client}: {@code bench.drive} makes load out of
 * server→client calls. For each uid it keeps {@code inFlight} calls of {@code bench.echo [n]}
 * outstanding through {@link #clients()} for {@code warmupMs + durationMs}, then waits for the
 * calls still out and answers with what the measured part (calls completed after the warm-up)
 * saw: {@code calls, errors, seconds, p50, p90, p99, p999, max} (latencies in ms), plus
 * {@code totalCalls}, {@code totalErrors} and {@code firstError} over the whole run.
 *
 * <p>Deployed by the benchmark configuration {@code conf/bench.json}, not by the demo: anyone who
 * can call it makes the node generate load. The gateway's {@code callTimeout} bounds the whole
 * drive call, so warm-up plus duration must stay below it (30 s there).
 */
public class ClientCallDriverVerticle extends RpcVerticle {

  /** Pause before a failed call's slot makes its next call, in ms. */
  static final long RETRY_AFTER_FAILURE = 10;

  /** Answers {@code bench.drive}; see the class comment. */
  @RpcMethod("bench.drive")
  public Future<Map<String, Object>> drive(List<String> uids, int inFlight, long durationMs, long warmupMs) {
    if (uids == null || uids.isEmpty()) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "uids must be a non-empty array");
    }
    if (inFlight < 1) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "inFlight must be at least 1");
    }
    if (durationMs < 1 || warmupMs < 0) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "durationMs must be >= 1 and warmupMs >= 0");
    }
    Run run = new Run(List.copyOf(uids), inFlight, durationMs, warmupMs);
    // Start from this verticle's event loop so that every callback runs on it: the counters and
    // the histogram need no locking.
    context.runOnContext(v -> run.start());
    return run.done.future();
  }

  private final class Run {
    final List<String> uids;
    final int inFlight;
    final long start;
    final long measureFrom;
    final long end;
    final Histogram latency = new Histogram(3);
    final Promise<Map<String, Object>> done = Promise.promise();
    long next;
    long outstanding;
    long calls;
    long errors;
    long totalCalls;
    long totalErrors;
    String firstError;

    Run(List<String> uids, int inFlight, long durationMs, long warmupMs) {
      this.uids = uids;
      this.inFlight = inFlight;
      this.start = System.nanoTime();
      this.measureFrom = start + warmupMs * 1_000_000;
      this.end = measureFrom + durationMs * 1_000_000;
    }

    void start() {
      for (String uid : uids) {
        for (int i = 0; i < inFlight; i++) {
          send(uid);
        }
      }
    }

    void send(String uid) {
      long n = next++;
      outstanding++;
      long sent = System.nanoTime();
      clients().call(uid, "bench.echo", List.of(n)).onComplete(ar -> {
        long now = System.nanoTime();
        outstanding--;
        boolean failed = ar.failed() || !(ar.result() instanceof Number echoed && echoed.longValue() == n);
        totalCalls++;
        if (failed) {
          totalErrors++;
          if (firstError == null) {
            firstError = uid + ": " + (ar.failed() ? ar.cause().toString() : "answered " + ar.result() + " to " + n);
          }
        }
        if (now >= measureFrom && now < end) {
          calls++;
          latency.recordValue(now - sent);
          if (failed) {
            errors++;
          }
        }
        if (now >= end) {
          if (outstanding == 0) {
            finish();
          }
        } else if (failed) {
          // A client that is gone fails every call at once: retry after a pause instead of spinning.
          outstanding++;
          vertx.setTimer(RETRY_AFTER_FAILURE, t -> {
            outstanding--;
            if (System.nanoTime() < end) {
              send(uid);
            } else if (outstanding == 0) {
              finish();
            }
          });
        } else {
          // The future completes asynchronously (Clients' contract): this is not a recursion.
          send(uid);
        }
      });
    }

    void finish() {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("calls", calls);
      result.put("errors", errors);
      result.put("seconds", (end - measureFrom) / 1e9);
      result.put("p50", ms(50));
      result.put("p90", ms(90));
      result.put("p99", ms(99));
      result.put("p999", ms(99.9));
      result.put("max", ms(100));
      result.put("mean", latency.getTotalCount() == 0 ? 0.0 : round(latency.getMean() / 1e6));
      result.put("totalCalls", totalCalls);
      result.put("totalErrors", totalErrors);
      result.put("firstError", firstError);
      done.complete(result);
    }

    double ms(double percentile) {
      return latency.getTotalCount() == 0 ? 0.0 : round(latency.getValueAtPercentile(percentile) / 1e6);
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
