package io.busrpc.bench;

import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * One event loop of the load generator: owns the connections {@code i} with
 * {@code i % threads == index}, sends their calls and reads their answers. Everything here runs on
 * this verticle's event loop, so connections need no locks; only the run's counters are shared.
 */
final class LoadVerticle extends VerticleBase {

  private static final int MAX_FRAME = 16 * 1024 * 1024;

  private final LoadGenerator.State state;
  private final int index;
  private final int threads;
  private final List<Conn> conns = new ArrayList<>();
  private NetClient client;
  private WebSocketClient webSockets;
  private long sendTimer = -1;
  private long sweepTimer = -1;
  private long ackTimer = -1;

  LoadVerticle(LoadGenerator.State state, int index, int threads) {
    this.state = state;
    this.index = index;
    this.threads = threads;
  }

  Context context() {
    return context;
  }

  @Override
  public Future<?> start() {
    BenchOptions o = state.options;
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5000));
    if (o.getFraming() == Wire.WS) {
      webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setTcpNoDelay(true).setConnectTimeout(5000)
        .setMaxFrameSize(MAX_FRAME).setMaxMessageSize(MAX_FRAME));
    }
    List<Future<?>> connects = new ArrayList<>();
    for (int i = index; i < o.getConnections(); i += threads) {
      Conn conn = new Conn(i);
      conns.add(conn);
      if (webSockets != null) {
        connects.add(WebSocketLink.connect(webSockets, o.getHost(), o.getPort(),
            o.isLogin() ? "bench-" + LOGIN_RUN + "-" + conn.number : null)
          .onSuccess(conn::attach));
      } else {
        connects.add(client.connect(o.getPort(), o.getHost())
          .compose(socket -> o.isLogin() || o.isResume() ? login(socket, conn.number) : Future.succeededFuture(socket))
          .onSuccess(conn::attach));
      }
    }
    return Future.all(connects);
  }

  /** Logs one connection in before the run; its answer must be a result. */
  private Future<NetSocket> login(NetSocket socket, int number) {
    BenchOptions o = state.options;
    if (o.getFraming() == Wire.BRIDGE) {
      return Future.failedFuture(new IllegalArgumentException("--login needs a JSON-RPC framing, not bridge"));
    }
    return TcpLogin.login(socket, o.getFraming().framing(), MAX_FRAME, "bench-" + LOGIN_RUN + "-" + number, o.isResume());
  }

  /** Starts sending; {@code goNanos} is the start of the open-loop schedule. */
  void go(long goNanos) {
    BenchOptions o = state.options;
    if (o.getRate() > 0) {
      double intervalNanos = 1e9 * o.getConnections() / o.getRate();
      for (Conn conn : conns) {
        conn.scheduleStart = goNanos + (long) (intervalNanos * conn.number / o.getConnections());
        conn.intervalNanos = intervalNanos;
      }
      sendTimer = vertx.setPeriodic(1, t -> {
        long now = System.nanoTime();
        for (Conn conn : conns) {
          conn.sendDue(now);
        }
      });
    } else {
      long now = System.nanoTime();
      for (Conn conn : conns) {
        for (int k = 0; k < o.getInFlight() && !conn.dead; k++) {
          conn.send(now);
        }
      }
    }
    if (o.isResume()) {
      ackTimer = vertx.setPeriodic(ResumeAcks.ACK_EVERY, t -> conns.forEach(Conn::ack));
    }
    long sweep = Math.max(1, Math.min(100, o.getTimeout() / 4));
    sweepTimer = vertx.setPeriodic(sweep, t -> {
      long now = System.nanoTime();
      for (Conn conn : conns) {
        conn.expire(now);
      }
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sendTimer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(ackTimer);
    for (Conn conn : conns) {
      conn.closeByUs();
    }
    return webSockets == null ? client.close() : Future.all(client.close(), webSockets.close());
  }

  // Distinguishes the uids of runs against one server, so runs do not replace each other's logins.
  private static final String LOGIN_RUN = Long.toString(System.currentTimeMillis() % 100_000);

  /** One socket. */
  private final class Conn {
    final int number;
    final StartTimes pending;
    final ResponseScanner scanner = new ResponseScanner(state.options.getFraming() == Wire.BRIDGE);
    final FrameDecoder decoder = new FrameDecoder(MAX_FRAME, this::onFrame, e -> protocolError(e.getMessage()));
    final boolean closedLoop = state.options.getRate() == 0;
    final ResumeAcks acks = state.options.isResume() ? new ResumeAcks() : null;
    NetSocket socket;
    WebSocketLink ws;
    long nextSeq = 1;
    boolean dead;
    boolean closing;
    long scheduleStart;
    double intervalNanos;
    long scheduled;

    Conn(int number) {
      this.number = number;
      this.pending = new StartTimes(closedLoop ? state.options.getInFlight() : 64);
    }

    void attach(NetSocket socket) {
      this.socket = socket;
      state.liveConnections.incrementAndGet();
      socket.handler(decoder);
      socket.closeHandler(v -> closed());
    }

    void attach(WebSocketLink ws) {
      this.ws = ws;
      state.liveConnections.incrementAndGet();
      ws.start(this::onFrame, v -> closed());
    }

    void write(Buffer request) {
      if (ws != null) {
        ws.write(request);
      } else {
        socket.write(request);
      }
    }

    void close() {
      if (ws != null) {
        ws.close();
      } else if (socket != null) {
        socket.close();
      }
    }

    void send(long startNanos) {
      long seq = nextSeq++;
      pending.put(seq, startNanos);
      state.totalSent.increment();
      state.inFlight.increment();
      write(state.template.encode(seq));
    }

    /** Open loop: sends every call whose intended time has come, stamped with that time. */
    void sendDue(long now) {
      while (!state.stopping) {
        long intended = scheduleStart + (long) (intervalNanos * scheduled);
        if (intended - now > 0) {
          return;
        }
        scheduled++;
        if (dead) {
          state.failed(1, false);
        } else {
          send(intended);
        }
      }
    }

    void ack() {
      Buffer ack = dead ? null : acks.due();
      if (ack != null) {
        write(state.options.getFraming().framing().encode(ack));
      }
    }

    void onFrame(Buffer frame) {
      if (acks != null && acks.received(frame)) {
        return;
      }
      ResponseScanner.Kind kind = scanner.scan(frame);
      long start = kind == ResponseScanner.Kind.OTHER ? -1 : pending.remove(scanner.id());
      if (start == -1) {
        // A server request, a late answer to a call that timed out, or something unreadable.
        state.totalUnexpected.increment();
        if (state.firstError.get() == null) {
          String text = frame.toString();
          state.firstError.compareAndSet(null, "unexpected answer: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
        return;
      }
      long now = System.nanoTime();
      state.recorder.recordValue(Math.max(0, now - start));
      state.totalAnswered.increment();
      state.inFlight.decrement();
      if (kind == ResponseScanner.Kind.ERROR) {
        state.totalErrors.increment();
        if (state.firstError.get() == null) {
          String text = frame.toString();
          state.firstError.compareAndSet(null, text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
      }
      if (closedLoop && !state.stopping) {
        send(now);
      }
    }

    void expire(long now) {
      int before = pending.size();
      pending.expire(now - state.timeoutNanos, (seq, start) -> { });
      int expired = before - pending.size();
      if (expired > 0) {
        state.timedOut(expired);
        if (closedLoop && !state.stopping && !dead) {
          for (int k = 0; k < expired; k++) {
            send(now);
          }
        }
      }
    }

    void protocolError(String message) {
      state.firstError.compareAndSet(null, "unreadable answer: " + message);
      close();
    }

    void closed() {
      if (dead) {
        return;
      }
      dead = true;
      state.liveConnections.decrementAndGet();
      if (closing) {
        // Stopped by the run: what is still outstanding was never answered in time.
        state.timedOut(pending.size());
      } else {
        state.failed(pending.size(), true);
        state.firstError.compareAndSet(null, "connection closed by the server");
      }
      pending.clear((seq, start) -> { });
    }

    void closeByUs() {
      closing = true;
      if (socket != null || ws != null) {
        closed();
        close();
      }
    }
  }
}
