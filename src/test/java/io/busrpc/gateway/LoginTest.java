package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Caller;
import io.busrpc.handler.Clients;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
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

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.call;
import static io.busrpc.testing.Rpc.errorCode;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rpc.login with each authenticator (DESIGN §5), the not-logged-in rule and rpc.logout, through real
 * sockets on real nodes. One Vert.x holds a node per configuration.
 */
@ExtendWith(VertxExtension.class)
class LoginTest {

  private static final String SECRET = "a test secret that is long enough for HS256";
  private static final String AUTH_ADDRESS = "test.auth";

  /** Answers {@code whoami} (and the public {@code public.whoami}) with the caller the gateway passed. */
  public static class WhoAmIVerticle extends RpcVerticle {
    @RpcMethod("whoami")
    public Map<String, Object> whoami(Caller caller) {
      return Map.of("uid", String.valueOf(caller.uid()), "roles", List.copyOf(caller.roles()));
    }

    @RpcMethod("public.whoami")
    public Map<String, Object> publicWhoami(Caller caller) {
      return whoami(caller);
    }
  }

  static Vertx vertx;
  static int anonymousPort;
  static int nonePort;
  static BusRpcVerticle busNode;
  static int jwtPort;
  static int rsPort;
  static int esPort;
  static int privatePort;
  static int patternPort;
  static JWTAuth hsSigner;
  static JWTAuth rsSigner;
  static JWTAuth esSigner;
  static volatile JsonObject lastAuthRequest;
  static final CompletableFuture<Message<JsonObject>> heldLogin = new CompletableFuture<>();

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    LoginTest.vertx = vertx;
    // The auth verticle: alice with the right password gets [admin]; carol is held until the test replies.
    vertx.eventBus().<JsonObject>consumer(AUTH_ADDRESS, msg -> {
      lastAuthRequest = msg.body();
      JsonObject params = msg.body().getJsonObject("params");
      String uid = params.getString("uid");
      if ("carol".equals(uid)) {
        heldLogin.complete(msg);
      } else if ("alice".equals(uid) && "open sesame".equals(params.getString("password"))) {
        msg.reply(new JsonObject().put("uid", "alice").put("roles", new JsonArray().add("admin")));
      } else {
        msg.fail(401, "unknown user or wrong password: " + uid);
      }
    }).completion().await();

    anonymousPort = TestNode.start(vertx, withWhoAmI(TestNode.demoOptions()));
    nonePort = TestNode.start(vertx, auth(new AuthOptions()));
    busNode = TestNode.deploy(vertx, auth(new AuthOptions().setType(AuthOptions.Type.BUS).setAddress(AUTH_ADDRESS)));
    jwtPort = TestNode.start(vertx, auth(new AuthOptions().setType(AuthOptions.Type.JWT).setJwtKey(SECRET)
      .setJwtIssuer("busrpc-test").setJwtAudience("players").setJwtRolesClaim("groups")));

