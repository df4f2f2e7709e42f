package io.busrpc.gateway;

import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.busrpc.testing.Rpc.call;
import static io.busrpc.testing.Rpc.errorCode;
import static io.busrpc.testing.Rpc.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Validly signed tokens whose claims are not what busrpc expects: each login gets -32007, the
 * messages behind it in the same packet are still answered; a token without {@code exp} is refused
 * unless {@code auth.requireExpiry} is off.
 */
class JwtClaimsTest {

  private static final String SECRET = "claims-test-secret-of-enough-length";

  static Vertx vertx;
  static int strictPort;
  static int lenientPort;
  static JWTAuth signer;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    strictPort = TestNode.startDemo(vertx, g -> g.setAuth(jwt()));
    lenientPort = TestNode.startDemo(vertx, g -> g.setAuth(jwt().setRequireExpiry(false)));
    signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
  }

  private static AuthOptions jwt() {
    return new AuthOptions().setType(AuthOptions.Type.JWT).setJwtKey(SECRET);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static String token(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
  }

  private static long inAMinute() {
    return System.currentTimeMillis() / 1000 + 60;
  }

  private static String login(Object id, JsonObject claims) {
    return request(id, "rpc.login", new JsonObject().put("token", token(claims)));
  }

  @Test
  void claimsOfTheWrongTypeAreRefusedAndTheRestOfThePacketIsServed() throws Exception {
    JsonObject[] bad = {
      new JsonObject().put("sub", "ann").put("exp", Long.toString(inAMinute())),
      new JsonObject().put("sub", "ann").put("exp", inAMinute()).put("roles", new JsonObject().put("admin", true)),
      new JsonObject().put("sub", "ann").put("exp", inAMinute()).put("roles", new JsonArray().add(1).add(true)),
      new JsonObject().put("sub", "ann").put("exp", inAMinute()).put("roles", new JsonArray().add("")),
      new JsonObject().put("sub", "ann").put("exp", inAMinute()).put("nbf", "soon"),
      new JsonObject().put("sub", 42).put("exp", inAMinute()),
    };
    for (JsonObject claims : bad) {
      try (TestClient client = new TestClient(strictPort, Framing.LINE)) {
        // One packet: the bad login, then a call that must still be answered.
        client.sendRaw((login(1, claims) + "\n" + request(2, "subtract", new JsonArray().add(5).add(3)) + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonObject first = new JsonObject(client.receive());
        JsonObject second = new JsonObject(client.receive());
        JsonObject loginAnswer = first.getInteger("id") == 1 ? first : second;
        JsonObject callAnswer = first.getInteger("id") == 1 ? second : first;
        assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(loginAnswer), claims + " -> " + loginAnswer);
        assertEquals(2, callAnswer.getInteger("result"), callAnswer.encode());
      }
    }
  }

  @Test
  void aTokenWithoutExpiryIsRefusedUnlessTheOperatorOptsOut() throws Exception {
    JsonObject forever = new JsonObject().put("sub", "eve");
    try (TestClient client = new TestClient(strictPort, Framing.LINE)) {
      JsonObject answer = new JsonObject(client.call(login(1, forever)));
      assertEquals(ErrorCode.LOGIN_FAILED.code(), errorCode(answer), answer.encode());
      assertEquals("the token has no exp claim", answer.getJsonObject("error").getString("message"));
      JsonObject withExpiry = new JsonObject(client.call(login(2, forever.copy().put("exp", inAMinute()))));
      assertEquals("eve", withExpiry.getJsonObject("result", new JsonObject()).getString("uid"), withExpiry.encode());
    }
    try (TestClient client = new TestClient(lenientPort, Framing.LINE)) {
      JsonObject answer = new JsonObject(client.call(login(1, forever)));
      assertEquals("eve", answer.getJsonObject("result").getString("uid"), answer.encode());
    }
  }

  @Test
  void requireExpiryIsOnByDefaultAndReadFromJson() {
    assertEquals(true, new AuthOptions().isRequireExpiry());
    assertEquals(false, new AuthOptions(new JsonObject().put("requireExpiry", false)).isRequireExpiry());
    assertEquals(false, new AuthOptions(new AuthOptions().setRequireExpiry(false).toJson()).isRequireExpiry());
  }
}
