package io.busrpc.bench;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

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

  private final Vertx vertx;
  private final BenchOptions options;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private volatile boolean closing;

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
    List<Future<Peer>> peers = new ArrayList<>();
    for (int i = 0; i < options.getConnections(); i++) {
      String uid = "bench-" + runId + "-" + i;
      peers.add(Peer.open(this, client, uid).compose(p -> p.login(uid).map(p)));
    }
    return Future.all(peers).compose(all -> {
      List<String> uids = new ArrayList<>();
      for (int i = 0; i < options.getConnections(); i++) {
        uids.add("bench-" + runId + "-" + i);
      }
      JsonObject params = new JsonObject().put("uids", uids).put("inFlight", options.getInFlight())
        .put("durationMs", options.getDuration() * 1000L).put("warmupMs", options.getWarmup() * 1000L);
      long wait = (options.getWarmup() + options.getDuration()) * 1000L + options.getTimeout();
      return Peer.open(this, client, "bench-" + runId + "-driver")
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

  private void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }

  /** One socket: answers the server's calls, and makes calls of its own (login, drive) one at a time. */
  private static final class Peer implements MessageReader.Receiver {
    private final ServerToClientBench bench;
    private final NetSocket socket;
    private final String name;
    private volatile Promise<Object> pending;
    private volatile long pendingId;
    private long nextId;

    private Peer(ServerToClientBench bench, NetSocket socket, String name) {
      this.bench = bench;
      this.socket = socket;
      this.name = name;
    }

    static Future<Peer> open(ServerToClientBench bench, NetClient client, String name) {
      return client.connect(bench.options.getPort(), bench.options.getHost()).map(socket -> {
        Peer peer = new Peer(bench, socket, name);
        MessageReader.attach(socket, peer);
        socket.closeHandler(v -> peer.closed());
        return peer;
      });
    }

    Future<Void> login(String uid) {
      return call("rpc.login", new JsonObject().put("uid", uid), bench.options.getTimeout())
        .mapEmpty();
    }

    /** Sends a request and waits up to {@code timeoutMs} for its answer. */
    Future<Object> call(String method, JsonObject params, long timeoutMs) {
      Promise<Object> promise = Promise.promise();
      long id = ++nextId;
      pending = promise;
      pendingId = id;
      long timer = bench.vertx.setTimer(timeoutMs, t -> promise.tryFail(new IllegalStateException(name + ": " + method + " got no answer within " + timeoutMs + " ms")));
      write(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, params.toBuffer()));
      return promise.future().andThen(ar -> bench.vertx.cancelTimer(timer));
    }

    @Override
    public void notification(JsonRpcMessage m) {
      // rpc.shutdown and the like: nothing to do
    }

    @Override
    public void unexpected(String what) {
      bench.unexpected.incrementAndGet();
      bench.problem(name + ": " + what);
    }

    @Override
    public void request(JsonRpcMessage m) {
      if (!"bench.echo".equals(m.method())) {
        // rpc.ping included: any answer shows the gateway the connection is alive.
        write(JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.METHOD_NOT_FOUND, m.method())));
        return;
      }
      write(JsonRpcWriter.result(m.id(), firstParam(m.params())));
      bench.answered.incrementAndGet();
    }

    /**
     * The first element of the params as JSON text. The driver sends {@code [n]}: its number is cut
     * out of the text the parser has checked already; anything else goes through a JSON tree.
     */
    private static Buffer firstParam(Buffer params) {
      if (params == null) {
        return JsonRpcWriter.encodeValue(null);
      }
      int end = params.length() - 1;
      if (end > 1 && params.getByte(0) == '[' && params.getByte(end) == ']') {
        boolean plainNumber = true;
        for (int i = 1; i < end && plainNumber; i++) {
          byte b = params.getByte(i);
          plainNumber = b == '-' || (b >= '0' && b <= '9');
        }
        if (plainNumber) {
          return params.slice(1, end);
        }
      }
      return JsonRpcWriter.encodeValue(new JsonArray(params).getValue(0));
    }

    @Override
    public void response(JsonRpcMessage m) {
      Promise<Object> promise = pending;
      if (promise == null || m.id() == null || !Long.toString(pendingId).equals(m.id().toString())) {
        unexpected("answer to no call of ours: " + m.id());
        return;
      }
      pending = null;
      if (m.error() != null) {
        promise.tryFail(new IllegalStateException(name + ": " + m.error()));
      } else {
        promise.tryComplete(Json.decodeValue(m.result()));
      }
    }

    private void write(Buffer json) {
      socket.write(bench.options.getFraming().framing().encode(json));
    }

    private void closed() {
      if (!bench.closing) {
        bench.lost.incrementAndGet();
        bench.problem(name + ": the server closed the connection");
      }
      Promise<Object> promise = pending;
      if (promise != null) {
        promise.tryFail(new IllegalStateException(name + ": connection closed"));
      }
    }

    Future<Void> close() {
      return socket.close();
    }
  }
}
