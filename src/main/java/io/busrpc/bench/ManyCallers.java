package io.busrpc.bench;

import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured calls of {@code bench --mode many}: a few connections from 127.0.0.1 that call
 * {@code sum [n, 1]} at a fixed rate (open loop: latency from each call's intended send time, so a
 * stall counts in full), and that send the {@code bench.broadcast} calls. It keeps every call's
 * intended time and latency, so that calls can be split later into those made during a broadcast
 * and those made outside one. Confined to its event loop.
 */
final class ManyCallers extends VerticleBase {

  private static final int MAX_FRAME = 64 * 1024;
  static final long UNANSWERED = -1;
  static final long FAILED = -2;

  private final ManyOptions options;
  private final ManyStats stats;
  private final List<NetSocket> sockets = new ArrayList<>();
  private final Map<String, Promise<Object>> control = new HashMap<>();
  private NetClient client;
  private long[] intended = new long[1 << 16];
  private long[] latency = new long[1 << 16];
  private int sent;
  private int outstanding;
  private long skipped;
  private long startNanos;
  private long timer = -1;
  private Promise<Void> drained;

  ManyCallers(ManyOptions options, ManyStats stats) {
    this.options = options;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    client = vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0.1").setTcpNoDelay(true)
      .setConnectTimeout(30_000));
    List<Future<NetSocket>> connects = new ArrayList<>();
    for (int i = 0; i < options.getCallers(); i++) {
      connects.add(client.connect(options.getPort(), options.getHost()).onSuccess(this::attach));
    }
    return Future.all(connects);
  }

  private void attach(NetSocket socket) {
    sockets.add(socket);
    socket.handler(new FrameDecoder(MAX_FRAME, this::frame, e -> {
      stats.unexpected.increment();
      stats.problem("caller: bad frame from the server: " + e.getMessage());
    }));
    socket.closeHandler(v -> {
      if (timer >= 0) {
        stats.dropped.increment();
        stats.problem("the server closed a caller's connection");
      }
    });
  }

  /** Starts the calls; their schedule starts now. */
  Future<Void> go() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      startNanos = System.nanoTime();
      timer = vertx.setPeriodic(1, t -> tick());
      started.complete();
    });
    return started.future();
  }

  /** Calls {@code bench.broadcast [k]}; completes with the time it was written, once answered. */
  Future<Long> broadcast(int k) {
    Promise<Object> answer = Promise.promise();
    long[] at = new long[1];
    context.runOnContext(v -> {
      control.put("b" + k, answer);
      at[0] = System.nanoTime();
      sockets.get(0).write(Wire.LEN.framing().encode(JsonRpcWriter.request(Buffer.buffer("\"b" + k + "\""),
        "bench.broadcast", Buffer.buffer("[" + k + "]"))));
    });
    return answer.future().map(r -> at[0]);
  }

  /** Stops the calls; completes once each is answered, or after the timeout. */
  Future<Void> finish() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      timer = -1;
      drained = done;
      if (outstanding == 0) {
        done.tryComplete();
      }
      vertx.setTimer(options.getTimeout(), t -> done.tryComplete());
    });
    return done.future();
  }

  /** Read after {@link #finish()}: the intended send times (ns) of the calls, in order. */
  long[] intended() {
    return Arrays.copyOf(intended, sent);
  }

  /** Read after {@link #finish()}: each call's latency in ns, or {@link #UNANSWERED} / {@link #FAILED}. */
  long[] latency() {
    return Arrays.copyOf(latency, sent);
  }

  /** @return calls not sent because the schedule was more than a second behind */
  long skipped() {
    return skipped;
  }

  private void tick() {
    long now = System.nanoTime();
    double rate = options.getRate();
    long due = (long) ((now - startNanos) / 1e9 * rate);
    if (due - sent - skipped > rate) {
      // A second behind (the event loop stalled): skip that part and count it, rather than send a
      // burst that stalls the loop further.
      skipped += due - sent - skipped - (long) Math.ceil(rate / 10);
    }
    // The calls due now go out as one write per connection: a write per call is a system call
    // each, which at 10,000 calls/s costs the loop more than the calls.
    Buffer[] batch = new Buffer[sockets.size()];
    while (sent + skipped < due) {
      long at = startNanos + (long) ((sent + skipped) / rate * 1e9);
      int id = add(at);
      int s = id % batch.length;
      if (batch[s] == null) {
        batch[s] = Buffer.buffer();
      }
      batch[s].appendBuffer(Wire.LEN.framing().encode(JsonRpcWriter.request(
        Buffer.buffer(Integer.toString(id)), "sum", Buffer.buffer("[" + id + ",1]"))));
    }
    for (int s = 0; s < batch.length; s++) {
      if (batch[s] != null) {
        sockets.get(s).write(batch[s]);
      }
    }
  }

  /** @return the id of a new call intended at {@code at} */
  private int add(long at) {
    int id = sent++;
    if (id == intended.length) {
      intended = Arrays.copyOf(intended, id * 2);
      latency = Arrays.copyOf(latency, id * 2);
    }
    intended[id] = at;
    latency[id] = UNANSWERED;
    outstanding++;
    return id;
  }

  private void frame(Buffer frame) {
    long now = System.nanoTime();
    List<JsonRpcMessage> messages;
    try {
      messages = JsonRpcParser.parse(frame).messages();
    } catch (RpcException e) {
      stats.unexpected.increment();
      stats.problem("caller: unreadable frame: " + e.getMessage());
      return;
    }
    for (JsonRpcMessage m : messages) {
      if (m.kind() != JsonRpcMessage.Kind.RESPONSE || m.id() == null) {
        stats.unexpected.increment();
        stats.problem("caller: unexpected message: " + frame);
        continue;
      }
      String id = m.id().toString();
      if (id.startsWith("\"")) {
        answerControl(id.substring(1, id.length() - 1), m);
      } else {
        try {
          answer(Integer.parseInt(id), m, now);
        } catch (NumberFormatException e) {
          stats.unexpected.increment();
          stats.problem("caller: an answer with id " + id + ": " + frame);
        }
      }
    }
  }

  private void answerControl(String id, JsonRpcMessage m) {
    Promise<Object> p = control.remove(id);
    if (p == null) {
      stats.unexpected.increment();
    } else if (m.error() != null) {
      p.fail(id + " failed: " + m.error());
    } else {
      p.complete(Json.decodeValue(m.result()));
    }
  }

  private void answer(int id, JsonRpcMessage m, long now) {
    if (id < 0 || id >= sent || latency[id] != UNANSWERED) {
      stats.unexpected.increment();
      stats.problem("caller: a second answer, or one never asked for, to call " + id);
      return;
    }
    boolean right = m.error() == null && Json.decodeValue(m.result()) instanceof Number n && n.longValue() == id + 1L;
    if (!right) {
      stats.problem("call " + id + " (sum [" + id + ",1]) answered " + (m.error() != null ? m.error() : m.result()));
    }
    latency[id] = right ? Math.max(0, now - intended[id]) : FAILED;
    if (--outstanding == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    timer = -1;
    return client.close();
  }
}
