package io.busrpc.gateway;

import io.busrpc.gateway.impl.GatewayImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A JSON-RPC 2.0 gateway: a TCP listener whose clients speak JSON-RPC in any of the three framings,
 * and whose calls are forwarded over the event bus to the handlers of their methods.
 *
 * <p>Create it on the context (verticle) it should run on; it keeps a copy of its options, so
 * changing them afterwards changes nothing. {@link GatewayVerticle} deploys one per instance.
 */
public interface Gateway {

  /**
   * Creates a gateway; nothing listens before {@link #listen()}.
   *
   * @param options copied: later changes to them have no effect on this gateway
   */
  static Gateway create(Vertx vertx, GatewayOptions options) {
    return new GatewayImpl(vertx, options);
  }

  /**
   * Starts the gateway's shared services and listens on the options' host and port.
   *
   * @return this gateway once it listens; fails with a {@link ListenException} when the port cannot
   *     be bound
   */
  Future<Gateway> listen();

  /**
   * Stops accepting, tells the connections, lets them answer their calls in flight within the
   * shutdown grace period, then closes what is left.
   *
   * @return completes once every connection is closed
   */
  Future<Void> close();

  /** @return the port the gateway listens on, once listening (useful with port 0) */
  int actualPort();

  /** @return whether the gateway listens and is not closing */
  boolean isListening();

  /** @return the number of open client connections */
  int connectionCount();
}
