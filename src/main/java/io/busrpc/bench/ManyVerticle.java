package io.busrpc.bench;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop of {@code bench --mode many}: owns the connections {@code n} with
 * {@code n % threads == index}, opens and logs them in a few at a time from their source
 * addresses, answers the server's pings, and counts each broadcast a connection gets (once: a
 * second copy is a duplicate). Per-connection state is confined to this event loop.
 */
final class ManyVerticle extends VerticleBase {

  /** Connections being opened at once on this event loop. */
  private static final int OPENING = 64;
  private static final int MAX_FRAME = 64 * 1024;
  private static final Buffer LOGIN_ID = Buffer.buffer("\"login\"");

  private final ManyOptions options;
  private final ManyStats stats;
  private final String runId;
  private final int index;
  private final int threads;
  private final Map<String, NetClient> clients = new HashMap<>();
  private NetSocket[] sockets;
  private Promise<?>[] logins;
  private int[] lastBroadcast;
  private boolean closing;

  ManyVerticle(ManyOptions options, ManyStats stats, String runId, int index, int threads) {
    this.options = options;
    this.stats = stats;
    this.runId = runId;
    this.index = index;
    this.threads = threads;
  }

  /** Opens and logs in this event loop's connections; fails with the first that cannot. */
  @Override
  public Future<?> start() {
    int count = 0;
    for (int n = index; n < options.getConnections(); n += threads) {
      count++;
    }
    sockets = new NetSocket[count];
    logins = new Promise<?>[count];
    lastBroadcast = new int[count];
    Promise<Void> opened = Promise.promise();
    int[] next = {0};
    int[] done = {0};
    for (int k = 0; k < Math.min(OPENING, count); k++) {
      openNext(count, next, done, opened);
    }
    if (count == 0) {
      opened.complete();
    }
    // A failed start is not undeployed: close what did open.
    return opened.future().onFailure(e -> stop());
  }

  private void openNext(int count, int[] next, int[] done, Promise<Void> opened) {
    if (next[0] >= count) {
      return;
    }
    int slot = next[0]++;
    int n = index + slot * threads;
    open(slot, n).onComplete(ar -> {
      if (ar.failed()) {
        opened.tryFail(new IllegalStateException("connection " + n + " from " + options.source(n)
          + " could not connect and log in: " + ar.cause().getMessage(), ar.cause()));
      } else if (++done[0] == count) {
        opened.tryComplete();
      } else {
        openNext(count, next, done, opened);
      }
    });
  }

  private Future<Void> open(int slot, int n) {
    return client(options.source(n)).connect(options.getPort(), options.getHost()).compose(socket -> {
      sockets[slot] = socket;
      Promise<Void> login = Promise.promise();
      logins[slot] = login;
      socket.handler(new FrameDecoder(MAX_FRAME, frame -> frame(slot, socket, frame), e -> {
        stats.unexpected.increment();
        stats.problem("connection " + n + ": bad frame from the server: " + e.getMessage());
        socket.close();
      }));
      socket.closeHandler(v -> closed(slot, n));
      socket.write(Wire.LEN.framing().encode(JsonRpcWriter.request(LOGIN_ID, "rpc.login",
        new JsonObject().put("uid", "many-" + runId + "-" + n).toBuffer())));
      return login.future();
    });
  }

  private NetClient client(String source) {
    return clients.computeIfAbsent(source, s -> vertx.createNetClient(new NetClientOptions()
      .setLocalAddress(s).setTcpNoDelay(true).setConnectTimeout(30_000)));
  }

  private void frame(int slot, NetSocket socket, Buffer frame) {
    List<JsonRpcMessage> messages;
    try {
      messages = JsonRpcParser.parse(frame).messages();
    } catch (RpcException e) {
      stats.unexpected.increment();
      stats.problem("unreadable frame: " + e.getMessage());
      return;
    }
    for (JsonRpcMessage m : messages) {
      if (m.kind() == JsonRpcMessage.Kind.NOTIFICATION && "bench.broadcast".equals(m.method())) {
        broadcast(slot, m.params());
      } else if (m.kind() == JsonRpcMessage.Kind.RESPONSE && LOGIN_ID.equals(m.id()) && logins[slot] != null) {
        Promise<?> login = logins[slot];
        logins[slot] = null;
        if (m.error() != null) {
          login.fail("login refused: " + m.error());
        } else {
          login.complete(null);
        }
      } else if (m.kind() == JsonRpcMessage.Kind.REQUEST && "rpc.ping".equals(m.method())) {
        socket.write(Wire.LEN.framing().encode(JsonRpcWriter.result(m.id(), JsonRpcWriter.encodeValue("pong"))));
      } else {
        stats.unexpected.increment();
        stats.problem("unexpected message: " + frame);
        if (m.expectsAnswer()) {
          socket.write(Wire.LEN.framing().encode(JsonRpcWriter.error(m.id(),
            new RpcException(ErrorCode.METHOD_NOT_FOUND, m.method()))));
        }
      }
    }
  }

  private void broadcast(int slot, Buffer params) {
    long now = System.nanoTime();
    int k;
    try {
      k = new JsonArray(params).getInteger(0);
    } catch (RuntimeException e) {
      stats.unexpected.increment();
      stats.problem("broadcast with params " + params);
      return;
    }
    if (k <= lastBroadcast[slot]) {
      stats.duplicates.increment();
      stats.problem("connection " + (index + slot * threads) + " got broadcast " + k + " again");
      return;
    }
    lastBroadcast[slot] = k;
    stats.arrived(k, now);
  }

  private void closed(int slot, int n) {
    Promise<?> login = logins[slot];
    if (login != null) {
      login.tryFail("closed before the login was answered");
    }
    if (!closing) {
      stats.dropped.increment();
      stats.problem("the server closed connection " + n);
    }
  }

  @Override
  public Future<?> stop() {
    closing = true;
    List<Future<Void>> closes = new ArrayList<>();
    for (NetSocket s : sockets) {
      if (s != null) {
        closes.add(s.close());
      }
    }
    return Future.join(closes).compose(v -> Future.join(clients.values().stream().map(NetClient::close).toList()));
  }
}
