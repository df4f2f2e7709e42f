package io.busrpc.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Deploys a {@link Gateway}: configured by {@link GatewayOptions} in its JSON form as the
 * verticle's config, or by the options given to the constructor. Several instances share the port,
 * Vert.x spreads the connections between them.
 */
public class GatewayVerticle extends VerticleBase {

  private GatewayOptions options;
  private volatile Gateway gateway;

  /** Creates a gateway that takes its options from its deployment config. */
  public GatewayVerticle() {
  }

  /** Creates a gateway with the given options (copied at start); the deployment config is then ignored. */
  public GatewayVerticle(GatewayOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    Gateway created = Gateway.create(vertx, options != null ? options : new GatewayOptions(config()));
    gateway = created;
    return created.listen();
  }

  @Override
  public Future<?> stop() {
    return gateway.close();
  }

  /** @return the gateway this verticle runs, once started; {@code null} before */
  public Gateway gateway() {
    return gateway;
  }

  /** @return the port the gateway listens on, once started (useful with port 0) */
  public int actualPort() {
    return gateway.actualPort();
  }

  /** @return whether the gateway has started and listens */
  public boolean isListening() {
    Gateway current = gateway;
    return current != null && current.isListening();
  }

  /** @return the number of open client connections of this instance */
  public int connectionCount() {
    return gateway.connectionCount();
  }
}
