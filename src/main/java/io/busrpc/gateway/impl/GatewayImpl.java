package io.busrpc.gateway.impl;

import io.busrpc.bus.Codecs;
import io.busrpc.gateway.Gateway;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.ListenException;
import io.busrpc.gateway.auth.AuthOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Gateway} on a Vert.x {@link NetServer}, with one {@link ConnectionAcceptor}, and the
 * {@link GatewayListener}s of other transports whose connections the same acceptor takes.
 */
public final class GatewayImpl implements Gateway {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** After the grace period, how long the -32006 answers get to be written before sockets are cut, in ms. */
  private static final long ANSWER_FLUSH_TIME = 1_000;

  private final Vertx vertx;
  private final GatewayOptions options;
  /** What port 0 binds: 0, or a negative port shared with the other instances of a deployment. */
  private final int randomPort;
  private NetServer server;
  private ConnectionAcceptor acceptor;
  private final List<GatewayListener> listeners = new ArrayList<>();
  private long sweepTimer = -1;
  private volatile boolean closing;

  /** Creates a gateway with a copy of {@code options}. */
  public GatewayImpl(Vertx vertx, GatewayOptions options) {
    this(vertx, options, 0);
  }

  /**
   * Creates a gateway with a copy of {@code options}; with port 0 it binds {@code randomPort}, a
   * negative port from {@link SharedRandomPort} shared by the instances of one deployment.
   */
  public GatewayImpl(Vertx vertx, GatewayOptions options, int randomPort) {
    this.vertx = vertx;
    this.options = options.copy();
    this.randomPort = randomPort;
  }

  /** Adds a listener of another transport, started by {@link #listen()} and shut down by {@link #close()}. */
  public GatewayImpl addListener(GatewayListener listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public Future<Gateway> listen() {
    Codecs.register(vertx);
    if (options.getAuth().getType() == AuthOptions.Type.ANONYMOUS) {
      log.warn("auth.type is anonymous: any client may log in as any uid. Use it for local try-outs only.");
    }
    acceptor = new ConnectionAcceptor(vertx, options);
    // One sweep per gateway instance applies every time limit, instead of timers per connection.
    sweepTimer = vertx.setPeriodic(sweepPeriod(options), t -> acceptor.sweep());
    NetServerOptions serverOptions = serverOptions(options);
    if (options.getPort() == 0) {
      serverOptions.setPort(randomPort);
    }
    server = vertx.createNetServer(serverOptions).connectHandler(acceptor);
    return acceptor.start()
      .compose(v -> server.listen()
        .recover(e -> Future.failedFuture(new ListenException("the gateway", options.getHost(), options.getPort(), e))))
      .onSuccess(s ->
        log.info("Gateway listening on {}:{}{}", options.getHost(), s.actualPort(),
          options.getTls().isEnabled() ? " (TLS)" : ""))
      .compose(s -> listenOthers())
      .map(this);
  }

  @Override
  public Future<Void> close() {
    closing = true;
    if (server == null) {
      return Future.succeededFuture();
    }
    long grace = options.getShutdownGracePeriod();
    // Stop accepting; connections are told (rpc.shutdown), answer their calls in flight and close.
    // When the grace period ends, the calls still waiting are answered with -32006 and their
    // connections close once those answers are written; Vert.x closes what is left a moment later.
    long graceTimer = vertx.setTimer(Math.max(1, grace), t -> acceptor.endGracePeriod());
    List<Future<Void>> shutdowns = new ArrayList<>();
    shutdowns.add(server.shutdown(grace + ANSWER_FLUSH_TIME, TimeUnit.MILLISECONDS));
    listeners.forEach(listener -> shutdowns.add(listener.shutdown(grace + ANSWER_FLUSH_TIME)));
    return Future.join(shutdowns)
      .compose(v -> acceptor.closeAll())
      .compose(v -> acceptor.stop())
      .andThen(ar -> {
        vertx.cancelTimer(graceTimer);
        vertx.cancelTimer(sweepTimer);
      });
  }

  /** The other listeners, one after another; when one cannot listen, the TCP listener closes again. */
  private Future<Void> listenOthers() {
    Future<?> started = Future.succeededFuture();
    for (GatewayListener listener : listeners) {
      started = started.compose(v -> listener.listen(acceptor));
    }
    return started.<Void>mapEmpty().recover(e -> server.close().transform(ar -> Future.failedFuture(e)));
  }

  /** @return the listener's options: host, port, TLS, no Nagle delay, TCP keep-alive */
  public static NetServerOptions serverOptions(GatewayOptions options) {
    NetServerOptions serverOptions = new NetServerOptions()
      .setHost(options.getHost())
      .setPort(options.getPort())
      .setTcpNoDelay(true)
      // The kernel's keep-alive finds peers that vanished without a FIN, also on connections that
      // are never pinged (not logged in) and while the idle timeout is long or off.
      .setTcpKeepAlive(true);
    options.getTls().applyTo(serverOptions);
    return serverOptions;
  }

  /** A tenth of the shortest time limit, between 50 ms and 1 s. */
  private static long sweepPeriod(GatewayOptions options) {
    long shortest = Math.min(Math.min(options.getFrameTimeout(), options.getPingTimeout()), options.getCallTimeout());
    if (options.getPingInterval() > 0) {
      shortest = Math.min(shortest, options.getPingInterval());
    }
    if (options.getIdleTimeout() > 0) {
      shortest = Math.min(shortest, options.getIdleTimeout());
    }
    if (options.getLoginTimeout() > 0) {
      shortest = Math.min(shortest, options.getLoginTimeout());
    }
    return Math.max(50, Math.min(1000, shortest / 10));
  }

  @Override
  public int actualPort() {
    return server == null ? 0 : server.actualPort();
  }

  @Override
  public boolean isListening() {
    return server != null && server.actualPort() > 0 && !closing;
  }

  @Override
  public int connectionCount() {
    return acceptor == null ? 0 : acceptor.size();
  }
}
