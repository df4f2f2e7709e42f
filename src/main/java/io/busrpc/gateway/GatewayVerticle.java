package io.busrpc.gateway;

import io.busrpc.gateway.impl.GatewayImpl;
import io.busrpc.gateway.impl.SharedRandomPort;
import io.busrpc.web.WebListener;
import io.busrpc.web.WebOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Deploys a {@link Gateway}: configured by {@link GatewayOptions} in its JSON form as the
 * verticle's config, or by the options given to the constructor. Several instances share the port,
 * Vert.x spreads the connections between them (port 0 included: one random port for all). With
 * {@link WebOptions} it also runs a {@link WebListener} for browsers and HTTP clients, whose port the
 * instances share likewise.
 */
public class GatewayVerticle extends VerticleBase {

  private GatewayOptions options;
  private WebOptions web;
  private volatile Gateway gateway;
  private WebListener webListener;

  /** Creates a gateway that takes its options from its deployment config. */
  public GatewayVerticle() {
  }

  /** Creates a gateway with the given options (copied at start); the deployment config is then ignored. */
  public GatewayVerticle(GatewayOptions options) {
    this.options = options;
  }

  /** Creates a gateway with the given options and a web listener ({@code web} may be null: none). */
  public GatewayVerticle(GatewayOptions options, WebOptions web) {
    this.options = options;
    this.web = web;
  }

  @Override
  public Future<?> start() {
    GatewayOptions gatewayOptions = options != null ? options : new GatewayOptions(config());
    // Port 0: every instance of this deployment binds the same random port, as with a fixed port.
    String deployment = context.deploymentID();
    GatewayImpl created = new GatewayImpl(vertx, gatewayOptions, SharedRandomPort.of(deployment, SharedRandomPort.TCP));
    if (web != null) {
      // Its WebSocket sessions are the gateway's sessions: same limits, same shutdown.
      webListener = new WebListener(vertx, web, gatewayOptions, SharedRandomPort.of(deployment, SharedRandomPort.WEB));
      created.addListener(webListener);
    }
    gateway = created;
    return created.listen();
  }

  @Override
  public Future<?> stop() {
    SharedRandomPort.release(context.deploymentID());
    return gateway.close();
  }

  /** @return the web listener of this instance, or {@code null} when it has none */
  public WebListener webListener() {
    return webListener;
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
