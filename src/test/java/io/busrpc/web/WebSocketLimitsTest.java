package io.busrpc.web;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.GatedVerticle;
import io.busrpc.testing.Poll;
import io.busrpc.testing.RawWebSocket;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.busrpc.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits of a TCP session hold over WebSocket, because they are the same core's: calls in
 * flight, bytes queued for a client that does not read, connections per node counted across both
 * transports, and roles from the authenticator.
 */
@ExtendWith(VertxExtension.class)
class WebSocketLimitsTest {

  private static final String SECRET = "web-socket-limits-test-secret";

  private static BusRpcVerticle node(Vertx vertx, java.util.function.Consumer<BusRpcOptions> tweak) {
    BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(0))
      .addHandler(new HandlerDeployment(GatedVerticle.class.getName(), 1, new JsonObject()));
    tweak.accept(options);
    return TestNode.deploy(vertx, options);
  }

  @Test
  void aWebSocketNeverHasMoreThanMaxInFlightCalls(Vertx vertx) throws Exception {
    GatedVerticle.reset();
    BusRpcVerticle node = node(vertx, o -> o.getGateway().setMaxInFlight(3));
    try (WsClient client = WsClient.connect(vertx, node.webListener().actualPort())) {
      VertxTestContext reached = new VertxTestContext();
      GatedVerticle.onStart(reached.checkpoint(3));
      for (int i = 0; i < 10; i++) {
        client.send(Rpc.request(i, "gated", List.of(i)));
      }
      assertTrue(reached.awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS), "3 calls reach the handler");
      // Half a second: the other 7 messages were written before; a gateway that read them would
      // forward them within milliseconds.
      assertTrue(client.poll(500) == null, "nothing is answered while the gate is closed");
      assertFalse(reached.failed(), "a fourth call reached the handler while 3 were in flight");
      assertEquals(3, GatedVerticle.started(), "calls forwarded while 3 were in flight");
      GatedVerticle.release();
      for (int i = 0; i < 10; i++) {
        assertTrue(client.receive().contains("\"result\""));
      }
      assertEquals(3, GatedVerticle.maxRunning());
    }
  }

  @Test
  void aWebSocketClientThatDoesNotReadIsClosedAtTheOutboundCap(Vertx vertx) throws Exception {
    BusRpcVerticle node = node(vertx, o -> o.getGateway().setMaxOutboundBytes(256 * 1024));
    Clients clients = Clients.create(vertx);
    try (RawWebSocket sleeper = new RawWebSocket(node.webListener().actualPort(), 8 * 1024)) {
      sleeper.sendText(Rpc.request(1, "rpc.login", new JsonObject().put("uid", "ws-sleeper")));
      assertTrue(sleeper.receiveText().contains("\"uid\":\"ws-sleeper\""));
      String text = "x".repeat(32 * 1024);
      int sent = 0;
      // At most 64 MiB: a gateway without the cap would queue all of it for this client.
      while (sent < 2048 && await(clients.isOnline("ws-sleeper").otherwise(true))) {
        for (int i = 0; i < 16; i++) {
          clients.notify("ws-sleeper", "news", List.of(text));
        }
        sent += 16;
      }
      int posted = sent;
      assertTrue(Poll.until(vertx, WAIT_MS, () -> !await(clients.isOnline("ws-sleeper").otherwise(true))),
        "still online after " + posted + " notifications of 32 KiB");
    }
  }

  @Test
  void tcpAndWebSocketConnectionsCountAgainstOneLimit(Vertx vertx) throws Exception {
    BusRpcVerticle node = node(vertx, o -> o.getGateway().setMaxConnections(1));
    int web = node.webListener().actualPort();
    try (TestClient tcp = new TestClient(node.gateway().actualPort(), Framing.LINE)) {
      assertEquals(Rpc.PONG, tcp.call(Rpc.PING));
      try (WsClient refused = WsClient.connect(vertx, web)) {
        JsonObject answer = new JsonObject(refused.call(Rpc.PING));
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS.code(), Rpc.errorCode(answer));
        refused.closeStatus();
      }
    }
    // A client's close reaches the gateway a moment later: until then the TCP connection holds the place.
    assertTrue(Poll.until(vertx, WAIT_MS, () -> node.connectionCount() == 0), node.connectionCount() + " connections open");
    try (WsClient ws = WsClient.connect(vertx, web)) {
      assertEquals(Rpc.PONG, ws.call(Rpc.PING));
      try (TestClient refused = new TestClient(node.gateway().actualPort(), Framing.LINE)) {
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS.code(), Rpc.errorCode(Rpc.call(refused, "p", "rpc.ping", null)));
      }
    }
  }

  @Test
  void rolesFromTheTokenDecideWhatAWebSocketMayCall(Vertx vertx) throws Exception {
    BusRpcVerticle node = node(vertx, o -> o.getGateway().setPublicMethods(List.of())
      .setAuth(new AuthOptions().setType(AuthOptions.Type.JWT).setJwtKey(SECRET))
      .setMethodRoles(Map.of("subtract", List.of("math"))));
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    int port = node.webListener().actualPort();
    String subtract = Rpc.request(7, "subtract", List.of(42, 23));
    try (WsClient client = WsClient.connect(vertx, port)) {
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), Rpc.errorCode(new JsonObject(client.call(subtract))));
      String plain = signer.generateToken(new JsonObject().put("sub", "plain-user").put("exp", expiry()), new JWTOptions());
      client.call(Rpc.request(1, "rpc.login", new JsonObject().put("token", plain)));
      assertEquals(ErrorCode.FORBIDDEN.code(), Rpc.errorCode(new JsonObject(client.call(subtract))));
    }
    try (WsClient client = WsClient.connect(vertx, port)) {
      String math = signer.generateToken(new JsonObject().put("sub", "math-user").put("roles", List.of("math"))
        .put("exp", expiry()), new JWTOptions());
      client.call(Rpc.request(1, "rpc.login", new JsonObject().put("token", math)));
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":7}", client.call(subtract));
    }
  }

  static long expiry() {
    return System.currentTimeMillis() / 1000 + 600;
  }

  @Test
  void aLoggedInWebSocketIsPingedWithPingFramesNotRpcPing(Vertx vertx) throws Exception {
    BusRpcVerticle node = node(vertx, o -> o.getGateway().setPingInterval(200).setPingTimeout(2_000));
    try (WsClient client = WsClient.connect(vertx, node.webListener().actualPort())) {
      client.call(Rpc.request(1, "rpc.login", new JsonObject().put("uid", "pinged")));
      assertTrue(Poll.until(vertx, WAIT_MS, () -> client.pings() >= 3), "ping frames while idle");
      assertEquals(null, client.poll(0), "no rpc.ping request: the WebSocket's own pings are used");
      assertFalse(client.isClosed(), "Vert.x's client answers the pings, so it stays connected");
    }
  }

  @Test
  void aWebSocketThatDoesNotAnswerPingsIsClosed(Vertx vertx) throws Exception {
    BusRpcVerticle node = node(vertx, o -> o.getGateway().setPingInterval(200).setPingTimeout(300));
    try (RawWebSocket silent = new RawWebSocket(node.webListener().actualPort(), 64 * 1024)) {
      silent.sendText(Rpc.request(1, "rpc.login", new JsonObject().put("uid", "silent")));
      assertTrue(silent.receiveText().contains("\"uid\":\"silent\""));
      int pings = 0;
      RawWebSocket.Frame frame;
      while ((frame = silent.receive()) != null) {
        assertEquals(RawWebSocket.PING, frame.opcode(), "only pings, then the close: " + frame.text());
        pings++;
      }
      assertTrue(pings >= 1, "pinged before it was closed");
    }
  }

  @Test
  void aStoppingNodeTellsItsWebSocketsAnswersTheirCallsInFlightThenClosesThem(Vertx vertx) throws Exception {
    GatedVerticle.reset();
    BusRpcVerticle node = node(vertx, o -> { });
    try (WsClient client = WsClient.connect(vertx, node.webListener().actualPort())) {
      client.send(Rpc.request(1, "gated", List.of("late")));
      assertTrue(Poll.until(vertx, 10_000, () -> GatedVerticle.started() == 1));
      io.vertx.core.Future<Void> undeployed = vertx.undeploy(node.deploymentID());
      JsonObject notice = (JsonObject) client.receiveJson();
      assertEquals("rpc.shutdown", notice.getString("method"), notice.encode());
      JsonObject refused = new JsonObject(client.call(Rpc.request(2, "echo", List.of(1))));
      assertEquals(ErrorCode.SHUTTING_DOWN.code(), Rpc.errorCode(refused));
      GatedVerticle.release();
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":\"late\",\"id\":1}", client.receive());
      client.closeStatus();
      undeployed.await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
