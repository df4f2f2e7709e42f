package io.busrpc.management;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestDefaults;
import io.busrpc.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management server of a real node with Micrometer's Prometheus backend, as the jar runs it. */
class ManagementTest {

  private Vertx vertx;
  private BusRpcVerticle node;
  private int managementPort;
  private int gatewayPort;

  @BeforeEach
  void start() {
    // Not VertxExtension's injected Vert.x: /metrics needs a Vert.x built with Micrometer metrics on.
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    BusRpcOptions options = TestNode.demoOptions().setManagement(new ManagementOptions().setPort(0))
      .setWeb(new io.busrpc.web.WebOptions().setPort(0));
    node = new BusRpcVerticle();
    vertx.deployVerticle(node, new DeploymentOptions().setConfig(options.toJson())).await();
    managementPort = node.management().actualPort();
    gatewayPort = node.gateway().actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).timeout(TestDefaults.WAIT).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsUpWhileTheGatewayListensAndDownOnceItStopped() throws Exception {
    HttpResponse<String> up = get("/health");
    assertEquals(200, up.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, up.version(), "plain HTTP/1.1, the JDK client's h2c upgrade declined");
    JsonObject body = new JsonObject(up.body());
    assertEquals("UP", body.getString("status"));
    assertEquals(gatewayPort, body.getJsonObject("gateway").getInteger("port"));
    assertEquals("UP", body.getString("eventBus"));

    vertx.undeploy(node.gatewayDeployment()).await();
    HttpResponse<String> down = get("/health");
    assertEquals(503, down.statusCode());
    assertEquals("DOWN", new JsonObject(down.body()).getString("status"));
  }

  @Test
  void metricsCountConnectionsCallsAndErrorsByCode() throws Exception {
    try (TestClient client = new TestClient(gatewayPort, Framing.LINE);
         io.busrpc.testing.WsClient ws = io.busrpc.testing.WsClient.connect(vertx, node.webListener().actualPort())) {
      ws.call(io.busrpc.testing.Rpc.PING);
      client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}");
      client.call("{\"jsonrpc\":\"2.0\",\"method\":\"foobar\",\"id\":2}");
      client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[1],\"id\":3}");
      HttpResponse<String> metrics = get("/metrics");
      assertEquals(200, metrics.statusCode());
      String text = metrics.body();
      assertTrue(text.contains("busrpc_connections{transport=\"tcp\"} 1.0"), text);
      assertTrue(text.contains("busrpc_connections{transport=\"ws\"} 1.0"), text);
      assertTrue(text.contains("busrpc_calls_seconds_count{method=\"subtract\"} 2"), text);
      assertTrue(text.contains("busrpc_calls_seconds_count{method=\"(unknown)\"} 1"), text);
      assertTrue(text.contains("busrpc_errors_total{code=\"-32601\"} 1.0"), text);
      assertTrue(text.contains("busrpc_errors_total{code=\"-32602\"} 1.0"), text);
      assertTrue(text.contains("busrpc_bytes_received_bytes_total{transport=\"tcp\"}"), text);
      assertTrue(text.contains("busrpc_bytes_received_bytes_total{transport=\"ws\"}"), text);
      assertTrue(text.contains("busrpc_bytes_sent_bytes_total{transport=\"ws\"}"), text);
      assertTrue(text.contains("vertx_"), "Vert.x's own metrics are served too");
    }
  }

  @Test
  void withATokenMetricsNeedTheBearerTokenAndHealthStaysOpen() throws Exception {
    String token = "s3cret-token-of-some-length";
    BusRpcOptions options = TestNode.demoOptions()
      .setManagement(new ManagementOptions().setPort(0).applyEnvironment(java.util.Map.of("BUSRPC_MANAGEMENT_TOKEN", token)));
    BusRpcVerticle guarded = new BusRpcVerticle();
    vertx.deployVerticle(guarded, new DeploymentOptions().setConfig(options.toJson())).await();
    int port = guarded.management().actualPort();
    HttpClient http = HttpClient.newHttpClient();
    java.util.function.Function<String, HttpResponse<String>> metrics = authorization -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(TestDefaults.WAIT);
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    HttpResponse<String> without = metrics.apply(null);
    assertEquals(401, without.statusCode());
    assertTrue(without.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
    assertFalse(without.body().contains("busrpc_"), "no metric leaks without the token");
    assertEquals(401, metrics.apply("Bearer wrong-token-of-some-length").statusCode());
    assertEquals(401, metrics.apply("Basic " + token).statusCode());
    HttpResponse<String> with = metrics.apply("Bearer " + token);
    assertEquals(200, with.statusCode());
    assertTrue(with.body().contains("busrpc_connections"), with.body());
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(TestDefaults.WAIT).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), "health checks need no token");
  }

  @Test
  void aTokenTooShortIsRefusedNamingTheOption() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
      () -> new ManagementOptions(new JsonObject().put("token", "short")));
    assertTrue(e.getMessage().contains("management.token"), e.getMessage());
  }
}
