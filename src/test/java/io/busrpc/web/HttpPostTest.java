package io.busrpc.web;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestDefaults;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /rpc} on a real node, with the JDK's HTTP client: 200 with the answer, 204 when nothing
 * is answered, 413 over the frame limit (exactly the limit is served), 415 for another content type,
 * {@code Authorization: Bearer} checked per request, CORS for listed origins, and no session.
 */
@ExtendWith(VertxExtension.class)
class HttpPostTest {

  private static final String SECRET = "http-post-test-secret-of-some-length";
  private static final int MAX_FRAME = 8 * 1024;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static int open;
  static int guarded;
  static JWTAuth signer;

  @BeforeAll
  static void start(Vertx vertx) {
    BusRpcOptions demo = TestNode.demoOptions()
      .setWeb(new WebOptions().setPort(0).setDemo(true).setAllowedOrigins(List.of("https://game.example.com")));
    demo.getGateway().setMaxFrameSize(MAX_FRAME);
    open = TestNode.deploy(vertx, demo).webListener().actualPort();
    BusRpcOptions jwt = TestNode.demoOptions().setWeb(new WebOptions().setPort(0));
    jwt.getGateway().setPublicMethods(List.of("sum")).setMethodRoles(Map.of("subtract", List.of("math")))
      .setAuth(new AuthOptions().setType(AuthOptions.Type.JWT).setJwtKey(SECRET));
    guarded = TestNode.deploy(vertx, jwt).webListener().actualPort();
    signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  static HttpResponse<String> post(int port, String contentType, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rpc")).timeout(TestDefaults.WAIT)
      .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String body) throws Exception {
    return post(port, "application/json", body, Map.of());
  }

  @Test
  void aRequestIsAnsweredWith200AndTheAnswerAsJson() throws Exception {
    HttpResponse<String> answer = post(open, Rpc.request(1, "subtract", List.of(42, 23)));
    assertEquals(200, answer.statusCode());
    assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}", answer.body());
    assertTrue(answer.headers().firstValue("content-type").orElse("").startsWith("application/json"));
  }

  @Test
  void aBatchGetsTheArrayOfItsAnswers() throws Exception {
    HttpResponse<String> answer = post(open, "application/json; charset=utf-8",
      "[" + Rpc.request(1, "sum", List.of(1, 2)) + "," + Rpc.request(null, "notify_hello", List.of(7)) + "]", Map.of());
    assertEquals(200, answer.statusCode());
    assertEquals(new JsonArray().add(new JsonObject().put("jsonrpc", "2.0").put("result", 3).put("id", 1)),
      new JsonArray(answer.body()));
  }

  @Test
  void notificationsOnlyGet204() throws Exception {
    HttpResponse<String> answer = post(open, "[" + Rpc.request(null, "notify_hello", List.of(7)) + "]");
    assertEquals(204, answer.statusCode());
    assertEquals("", answer.body());
    assertEquals(204, post(open, Rpc.request(null, "notify_sum", List.of(1, 2))).statusCode());
  }

  @Test
  void aBodyThatIsNotJsonGetsAParseErrorWith200() throws Exception {
    HttpResponse<String> answer = post(open, "{\"jsonrpc\": \"2.0\", \"method\"");
    assertEquals(200, answer.statusCode());
    assertEquals(ErrorCode.PARSE_ERROR.code(), Rpc.errorCode(new JsonObject(answer.body())));
  }

  @Test
  void aBodyOfExactlyTheLimitIsServedAndOneByteMoreGets413() throws Exception {
    String request = Rpc.request("big", "rpc.ping", null);
    String exact = request + " ".repeat(MAX_FRAME - request.length());
    assertEquals(200, post(open, exact).statusCode());
    HttpResponse<String> tooLarge = post(open, exact + " ");
    assertEquals(413, tooLarge.statusCode());
  }

  @Test
  void anotherContentTypeGets415() throws Exception {
    String request = Rpc.request(1, "subtract", List.of(42, 23));
    assertEquals(415, post(open, "text/plain", request, Map.of()).statusCode());
    assertEquals(415, post(open, "application/x-www-form-urlencoded", request, Map.of()).statusCode());
    assertEquals(415, post(open, null, request, Map.of()).statusCode());
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open + "/rpc")).timeout(TestDefaults.WAIT)
      .PUT(HttpRequest.BodyPublishers.ofString(request)).header("Content-Type", "application/json").build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
  }

  @Test
  void thereIsNoSession() throws Exception {
    JsonObject login = new JsonObject(post(open, Rpc.request(1, "rpc.login", new JsonObject().put("uid", "http-user"))).body());
    assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), Rpc.errorCode(login), login.encode());
  }

  @Test
  void theBearerTokenIsCheckedOnEachRequest() throws Exception {
    String subtract = Rpc.request(7, "subtract", List.of(42, 23));
    assertEquals(ErrorCode.NOT_LOGGED_IN.code(), Rpc.errorCode(new JsonObject(post(guarded, subtract).body())),
      "no token: only public methods");
    assertEquals("{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1}", post(guarded, Rpc.request(1, "sum", List.of(1, 2))).body());
    String math = signer.generateToken(new JsonObject().put("sub", "http-math").put("roles", List.of("math"))
      .put("exp", System.currentTimeMillis() / 1000 + 600), new JWTOptions());
    assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":7}",
      post(guarded, "application/json", subtract, Map.of("Authorization", "Bearer " + math)).body());
    String plain = signer.generateToken(new JsonObject().put("sub", "http-plain")
      .put("exp", System.currentTimeMillis() / 1000 + 600), new JWTOptions());
    assertEquals(ErrorCode.FORBIDDEN.code(), Rpc.errorCode(new JsonObject(
      post(guarded, "application/json", subtract, Map.of("Authorization", "Bearer " + plain)).body())));
    HttpResponse<String> refused = post(guarded, "application/json", subtract, Map.of("Authorization", "Bearer not-a-token"));
    assertEquals(401, refused.statusCode());
    assertEquals(ErrorCode.LOGIN_FAILED.code(), Rpc.errorCode(new JsonObject(refused.body())));
    assertTrue(refused.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
  }

  @Test
  void crossOriginPostsAreAnsweredForListedOriginsOnly() throws Exception {
    String request = Rpc.request(1, "subtract", List.of(42, 23));
    HttpResponse<String> listed = post(open, "application/json", request, Map.of("Origin", "https://game.example.com"));
    assertEquals(200, listed.statusCode());
    assertEquals("https://game.example.com", listed.headers().firstValue("access-control-allow-origin").orElse(null));
    assertEquals(403, post(open, "application/json", request, Map.of("Origin", "https://evil.example.com")).statusCode());
  }
}
