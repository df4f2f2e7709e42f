package io.busrpc.web;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestNode;
import io.busrpc.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.busrpc.testing.Rpc.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A WebSocket's {@code access_token} query parameter (browsers cannot set headers on a WebSocket):
 * the session is logged in with it before its first message is read, as by {@code rpc.login
 * {"token": ...}}; a refused token gets the login error and the close.
 */
@ExtendWith(VertxExtension.class)
class AccessTokenTest {

  private static final String SECRET = "access-token-test-secret-of-length";
  static Vertx vertx;
  static int port;
  static JWTAuth signer;

  @BeforeAll
  static void start(Vertx vertx) {
    AccessTokenTest.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(0));
    options.getGateway().setPublicMethods(List.of()).setMethodRoles(Map.of("subtract", List.of("math")))
      .setAuth(new AuthOptions().setType(AuthOptions.Type.JWT).setJwtKey(SECRET));
    port = TestNode.deploy(vertx, options).webListener().actualPort();
    signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  private static String token(String uid, List<String> roles) {
    return signer.generateToken(new JsonObject().put("sub", uid).put("roles", roles)
      .put("exp", System.currentTimeMillis() / 1000 + 600), new JWTOptions());
  }

  @Test
  void theFirstMessageIsAlreadyServedAsTheTokensUser() throws Exception {
    String uri = "/rpc?access_token=" + token("token-math", List.of("math"));
    try (WsClient client = WsClient.connect(vertx, port, uri, Map.of())) {
      // Sent at once: the session reads it only once the token's login is done.
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}", client.call(Rpc.request(1, "subtract", List.of(42, 23))));
      Future<Object> answer = Clients.create(vertx).call("token-math", "where", null);
      JsonObject request = (JsonObject) client.receiveJson();
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "here").put("id", request.getValue("id")).encode());
      assertEquals("here", await(answer), "the uid of the token is the session's bus address");
    }
  }

  @Test
  void messagesWaitForASlowLogin(Vertx vertx) throws Exception {
    // An auth verticle that takes 300 ms: without the wait, the first call would find no login.
    vertx.eventBus().<JsonObject>consumer("test.slow-auth", message -> vertx.setTimer(300, t ->
      message.reply(new JsonObject().put("uid", "slow-" + message.body().getJsonObject("params").getString("token"))
        .put("roles", List.of("math")))));
    BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(0));
    options.getGateway().setPublicMethods(List.of()).setMethodRoles(Map.of("subtract", List.of("math")))
      .setAuth(new AuthOptions().setType(AuthOptions.Type.BUS).setAddress("test.slow-auth"));
    int slow = TestNode.deploy(vertx, options).webListener().actualPort();
    try (WsClient client = WsClient.connect(vertx, slow, "/rpc?access_token=ann", Map.of())) {
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}", client.call(Rpc.request(1, "subtract", List.of(42, 23))));
      assertEquals(true, await(Clients.create(vertx).isOnline("slow-ann")));
    }
  }

  @Test
  void theTokensRolesApply() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port, "/rpc?access_token=" + token("token-plain", List.of()), Map.of())) {
      assertEquals(ErrorCode.FORBIDDEN.code(), Rpc.errorCode(new JsonObject(client.call(Rpc.request(1, "subtract", List.of(42, 23))))));
    }
  }

  @Test
  void aRefusedTokenGetsTheLoginErrorAndTheClose() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port, "/rpc?access_token=not-a-token", Map.of())) {
      JsonObject error = (JsonObject) client.receiveJson();
      assertEquals(ErrorCode.LOGIN_FAILED.code(), Rpc.errorCode(error), error.encode());
      assertEquals(null, error.getValue("id"));
      assertEquals((short) 1000, client.closeStatus());
    }
  }

  @Test
  void withoutATokenTheSessionStartsLoggedOut() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), Rpc.errorCode(new JsonObject(client.call(Rpc.request(1, "subtract", List.of(42, 23))))));
    }
  }
}
