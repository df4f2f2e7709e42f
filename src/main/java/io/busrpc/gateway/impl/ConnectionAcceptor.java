package io.busrpc.gateway.impl;

import io.busrpc.gateway.GatewayOptions;
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
import java.util.concurrent.atomic.AtomicLong;

/** Turns accepted sockets into {@link Connection}s and keeps track of the open ones. */
public final class ConnectionAcceptor implements Handler<NetSocket> {

  private static final Logger log = LoggerFactory.getLogger(ConnectionAcceptor.class);
  // Connection ids are unique in a cluster: a random node part and a counter.
  private static final String NODE = UUID.randomUUID().toString().substring(0, 8);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final GatewayServices services;
  private final Set<Connection> connections = new LinkedHashSet<>();

  /** Creates the acceptor of one gateway instance. */
  public ConnectionAcceptor(Vertx vertx, GatewayOptions options) {
    this.services = new GatewayServices(vertx, options);
  }

  @Override
  public void handle(NetSocket socket) {
    String id = NODE + "-" + SEQUENCE.incrementAndGet();
    Connection connection = new Connection(id, socket, services, this::closed);
    connections.add(connection);
    log.debug("Connection {} opened from {}", id, socket.remoteAddress());
  }

  private void closed(Connection connection) {
    connections.remove(connection);
    log.debug("Connection {} closed", connection.caller().connectionId());
  }

  /** Pings the connections that have been quiet for the ping interval. */
  public void checkIdle() {
    long now = System.nanoTime();
    for (Connection connection : new ArrayList<>(connections)) {
      connection.checkIdle(now);
    }
  }

  /** @return the number of open connections */
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
