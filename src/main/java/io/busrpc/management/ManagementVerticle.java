package io.busrpc.management;

import io.busrpc.bus.Addresses;
import io.busrpc.gateway.Gateway;
import io.busrpc.gateway.ListenException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

/**
 * The management HTTP server of a node: {@code GET /health} (200 when the gateway listens and the
 * event bus answers, 503 otherwise, with a JSON body of details) and {@code GET /metrics}
 * (Prometheus text format, when Vert.x runs with Micrometer's Prometheus backend; 401 without the
 * bearer token when {@link ManagementOptions#getToken()} is set).
 */
public class ManagementVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ManagementVerticle.class);
  private static final long BUS_CHECK_TIMEOUT = 2_000;

  private final ManagementOptions options;
  private final List<Gateway> gateways;
  private HttpServer server;
  private MessageConsumer<Object> echo;
  private String echoAddress;

  /** Creates the server for a node whose gateway instances it reports on. */
  public ManagementVerticle(ManagementOptions options, List<Gateway> gateways) {
    this.options = options;
    this.gateways = List.copyOf(gateways);
  }

  @Override
  public Future<?> start() {
    echoAddress = Addresses.DEFAULT.internal("health." + UUID.randomUUID());
    echo = vertx.eventBus().consumer(echoAddress, message -> message.reply("ok"));
    Handler<HttpServerRequest> metrics = metricsHandler();
    // No h2c upgrade: health checks and scrapers speak HTTP/1.1, and the JDK's HttpClient asks for h2c
    // on every plain request (the web listener refuses it too).
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(request -> {
      switch (request.path()) {
        case "/health" -> health(request);
        case "/metrics" -> {
          if (authorized(request)) {
            metrics.handle(request);
          } else {
            request.response().setStatusCode(401).putHeader("www-authenticate", "Bearer realm=\"busrpc\"")
              .end("a bearer token is required\n");
          }
        }
        default -> request.response().setStatusCode(404).end("not found: try /health or /metrics\n");
      }
    });
    return echo.completion()
      .compose(v -> server.listen(options.getPort(), options.getHost())
        .recover(e -> Future.failedFuture(new ListenException("the management server", options.getHost(), options.getPort(), e))))
      .onSuccess(s -> log.info("Management server on http://{}:{}/ (health, metrics)", options.getHost(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server.close().compose(v -> echo.unregister());
  }

  /** @return the port the management server listens on */
  public int actualPort() {
    return server.actualPort();
  }

  /** True when no token is configured, or the request carries it; compared in constant time. */
  private boolean authorized(HttpServerRequest request) {
    if (options.getToken() == null) {
      return true;
    }
    String header = request.getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
      options.getToken().getBytes(StandardCharsets.UTF_8));
  }

  private void health(HttpServerRequest request) {
    boolean listening = !gateways.isEmpty() && gateways.stream().allMatch(Gateway::isListening);
    vertx.eventBus().request(echoAddress, "ping", new DeliveryOptions().setSendTimeout(BUS_CHECK_TIMEOUT))
      .onComplete(ar -> {
        boolean busUp = ar.succeeded();
        boolean up = listening && busUp;
        JsonObject body = new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("gateway", new JsonObject().put("listening", listening)
            .put("port", listening ? gateways.get(0).actualPort() : null)
            .put("instances", gateways.size())
            .put("connections", gateways.stream().mapToInt(g -> g.isListening() ? g.connectionCount() : 0).sum()))
          .put("eventBus", busUp ? "UP" : "DOWN");
        request.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json")
          .end(body.encode() + "\n");
      });
  }

  private static Handler<HttpServerRequest> metricsHandler() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return PrometheusRequestHandler.create(prometheus);
    }
    return request -> request.response().setStatusCode(404)
      .end("metrics are off: run the node with Micrometer's Prometheus backend (the jar's launcher does)\n");
  }
}
