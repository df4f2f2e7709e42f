package io.busrpc.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event loop of a soak run: owns the connections {@code n} with {@code n % threads == index},
 * opens them a few at a time, and on its own timers sends its share of the offered rate (open
 * loop: each call has an intended send time), logs connections out and in, reconnects some, and
 * sweeps for lost calls.
 */
final class SoakVerticle extends VerticleBase {

  /** Connections opened at once per event loop while the run starts. */
  private static final int OPENING = 32;

  private final Soak soak;
  private final int index;
  private final int threads;
  private final List<SoakConnection> conns = new ArrayList<>();
  private final Map<Integer, NetClient> clients = new HashMap<>();
  private final double rate;
  private long startNanos;
  private long sent;
  private long nextId;
  private int cursor;
  private boolean sending;

  SoakVerticle(Soak soak, int index, int threads) {
    this.soak = soak;
    this.index = index;
    this.threads = threads;
    this.rate = soak.options.getRate() / (double) threads;
  }

  @Override
  public Future<?> start() {
    for (int n = index; n < soak.options.getConnections(); n += threads) {
      conns.add(new SoakConnection(soak, client(n), n));
    }
    Promise<Void> opened = Promise.promise();
    int[] next = {0};
    int[] done = {0};
    for (int k = 0; k < Math.min(OPENING, conns.size()); k++) {
      openNext(next, done, opened);
    }
    if (conns.isEmpty()) {
      opened.complete();
    }
    return opened.future();
  }

  private void openNext(int[] next, int[] done, Promise<Void> opened) {
    if (next[0] >= conns.size()) {
      return;
    }
    SoakConnection conn = conns.get(next[0]++);
    conn.open().onComplete(ar -> {
      if (ar.failed()) {
        opened.tryFail(new IllegalStateException(conn.uid + " could not connect and log in: " + ar.cause().getMessage(), ar.cause()));
        return;
      }
      if (++done[0] == conns.size()) {
        opened.tryComplete();
      } else {
        openNext(next, done, opened);
      }
    });
  }

  /** On loopback, spreads connections over source addresses 127.0.0.1, .2, ... below the per-address limit. */
  private NetClient client(int n) {
    int source = soak.options.getHost().startsWith("127.") ? n / SoakOptions.CONNECTIONS_PER_SOURCE : 0;
    return clients.computeIfAbsent(source, s -> {
      NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000);
      if (soak.options.getHost().startsWith("127.")) {
        options.setLocalAddress("127.0.0." + (1 + s));
      }
      return vertx.createNetClient(options);
    });
  }

  /** Starts the load on this event loop; {@code start} is the common start of the schedule. */
  void go(long start) {
    context.runOnContext(v -> {
      startNanos = start;
      sending = true;
      vertx.setPeriodic(10, t -> tick());
      vertx.setPeriodic(1000, t -> churn());
      vertx.setPeriodic(1000, t -> conns.forEach(c -> c.sweep(System.nanoTime())));
    });
  }

  /** Stops sending; completes once every call of this event loop is answered or counted as lost. */
  Future<Void> finish() {
    Promise<Void> finished = Promise.promise();
    context.runOnContext(v -> {
      sending = false;
      int[] left = {conns.size()};
      if (left[0] == 0) {
        finished.complete();
      }
      for (SoakConnection c : conns) {
        c.finish(() -> {
          if (--left[0] == 0) {
            finished.tryComplete();
          }
        });
      }
    });
    return finished.future();
  }

  /** @return calls in flight on this event loop's connections (read on its context) */
  Future<Integer> inFlight() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> p.complete(conns.stream().mapToInt(SoakConnection::inFlight).sum()));
    return p.future();
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closes = new ArrayList<>();
    conns.forEach(c -> closes.add(c.close()));
    return Future.join(closes).compose(v -> Future.join(clients.values().stream().map(NetClient::close).toList()));
  }

  private void tick() {
    if (!sending) {
      return;
    }
    long now = System.nanoTime();
    long due = (long) ((now - startNanos) / 1e9 * rate);
    if (due - sent > rate) {
      // More than a second behind the schedule (this machine cannot offer the rate): skip that part
      // and count it, rather than sending a burst that blocks the event loop and falls further behind.
      long skip = due - sent - (long) Math.ceil(rate / 10);
      soak.stats.skipped.add(skip);
      sent += skip;
    }
    while (sent < due) {
      long intended = startNanos + (long) (sent / rate * 1e9);
      sent++;
      SoakConnection conn = nextReady();
      if (conn == null) {
        soak.stats.problem("no connection was ready to send on");
        continue;
      }
      sendOne(conn, intended);
    }
  }

  private SoakConnection nextReady() {
    for (int k = 0; k < conns.size(); k++) {
      SoakConnection c = conns.get(cursor);
      cursor = (cursor + 1) % conns.size();
      if (c.state() == SoakConnection.State.READY) {
        return c;
      }
    }
    return null;
  }

  private void sendOne(SoakConnection conn, long intended) {
    long id = ++nextId * threads + index; // unique over the run's event loops
    int slot = (int) (sent % 100);
    SoakOptions o = soak.options;
    if (slot < o.getRoomPercent()) {
      conn.send(id, intended, "chat.say", new JsonObject().put("room", soak.room(conn.number)).put("text", "m" + id).toBuffer(), true);
      return;
    }
    if (slot < o.getRoomPercent() + o.getServerCallPercent()) {
      int target = soak.readyTarget(conn.number);
      if (target >= 0) {
        String to = soak.uid(target);
        conn.send(id, intended, "chat.send", new JsonObject().put("to", to).put("text", "t" + id).toBuffer(), to);
        return;
      }
    }
    long a = id % 1_000_000;
    conn.send(id, intended, "subtract", new JsonArray().add(a).add(1).toBuffer(), a - 1);
  }

  private void churn() {
    if (!sending) {
      return;
    }
    SoakOptions o = soak.options;
    int logins = share(o.getLoginsPerSecond());
    int reconnects = share(o.getReconnectsPerSecond());
    for (int k = 0; k < logins + reconnects; k++) {
      SoakConnection c = conns.get(ThreadLocalRandom.current().nextInt(conns.size()));
      if (c.state() != SoakConnection.State.READY) {
        continue;
      }
      if (k < logins) {
        c.relogin();
      } else {
        c.reconnect();
      }
    }
  }

  private int share(int perSecond) {
    return perSecond / threads + (index < perSecond % threads ? 1 : 0);
  }

}
