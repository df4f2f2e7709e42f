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

import java.util.concurrent.TimeUnit;

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
  private volatile boolean stopping;

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
    // One sweep per gateway instance applies every time limit, instead of timers per connection.
    idleTimer = vertx.setPeriodic(sweepPeriod(options), t -> acceptor.sweep());
    NetServerOptions serverOptions = new NetServerOptions()
      .setHost(options.getHost())
      .setPort(options.getPort())
      .setTcpNoDelay(true);
    options.getTls().applyTo(serverOptions);
    server = vertx.createNetServer(serverOptions).connectHandler(acceptor);
    return acceptor.start()
      .compose(v -> server.listen()
        .recover(e -> Future.failedFuture(new ListenException("the gateway", options.getHost(), options.getPort(), e))))
      .onSuccess(s ->
      log.info("Gateway listening on {}:{}{}", options.getHost(), s.actualPort(),
      options.getTls().isEnabled() ? " (TLS)" : ""));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    // Stop accepting; connections are told, answer their calls in flight and close; after the grace
    // period Vert.x closes what is left.
    return server.shutdown(options.getShutdownGracePeriod(), TimeUnit.MILLISECONDS)
      .compose(v -> acceptor.closeAll())
      .compose(v -> acceptor.stop())
      .andThen(ar -> vertx.cancelTimer(idleTimer));
  }

  /** A tenth of the shortest time limit, between 50 ms and 1 s. */
  private static long sweepPeriod(GatewayOptions options) {
    long shortest = Math.min(Math.min(options.getFrameTimeout(), options.getPingTimeout()), options.getCallTimeout());
    if (options.getPingInterval() > 0) {
      shortest = Math.min(shortest, options.getPingInterval());
    }
    if (options.getLoginTimeout() > 0) {
      shortest = Math.min(shortest, options.getLoginTimeout());
    }
    return Math.max(50, Math.min(1000, shortest / 10));
  }

  /** @return the port the gateway listens on, once started (useful with port 0) */
  public int actualPort() {
    return server.actualPort();
  }

  /** @return whether the gateway has started and listens */
  public boolean isListening() {
    return server != null && server.actualPort() > 0 && !stopping;
  }

  /** @return the number of open client connections of this instance */
  public int connectionCount() {
    return acceptor.size();
  }
}
