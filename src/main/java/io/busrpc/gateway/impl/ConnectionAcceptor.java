package io.busrpc.gateway.impl;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns accepted sockets into {@link Connection}s, enforces the connection limits and keeps track
 * of the open connections of one gateway instance.
 */
public final class ConnectionAcceptor implements Handler<NetSocket> {

  private static final Logger log = LoggerFactory.getLogger(ConnectionAcceptor.class);
  // Connection ids are unique in a cluster: a random node part and a counter.
  private static final String NODE = UUID.randomUUID().toString().substring(0, 8);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final long REFUSAL_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

  private final GatewayServices services;
  private final ConnectionCounts counts;
  private final Set<Connection> connections = new LinkedHashSet<>();
  private long refused;
  private long refusalLoggedAt;

  /** Creates the acceptor of one gateway instance. */
  public ConnectionAcceptor(Vertx vertx, GatewayOptions options) {
    this.services = new GatewayServices(vertx, options);
    this.counts = ConnectionCounts.of(vertx);
  }

  @Override
  public void handle(NetSocket socket) {
    String id = NODE + "-" + SEQUENCE.incrementAndGet();
    String host = socket.remoteAddress() == null ? "" : socket.remoteAddress().host();
    GatewayOptions options = services.options;
    if (!counts.tryAcquire(host, options.getMaxConnections(), options.getMaxConnectionsPerAddress())) {
      logRefusal(host);
      // Kept (but not counted) until it is closed, so the sweep can close it if it sends nothing.
      connections.add(new Connection(id, socket, services, new RpcException(ErrorCode.TOO_MANY_CONNECTIONS,
        "the server accepts no more connections from you now"), connections::remove));
      return;
    }
    Connection connection = new Connection(id, socket, services, null, this::closed);
    connections.add(connection);
    log.debug("Connection {} opened from {}", id, socket.remoteAddress());
  }

  /** One warning per interval, with the count, so a flood of connections does not flood the log. */
  private void logRefusal(String host) {
    refused++;
    long now = System.nanoTime();
    if (now - refusalLoggedAt > REFUSAL_LOG_INTERVAL) {
      log.warn("Refused {} connection(s) over the limits (last from {}; {} open on this node)", refused, host,
        counts.total());
      refused = 0;
      refusalLoggedAt = now;
    }
  }

  private void closed(Connection connection) {
    connections.remove(connection);
    counts.release(connection.remoteHost());
    log.debug("Connection {} closed", connection.caller().connectionId());
  }

  /** Starts what the connections share (the reply address of forwarded calls). */
  public Future<Void> start() {
    return services.forwarder.start();
  }

  /** Stops what the connections share; calls still waiting for answers fail. */
  public Future<Void> stop() {
    return services.forwarder.stop();
  }

  /** Applies the time limits (calls, ping, slow frames, login); called periodically. */
  public void sweep() {
    long now = System.nanoTime();
    services.forwarder.sweep(now);
    for (Connection connection : new ArrayList<>(connections)) {
      connection.sweep(now);
    }
  }

  /** @return the number of open connections of this instance */
  public int size() {
    return connections.size();
  }

  /** Closes every open connection. */
  public Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Connection connection : new ArrayList<>(connections)) {
      closing.add(connection.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
