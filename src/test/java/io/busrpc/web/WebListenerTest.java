package io.busrpc.web;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.gateway.GatewayVerticle;
import io.busrpc.testing.TestDefaults;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web listener of a real node: started from the node's options on a free port that all gateway
 * instances share, the demo files only when {@code web.demo} is on, and the {@code Origin} rules
 * (none, own, listed, any) with the CORS answers browsers look for.
 */
@ExtendWith(VertxExtension.class)
class WebListenerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static BusRpcVerticle node(Vertx vertx, WebOptions web) {
    BusRpcOptions options = TestNode.demoOptions().setWeb(web);
    options.getGateway().setInstances(2);
    return TestNode.deploy(vertx, options);
  }

  private static HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TestDefaults.WAIT);
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void portZeroIsOneFreePortForEveryGatewayInstance(Vertx vertx) {
    BusRpcVerticle node = node(vertx, new WebOptions().setPort(0));
    int port = node.webListener().actualPort();
    assertTrue(port > 0, "bound port " + port);
    List<Integer> ports = vertx.deploymentIDs().stream().flatMap(id -> ((io.vertx.core.internal.VertxInternal) vertx)
        .deploymentManager().deployment(id).deployment().instances().stream())
      .filter(GatewayVerticle.class::isInstance).map(v -> ((GatewayVerticle) v).webListener().actualPort()).toList();
    assertEquals(List.of(port, port), ports, "two gateway instances, one web port");
    // An HTTP server is a TCP server to Vert.x: on the TCP listener's shared port they would share a socket.
    assertNotEquals(node.gateway().actualPort(), port, "the web port is not the TCP port");
  }

  @Test
  void noWebBlockNoListener(Vertx vertx) {
    BusRpcVerticle node = TestNode.deploy(vertx, TestNode.demoOptions());
    assertNull(node.webListener());
  }

  @Test
  void theDemoFilesAreServedOnlyWhenTheDemoIsOn(Vertx vertx) throws Exception {
    int on = node(vertx, new WebOptions().setPort(0).setDemo(true)).webListener().actualPort();
    HttpResponse<String> probe = get(on, "/probe.txt", Map.of());
    assertEquals(200, probe.statusCode());
    assertEquals("busrpc web probe\n", probe.body());
    int off = node(vertx, new WebOptions().setPort(0)).webListener().actualPort();
    assertEquals(404, get(off, "/probe.txt", Map.of()).statusCode());
  }

  @Test
  void originsOtherThanTheOwnAndTheListedOnesGet403(Vertx vertx) throws Exception {
    int port = node(vertx, new WebOptions().setPort(0).setDemo(true)
      .setAllowedOrigins(List.of("https://game.example.com"))).webListener().actualPort();
    assertEquals(200, get(port, "/probe.txt", Map.of()).statusCode(), "no Origin: not a browser");
    HttpResponse<String> own = get(port, "/probe.txt", Map.of("Origin", "http://127.0.0.1:" + port));
    assertEquals(200, own.statusCode(), "the listener's own origin");
    HttpResponse<String> listed = get(port, "/probe.txt", Map.of("Origin", "https://game.example.com"));
    assertEquals(200, listed.statusCode());
    assertEquals("https://game.example.com", listed.headers().firstValue("access-control-allow-origin").orElse(null));
    assertEquals("origin", listed.headers().firstValue("vary").orElse("").toLowerCase(java.util.Locale.ROOT));
    HttpResponse<String> evil = get(port, "/probe.txt", Map.of("Origin", "https://evil.example.com"));
    assertEquals(403, evil.statusCode());
    assertTrue(evil.body().contains("https://evil.example.com is not allowed"), evil.body());
    assertTrue(evil.headers().firstValue("access-control-allow-origin").isEmpty());
    assertEquals(403, get(port, "/probe.txt", Map.of("Origin", "http://127.0.0.1:" + (port + 1))).statusCode(),
      "another port of the same host is another origin");
  }

  @Test
  void aStarAllowsAnyOrigin(Vertx vertx) throws Exception {
    int port = node(vertx, new WebOptions().setPort(0).setDemo(true).setAllowedOrigins(List.of("*")))
      .webListener().actualPort();
    assertEquals(200, get(port, "/probe.txt", Map.of("Origin", "https://anywhere.example.org")).statusCode());
  }

  @Test
  void aPreflightForPostIsAnsweredForAllowedOriginsOnly(Vertx vertx) throws Exception {
    int port = node(vertx, new WebOptions().setPort(0).setAllowedOrigins(List.of("https://game.example.com")))
      .webListener().actualPort();
    Map<String, String> preflight = Map.of("Origin", "https://game.example.com", "Access-Control-Request-Method", "POST",
      "Access-Control-Request-Headers", "content-type, authorization");
    HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rpc")).timeout(TestDefaults.WAIT)
      .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).headers(flat(preflight)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, allowed.statusCode());
    assertEquals("https://game.example.com", allowed.headers().firstValue("access-control-allow-origin").orElse(null));
    assertEquals("POST", allowed.headers().firstValue("access-control-allow-methods").orElse(null));
    assertEquals("content-type, authorization", allowed.headers().firstValue("access-control-allow-headers").orElse(null));
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rpc")).timeout(TestDefaults.WAIT)
      .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).headers("Origin", "https://evil.example.com",
        "Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, refused.statusCode());
  }

  private static String[] flat(Map<String, String> headers) {
    return headers.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
  }
}
