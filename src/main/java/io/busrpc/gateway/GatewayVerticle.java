package io.busrpc.gateway;

import io.busrpc.bus.Codecs;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.gateway.impl.ConnectionAcceptor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: a TCP listener whose clients speak JSON-RPC 2.0 in any of the three framings, and
 * whose calls are forwarded over the event bus to the handlers of their methods.
 *
 * <p>Configured by {@link GatewayOptions} in its JSON form as the verticle's config. Several
 * instances share the port, Vert.x spreads the connections between them.
 */
public class GatewayVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);

  private GatewayOptions options;
  private NetServer server;
  private ConnectionAcceptor acceptor;
  private long idleTimer = -1;

  /** Creates a gateway that takes its options from its deployment config. */
  public GatewayVerticle() {
  }

  /** Creates a gateway with the given options; the deployment config is then ignored. */
  public GatewayVerticle(GatewayOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    if (options == null) {
      options = new GatewayOptions(config());
    }
    Codecs.register(vertx);
    if (options.getAuth().getType() == AuthOptions.Type.ANONYMOUS) {
      log.warn("auth.type is anonymous: any client may log in as any uid. Use it for local try-outs only.");
    }
    acceptor = new ConnectionAcceptor(vertx, options);
    if (options.getPingInterval() > 0) {
      // One sweep per gateway instance instead of a timer per connection.
      long period = Math.max(50, Math.min(1000, options.getPingInterval() / 2));
      idleTimer = vertx.setPeriodic(period, t -> acceptor.checkIdle());
    }
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setTcpNoDelay(true))
      .connectHandler(acceptor);
    return server.listen().onSuccess(s ->
      log.info("Gateway listening on {}:{}", options.getHost(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(idleTimer);
    return server.close().compose(v -> acceptor.closeAll());
  }

  /** @return the port the gateway listens on, once started (useful with port 0) */
  public int actualPort() {
    return server.actualPort();
  }

  /** @return the number of open client connections of this instance */
  public int connectionCount() {
    return acceptor.size();
  }
}
