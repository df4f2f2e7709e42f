package io.busrpc.web;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.ListenException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web listener of one gateway instance: an HTTP server (vertx-web) whose routes are
 * {@code /rpc} and, with {@code web.demo}, the browser demo at {@code /} and the JavaScript client
 * under {@code /js/}. Every route first passes the {@link OriginPolicy}. The gateway instances of a
 * node share its port, as they share the TCP port.
 */
public final class WebListener {

  /** Classpath directory of the browser demo page ({@code index.html} and what it loads). */
  public static final String DEMO_ROOT = "io/busrpc/web/demo";
  /** Classpath directory of the JavaScript client's modules, served under {@code /js/}. */
  public static final String CLIENT_ROOT = "io/busrpc/web/js";

  private static final Logger log = LoggerFactory.getLogger(WebListener.class);

  private final Vertx vertx;
  private final WebOptions options;
  private final int bindPort;
  private final int maxFrameSize;
  private HttpServer server;

  /**
   * Creates the listener; nothing listens before {@link #listen()}.
   *
   * @param options copied; gateway instances given the same object share one port when it is 0
   * @param gateway the gateway's options, whose {@code maxFrameSize} is the web listener's limit too
   */
  public WebListener(Vertx vertx, WebOptions options, GatewayOptions gateway) {
    this.vertx = vertx;
    this.bindPort = options.bindPort();
    this.options = options.copy();
    this.maxFrameSize = gateway.getMaxFrameSize();
  }

  /**
   * Listens on the options' host and port.
   *
   * @return this listener once it listens; fails with a {@link ListenException} naming the host and
   *     port when they cannot be bound
   */
  public Future<WebListener> listen() {
    server = vertx.createHttpServer(serverOptions()).requestHandler(router());
    return server.listen()
      .recover(e -> Future.failedFuture(new ListenException("the web listener", options.getHost(), options.getPort(), e)))
      .onSuccess(s -> log.info("Web listener on {}://{}:{}/{}",
        options.getTls().isEnabled() ? "https" : "http", options.getHost(), s.actualPort(),
        options.isDemo() ? " (demo page at /)" : ""))
      .map(this);
  }

  /** Stops listening and closes the HTTP connections. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** @return the port the listener is bound to, once listening (useful with port 0) */
  public int actualPort() {
    return server == null ? 0 : server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(new OriginPolicy(options.getAllowedOrigins(), options.getTls().isEnabled()));
    if (options.isDemo()) {
      router.route("/js/*").handler(StaticHandler.create(CLIENT_ROOT));
      router.route("/*").handler(StaticHandler.create(DEMO_ROOT));
    }
    return router;
  }

  /**
   * Host, port and TLS like the TCP listener; WebSocket frames and messages up to the gateway's
   * {@code maxFrameSize} (Vert.x's defaults are 64 KiB and 256 KiB); no WebSocket compression, so
   * that a small frame can never inflate into a large message.
   */
  private HttpServerOptions serverOptions() {
    HttpServerOptions server = new HttpServerOptions()
      .setHost(options.getHost())
      .setPort(bindPort)
      .setTcpNoDelay(true)
      .setTcpKeepAlive(true)
      .setMaxWebSocketFrameSize(maxFrameSize)
      .setMaxWebSocketMessageSize(maxFrameSize)
      .setPerFrameWebSocketCompressionSupported(false)
      .setPerMessageWebSocketCompressionSupported(false);
    options.getTls().applyTo(server);
    return server;
  }
}
