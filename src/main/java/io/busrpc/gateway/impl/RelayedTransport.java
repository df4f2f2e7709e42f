package io.busrpc.gateway.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * A connection handed over to a session that lives on another event loop (a client that resumed
 * its session through another gateway instance of the node): both directions hop between the two
 * loops, in order, so the session and the connection each stay on their own loop. On the same loop
 * it calls straight through.
 *
 * <p>The session sees it as its {@link SessionTransport}; the connection's own receiver passes what
 * the connection reports to it as a {@link SessionTransport.Receiver}.
 */
final class RelayedTransport implements SessionTransport, SessionTransport.Receiver {

  private final SessionTransport transport;
  private final Context connectionContext;
  private Context sessionContext;
  private Receiver receiver;
  // Read on the session's loop, set on the connection's: a stale value only delays a pause a little.
  private volatile boolean writeQueueFull;

  /** @param connectionContext the event loop of {@code transport} */
  RelayedTransport(SessionTransport transport, Context connectionContext) {
    this.transport = transport;
    this.connectionContext = connectionContext;
  }

  private boolean sameLoop() {
    return sessionContext == connectionContext;
  }

  private void onConnection(Runnable action) {
    if (sameLoop()) {
      action.run();
    } else {
      connectionContext.runOnContext(v -> action.run());
    }
  }

  private void onSession(Runnable action) {
    if (sameLoop()) {
      action.run();
    } else {
      sessionContext.runOnContext(v -> action.run());
    }
  }

  // What the session calls, on its loop.

  @Override
  public String name() {
    return transport.name();
  }

  @Override
  public SocketAddress peer() {
    return transport.peer();
  }

  @Override
  public String remoteAddress() {
    return transport.remoteAddress();
  }

  @Override
  public String remoteHost() {
    return transport.remoteHost();
  }

  @Override
  public void start(Receiver receiver) {
    this.sessionContext = Vertx.currentContext();
    this.receiver = receiver;
  }

  @Override
  public int write(Buffer json) {
    onConnection(() -> transport.write(json));
    return json.length();
  }

  @Override
  public Future<Void> flush() {
    if (sameLoop()) {
      return transport.flush();
    }
    Promise<Void> flushed = Promise.promise();
    onConnection(() -> {
      Future<Void> done = transport.flush();
      writeQueueFull = transport.writeQueueFull();
      done.onComplete(ar -> onSession(() -> flushed.handle(ar)));
    });
    return flushed.future();
  }

  @Override
  public boolean writeQueueFull() {
    return sameLoop() ? transport.writeQueueFull() : writeQueueFull;
  }

  @Override
  public void pause() {
    onConnection(transport::pause);
  }

  @Override
  public void resume() {
    onConnection(transport::resume);
  }

  @Override
  public void end() {
    onConnection(transport::end);
  }

  @Override
  public Future<Void> abort() {
    Promise<Void> aborted = Promise.promise();
    onConnection(() -> transport.abort().onComplete(ar -> onSession(() -> aborted.handle(ar))));
    return aborted.future();
  }

  @Override
  public boolean pingsItself() {
    return transport.pingsItself();
  }

  @Override
  public Future<Void> ping() {
    Promise<Void> answered = Promise.promise();
    onConnection(() -> transport.ping().onComplete(ar -> onSession(() -> answered.handle(ar))));
    return answered.future();
  }

  // What the connection reports, on its loop.

  @Override
  public void read(boolean partialFrame) {
    onSession(() -> receiver.read(partialFrame));
  }

  @Override
  public void frame(Buffer json) {
    // The transport may reuse what it read once this returns.
    Buffer kept = sameLoop() ? json : json.copy();
    onSession(() -> receiver.frame(kept));
  }

  @Override
  public void protocolError(Buffer answer) {
    onSession(() -> receiver.protocolError(answer));
  }

  @Override
  public void inputEnded() {
    onSession(receiver::inputEnded);
  }

  @Override
  public void writable() {
    writeQueueFull = false;
    onSession(receiver::writable);
  }

  @Override
  public void shuttingDown() {
    onSession(receiver::shuttingDown);
  }

  @Override
  public void closed() {
    onSession(receiver::closed);
  }
}
