package io.busrpc.web;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.ListenException;
import io.busrpc.gateway.impl.ConnectionAcceptor;
import io.busrpc.gateway.impl.GatewayListener;
import io.busrpc.gateway.impl.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The web listener of one gateway instance: an HTTP server (vertx-web) whose routes are
 * {@code GET /rpc} upgraded to a WebSocket, whose session is one of the gateway's like a TCP
 * connection's, {@code POST /rpc} answered without a session ({@link HttpRpc}), and, with {@code web.demo}, the browser demo at {@code /} and the JavaScript client
 * under {@code /js/}. Every route first passes the {@link OriginPolicy}. The gateway instances of a
 * node share its port, as they share the TCP port.
 */
public final class WebListener implements GatewayListener {

  /** Classpath directory of the browser demo page ({@code index.html} and what it loads). */
  public static final String DEMO_ROOT = "io/busrpc/web/demo";
  /** Classpath directory of the JavaScript client's modules, served under {@code /js/}. */
  public static final String CLIENT_ROOT = "io/busrpc/web/js";

  private static final String RPC_PATH = "/rpc";

  private static final Logger log = LoggerFactory.getLogger(WebListener.class);

  private final Vertx vertx;
  private final WebOptions options;
  private final int bindPort;
  private final int maxFrameSize;
  private HttpServer server;
  private ConnectionAcceptor acceptor;
  private GatewayMetrics metrics;
  private OriginPolicy origins;

  /**
   * Creates the listener; nothing listens before {@link #listen()}.
   *
   * @param options    copied
   * @param gateway    the gateway's options, whose {@code maxFrameSize} is the web listener's limit too
   * @param randomPort what port 0 binds: 0, or a negative port from {@code SharedRandomPort} that
   *                   the instances of one deployment share
   */
  public WebListener(Vertx vertx, WebOptions options, GatewayOptions gateway, int randomPort) {
    this.vertx = vertx;
    this.bindPort = options.getPort() == 0 ? randomPort : options.getPort();
    this.options = options.copy();
    this.maxFrameSize = gateway.getMaxFrameSize();
  }

  /**
   * Listens on the options' host and port; new WebSockets become sessions of {@code acceptor}.
   *
   * @return completes once it listens; fails with a {@link ListenException} naming the host and
   *     port when they cannot be bound
   */
  @Override
  public Future<WebListener> listen(ConnectionAcceptor acceptor) {
    this.acceptor = acceptor;
    this.metrics = GatewayMetrics.of(vertx);
    origins = new OriginPolicy(options.getAllowedOrigins(), options.getTls().isEnabled());
    // WebSockets bypass the router: its wrapper of a WebSocket hides the connection, which a
    // client that does not read must be cut off by (see WebSocketTransport.abort).
    server = vertx.createHttpServer(serverOptions())
      .requestHandler(router())
      .webSocketHandshakeHandler(this::handshake)
      .webSocketHandler(socket -> acceptor.accept(new WebSocketTransport(socket, metrics, maxFrameSize)));
    return server.listen()
      .recover(e -> Future.failedFuture(new ListenException("the web listener", options.getHost(), options.getPort(), e)))
      .onSuccess(s -> log.info("Web listener on {}://{}:{}/ (WebSocket and POST at /rpc{})",
        options.getTls().isEnabled() ? "https" : "http", options.getHost(), s.actualPort(),
        options.isDemo() ? ", demo page at /" : ""))
      .map(this);
  }

  /**
   * Stops accepting; open WebSockets are told (their sessions send {@code rpc.shutdown} and close
   * once their calls are answered); what is open after {@code timeoutMillis} is closed.
   */
  @Override
  public Future<Void> shutdown(long timeoutMillis) {
    return server == null ? Future.succeededFuture() : server.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** @return the port the listener is bound to, once listening (useful with port 0) */
  public int actualPort() {
    return server == null ? 0 : server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(origins);
    router.get(RPC_PATH).handler(this::notUpgraded);
    // Another content type gets 415 from the router, a body over the limit 413 from the body handler.
    router.post(RPC_PATH).consumes("application/json")
      .handler(BodyHandler.create(false).setBodyLimit(maxFrameSize))
      .handler(new HttpRpc(acceptor.stateless()));
    router.errorHandler(413, context -> plain(context, 413, "the body is larger than the limit of " + maxFrameSize
      + " bytes (gateway.maxFrameSize)"));
    router.errorHandler(415, context -> plain(context, 415, "POST /rpc takes Content-Type: application/json"));
    if (options.isDemo()) {
      // GET and HEAD only: a POST /rpc of another content type must still get 415, not 404.
      router.route("/js/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticHandler.create(CLIENT_ROOT));
      router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticHandler.create(DEMO_ROOT));
    }
    return router;
  }

  /**
   * The WebSocket handshake: {@code /rpc} only, and only from pages the {@link OriginPolicy} allows
   * (cross-site WebSocket hijacking); the new WebSocket's session is the gateway's.
   */
  private void handshake(ServerWebSocketHandshake handshake) {
    if (!RPC_PATH.equals(handshake.path())) {
      handshake.reject(404);
    } else if (!origins.allows(handshake.authority(), handshake.headers().get(HttpHeaders.ORIGIN))) {
      handshake.reject(403);
    } else {
      handshake.accept();
    }
  }

  /** {@code GET /rpc} without the WebSocket upgrade. */
  private void notUpgraded(RoutingContext context) {
    plain(context, 400, "GET /rpc is a WebSocket (Upgrade: websocket); send a JSON-RPC request with POST /rpc");
  }

  private static void plain(RoutingContext context, int status, String text) {
    if (!context.response().ended()) {
      context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(text + "\n");
    }
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
      .setPerMessageWebSocketCompressionSupported(false)
      .setHttp2ClearTextEnabled(false);
    options.getTls().applyTo(server);
    return server;
  }
}
