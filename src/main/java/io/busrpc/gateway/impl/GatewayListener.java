package io.busrpc.gateway.impl;

import io.vertx.core.Future;

/**
 * A listener besides the gateway's TCP one whose connections are sessions of the same gateway: the
 * web listener. It hands each new connection, as a {@link SessionTransport}, to the gateway's
 * {@link ConnectionAcceptor}, so the connection limits, replacement, time limits and shutdown apply
 * to it as to a TCP connection.
 */
public interface GatewayListener {

  /**
   * Starts listening; called by the gateway once its own services run.
   *
   * @return completes once it listens, fails when it cannot (the gateway then fails to start)
   */
  Future<?> listen(ConnectionAcceptor acceptor);

  /**
   * Stops accepting and tells the open connections that the server shuts down (their transports
   * report {@link SessionTransport.Receiver#shuttingDown()}); closes what is still open after
   * {@code timeoutMillis}.
   */
  Future<Void> shutdown(long timeoutMillis);
}
