package io.busrpc.gateway.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.json.Json;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real transport that keeps its bytes in memory: what the test sends reaches the session core
 * as JSON texts on the core's event loop (held back while the core has paused the transport, as a
 * socket would), and every JSON text the core flushes is recorded, decoded, for the test to take.
 */
final class InMemoryTransport implements SessionTransport {

  private final Context context;
  private final BlockingQueue<Object> written = new LinkedBlockingQueue<>();
  private final List<Buffer> queued = new ArrayList<>();
  private final Deque<String> held = new ArrayDeque<>();
  private Receiver receiver;
  private volatile boolean paused;
  private volatile boolean ended;
  private volatile boolean aborted;
  private volatile boolean closed;

  /** @param context the event loop of the gateway instance the session belongs to */
  InMemoryTransport(Context context) {
    this.context = context;
  }

  /** Sends one JSON text from the client. */
  void send(String json) {
    context.runOnContext(v -> {
      if (paused) {
        held.add(json);
      } else {
        deliver(json);
      }
    });
  }

  private void deliver(String json) {
    receiver.read(false);
    receiver.frame(Buffer.buffer(json));
  }

  /** @return the next JSON value the core wrote, decoded; fails after 10 s without one */
  Object next() throws InterruptedException {
    Object value = written.poll(10, TimeUnit.SECONDS);
    if (value == null) {
      throw new AssertionError("the core wrote nothing within 10 s");
    }
    return value;
  }

  /** @return how many JSON texts the core wrote that the test has not taken yet */
  int writtenCount() {
    return written.size();
  }

  /** @return true while the core does not read */
  boolean paused() {
    return paused;
  }

  /** @return true once the core closed the connection, gracefully or not */
  boolean ended() {
    return ended;
  }

  /** The server shuts down, as the listener reports it to each connection. */
  void shutDown() {
    context.runOnContext(v -> receiver.shuttingDown());
  }

  /** @return true once the core closed the connection without flushing */
  boolean aborted() {
    return aborted;
  }

  /** The client goes away: the core is told the connection closed. */
  void close() {
    context.runOnContext(v -> {
      if (!closed) {
        closed = true;
        receiver.closed();
      }
    });
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public SocketAddress peer() {
    return SocketAddress.inetSocketAddress(4711, "192.0.2.7");
  }

  @Override
  public void start(Receiver receiver) {
    this.receiver = receiver;
  }

  @Override
  public int write(Buffer json) {
    queued.add(json.copy());
    return json.length();
  }

  @Override
  public Future<Void> flush() {
    queued.forEach(json -> written.add(Json.decodeValue(json)));
    queued.clear();
    return Future.succeededFuture();
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
    while (!paused && !held.isEmpty()) {
      deliver(held.poll());
    }
  }

  @Override
  public void end() {
    ended = true;
    flush();
    close();
  }

  @Override
  public Future<Void> abort() {
    ended = true;
    aborted = true;
    queued.clear();
    close();
    return Future.succeededFuture();
  }
}