    hsSigner = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsKeys = rsa.generateKeyPair();
    rsSigner = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem("PRIVATE KEY", rsKeys.getPrivate().getEncoded()))));
    rsPort = TestNode.start(vertx, auth(new AuthOptions().setType(AuthOptions.Type.JWT).setJwtAlgorithm("RS256")
      .setJwtKey(pem("PUBLIC KEY", rsKeys.getPublic().getEncoded()))));

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair esKeys = ec.generateKeyPair();
    esSigner = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(pem("PRIVATE KEY", esKeys.getPrivate().getEncoded()))));
    esPort = TestNode.start(vertx, auth(new AuthOptions().setType(AuthOptions.Type.JWT).setJwtAlgorithm("ES256")
      .setJwtKey(pem("PUBLIC KEY", esKeys.getPublic().getEncoded()))));

    BusRpcOptions closed = withWhoAmI(TestNode.demoOptions());
    closed.getGateway().setPublicMethods(List.of());
    privatePort = TestNode.start(vertx, closed);
    BusRpcOptions pattern = withWhoAmI(TestNode.demoOptions());
    pattern.getGateway().setPublicMethods(List.of("public.*"));
    patternPort = TestNode.start(vertx, pattern);
  }

  private static BusRpcOptions withWhoAmI(BusRpcOptions options) {
    return options.addHandler(new HandlerDeployment(WhoAmIVerticle.class.getName(), 1, new JsonObject()));
  }

  private static BusRpcOptions auth(AuthOptions auth) {
    BusRpcOptions options = withWhoAmI(TestNode.demoOptions());
    options.getGateway().setAuth(auth);
    return options;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
      + "\n-----END " + type + "-----\n";
  }

  private static JsonObject login(TestClient client, JsonObject params) throws Exception {
    return call(client, 1, "rpc.login", params);
  }

  private static JsonObject token(JWTAuth signer, String algorithm, JsonObject claims) {
    return new JsonObject().put("token", signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm)));
  }

  private static JsonObject whoami(TestClient client) throws Exception {
    return call(client, 2, "whoami", null).getJsonObject("result");
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  // ---- anonymous and none ----

  @Test
  void anonymousTrustsTheGivenUidAndGrantsNoRoles() throws Exception {
    try (TestClient c = new TestClient(anonymousPort, Framing.LINE)) {
      JsonObject result = login(c, new JsonObject().put("uid", "anon-1")).getJsonObject("result");
      assertEquals("anon-1", result.getString("uid"));
      assertEquals(new JsonArray(), result.getJsonArray("roles"));
      assertTrue(result.getString("connection") != null && !result.getString("connection").isEmpty());
      assertEquals(new JsonObject().put("uid", "anon-1").put("roles", new JsonArray()), whoami(c));
    }
  }

  @Test
  void anonymousRefusesALoginWithoutUid() throws Exception {
    try (TestClient c = new TestClient(anonymousPort, Framing.LINE)) {
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, new JsonObject())));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, new JsonObject().put("uid", ""))));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, new JsonObject().put("uid", 42))));
      assertEquals(ErrorCode.INVALID_PARAMS.code(), errorCode(call(c, 1, "rpc.login", new JsonArray().add("x"))));
      // Still not logged in, still usable.
      assertEquals("null", whoami(c).getString("uid"));
    }
  }

  @Test
  void noneIsTheDefaultAndRefusesEveryLogin() throws Exception {
    assertEquals(AuthOptions.Type.NONE, new AuthOptions().getType());
    try (TestClient c = new TestClient(nonePort, Framing.LINE)) {
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, new JsonObject().put("uid", "alice"))));
    }
  }

  // ---- bus ----

  @Test
  void busAuthenticatorAcceptsAndItsRolesReachTheHandlersCaller() throws Exception {
    try (TestClient c = new TestClient(busNode.gateway().actualPort(), Framing.LINE)) {
      JsonObject result = login(c, new JsonObject().put("uid", "alice").put("password", "open sesame")).getJsonObject("result");
      assertEquals("alice", result.getString("uid"));
      assertEquals(new JsonArray().add("admin"), result.getJsonArray("roles"));
      assertEquals(new JsonObject().put("uid", "alice").put("password", "open sesame"), lastAuthRequest.getJsonObject("params"));
      assertTrue(lastAuthRequest.getString("remoteAddress").startsWith("127.0.0.1:"), lastAuthRequest.encode());
      assertEquals(new JsonObject().put("uid", "alice").put("roles", new JsonArray().add("admin")), whoami(c));
    }
  }

  @Test
  void busAuthenticatorRefusalKeepsItsMessage() throws Exception {
    try (TestClient c = new TestClient(busNode.gateway().actualPort(), Framing.LINE)) {
      JsonObject answer = login(c, new JsonObject().put("uid", "mallory").put("password", "guess"));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(answer));
      assertEquals("unknown user or wrong password: mallory", answer.getJsonObject("error").getString("message"));
      assertEquals("null", whoami(c).getString("uid"));
    }
  }

  /**
   * A client that sends rpc.login and disconnects while the authenticator is still deciding must not
   * stay reachable: the late login result may not bind a uid to a connection that is gone.
   */
  @Test
  void aLoginThatCompletesAfterTheClientLeftLeavesTheUidOffline() throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient c = new TestClient(busNode.gateway().actualPort(), Framing.LINE)) {
      c.send(Rpc.request(1, "rpc.login", new JsonObject().put("uid", "carol")));
      heldLogin.get(WAIT_SECONDS, TimeUnit.SECONDS);
      c.abort();
    }
    Poll.eventually(vertx, "the gateway saw the close", () -> Future.succeededFuture(busNode.connectionCount() == 0));
    Message<JsonObject> held = heldLogin.get();

    held.reply(new JsonObject().put("uid", "carol").put("roles", new JsonArray()));
    // A round trip through the gateway's event loop after the reply, then ask.
    try (TestClient other = new TestClient(busNode.gateway().actualPort(), Framing.LINE)) {
      login(other, new JsonObject().put("uid", "alice").put("password", "open sesame"));
    }
    assertFalse(Rpc.await(clients.isOnline("carol")), "carol's login finished after her connection was gone, yet she is online");
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), Rpc.awaitFailure(
      Clients.create(vertx, io.busrpc.bus.Addresses.DEFAULT, 2_000).call("carol", "hello", null)).code());
  }

  /** Two logins sent back to back on one connection leave it bound to one uid only, not to both. */
  @Test
  void pipelinedLoginsLeaveTheConnectionBoundToOneUid() throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient c = new TestClient(anonymousPort, Framing.LINE)) {
      // One write, so the gateway reads both in one go.
      c.sendRaw((Rpc.request(1, "rpc.login", new JsonObject().put("uid", "pipe-a")) + "\n"
        + Rpc.request(2, "rpc.login", new JsonObject().put("uid", "pipe-b")) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      c.receive();
      c.receive();
      String bound = whoami(c).getString("uid");
      String other = bound.equals("pipe-a") ? "pipe-b" : "pipe-a";
      assertTrue(Rpc.await(clients.isOnline(bound)));
      assertFalse(Rpc.await(clients.isOnline(other)), "the connection is " + bound + " but still answers for " + other);
      assertEquals(true, call(c, 3, "rpc.logout", null).getValue("result"));
      assertFalse(Rpc.await(clients.isOnline("pipe-a")));
      assertFalse(Rpc.await(clients.isOnline("pipe-b")));
    }
  }

  // ---- jwt ----

  private static JsonObject hsClaims(String sub) {
    return new JsonObject().put("sub", sub).put("iss", "busrpc-test").put("aud", "players").put("exp", now() + 60);
  }

  @Test
  void jwtHs256TokenIsAcceptedAndTheRolesClaimRead() throws Exception {
    try (TestClient c = new TestClient(jwtPort, Framing.LINE)) {
      JsonObject claims = hsClaims("jay").put("groups", new JsonArray().add("admin").add("dev"));
      JsonObject result = login(c, token(hsSigner, "HS256", claims)).getJsonObject("result");
      assertEquals("jay", result.getString("uid"));
      assertEquals(new JsonArray().add("admin").add("dev"), result.getJsonArray("roles"));
      assertEquals(new JsonObject().put("uid", "jay").put("roles", new JsonArray().add("admin").add("dev")), whoami(c));
    }
  }

  @Test
  void jwtRolesClaimAsOneStringIsOneRole() throws Exception {
    try (TestClient c = new TestClient(jwtPort, Framing.LINE)) {
      JsonObject result = login(c, token(hsSigner, "HS256", hsClaims("jo").put("groups", "ops"))).getJsonObject("result");
      assertEquals(new JsonArray().add("ops"), result.getJsonArray("roles"));
    }
  }

  @Test
  void jwtExpiredTokenIsRefused() throws Exception {
    try (TestClient c = new TestClient(jwtPort, Framing.LINE)) {
      JsonObject answer = login(c, token(hsSigner, "HS256", hsClaims("late").put("exp", now() - 60)));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(answer));
      assertEquals("null", whoami(c).getString("uid"));
    }
  }

  @Test
  void jwtSignedWithAnotherSecretIsRefused() throws Exception {
    JWTAuth forger = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("another secret, also long enough")));
    try (TestClient c = new TestClient(jwtPort, Framing.LINE)) {
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, token(forger, "HS256", hsClaims("eve")))));
    }
  }

  @Test
  void jwtWrongIssuerOrAudienceOrNoSubOrNoTokenIsRefused() throws Exception {
    try (TestClient c = new TestClient(jwtPort, Framing.LINE)) {
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, token(hsSigner, "HS256", hsClaims("x").put("iss", "elsewhere")))));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, token(hsSigner, "HS256", hsClaims("x").put("aud", "admins")))));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, token(hsSigner, "HS256", hsClaims("x").putNull("sub")))));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, new JsonObject().put("uid", "x"))));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, new JsonObject().put("token", "not.a.jwt"))));
    }
  }

  @Test
  void jwtRs256WithAPemPublicKey() throws Exception {
    try (TestClient c = new TestClient(rsPort, Framing.LINE)) {
      JsonObject claims = new JsonObject().put("sub", "rita").put("roles", new JsonArray().add("player")).put("exp", now() + 60);
      JsonObject result = login(c, token(rsSigner, "RS256", claims)).getJsonObject("result");
      assertEquals("rita", result.getString("uid"));
      assertEquals(new JsonArray().add("player"), result.getJsonArray("roles"));
      // The HS256 signer's token does not pass an RS256 key.
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(login(c, token(hsSigner, "HS256", hsClaims("rita")))));
    }
  }

  @Test
  void jwtEs256WithAPemPublicKey() throws Exception {
    try (TestClient c = new TestClient(esPort, Framing.LINE)) {
      JsonObject claims = new JsonObject().put("sub", "esme").put("exp", now() + 60);
      JsonObject result = login(c, token(esSigner, "ES256", claims)).getJsonObject("result");
      assertEquals("esme", result.getString("uid"));
      assertEquals(new JsonArray(), result.getJsonArray("roles"));
      assertEquals(ErrorCode.LOGIN_FAILED.code(),
        errorCode(login(c, token(esSigner, "ES256", claims.copy().put("exp", now() - 60)))));
    }
  }

  // ---- not logged in, public methods ----

  @Test
  void withoutPublicMethodsOnlyRpcMethodsWorkBeforeLogin() throws Exception {
    try (TestClient c = new TestClient(privatePort, Framing.LINE)) {
      JsonObject refused = call(c, 1, "whoami", null);
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(refused));
      assertEquals(1, refused.getInteger("id"));
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(call(c, 2, "no.such.method", null)));
      assertEquals("pong", call(c, 3, "rpc.ping", null).getString("result"));
      Rpc.login(c, "paul");
      assertEquals("paul", whoami(c).getString("uid"));
    }
  }

  @Test
  void publicMethodPatternsOpenOnlyTheirPrefix() throws Exception {
    try (TestClient c = new TestClient(patternPort, Framing.LINE)) {
      assertEquals("null", call(c, 1, "public.whoami", null).getJsonObject("result").getString("uid"));
      assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), errorCode(call(c, 2, "public.nothing", null)));
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(call(c, 3, "whoami", null)));
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(call(c, 4, "publicwhoami", null)));
    }
  }

  // ---- logout ----

  @Test
  void logoutMakesTheUidUnreachableAndKeepsTheConnection() throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient c = new TestClient(privatePort, Framing.LINE)) {
      Rpc.login(c, "lou");
      assertTrue(Rpc.await(clients.isOnline("lou")));
      assertEquals(true, call(c, 1, "rpc.logout", null).getValue("result"));
      assertFalse(Rpc.await(clients.isOnline("lou")));
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), Rpc.awaitFailure(clients.call("lou", "hello", null)).code());
      assertEquals("pong", call(c, 2, "rpc.ping", null).getString("result"));
      // Logged out means not logged in again.
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(call(c, 3, "whoami", null)));
      // And the connection may log in again.
      Rpc.login(c, "lou");
      assertTrue(Rpc.await(clients.isOnline("lou")));
    }
  }
}
