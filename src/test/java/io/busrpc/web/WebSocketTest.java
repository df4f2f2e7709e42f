package io.busrpc.web;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.busrpc.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.busrpc.testing.Rpc.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket at {@code GET /rpc} is a session like a TCP connection: calls, batches, parse errors,
 * login, server→client calls and notifications, groups, replacement across transports, and the
 * frame limit (a message of exactly {@code maxFrameSize} bytes is served, one byte more closes with
 * 1009). Vert.x's own WebSocket client on loopback against a real node; each test has uids of its own.
 */
@ExtendWith(VertxExtension.class)
class WebSocketTest {

  static final int MAX_FRAME = 64 * 1024;
  static Vertx vertx;
  static BusRpcVerticle node;
  static int port;
  static Clients clients;

  @BeforeAll
  static void start(Vertx vertx) {
    WebSocketTest.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(0));
    options.getGateway().setMaxFrameSize(MAX_FRAME);
    node = TestNode.deploy(vertx, options);
    port = node.webListener().actualPort();
    clients = Clients.create(vertx);
  }

  private static WsClient loggedIn(String uid) throws Exception {
    WsClient client = WsClient.connect(vertx, port);
    JsonObject answer = new JsonObject(client.call(Rpc.request("login", "rpc.login", new JsonObject().put("uid", uid))));
    assertEquals(uid, answer.getJsonObject("result").getString("uid"), answer.encode());
    return client;
  }

  @Test
  void aCallIsAnsweredInATextMessage() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}",
        client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}"));
      assertEquals(Rpc.PONG, client.call(Rpc.PING));
    }
  }

  @Test
  void aBatchIsOneMessageAndItsAnswersOneMessage() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      JsonArray answers = new JsonArray(client.call("[" + Rpc.request(1, "sum", List.of(1, 2, 4)) + ","
        + Rpc.request(null, "notify_hello", List.of(7)) + "," + Rpc.request(2, "subtract", List.of(42, 23)) + "]"));
      assertEquals(2, answers.size(), answers.encode());
      assertTrue(answers.contains(new JsonObject().put("jsonrpc", "2.0").put("result", 7).put("id", 1)), answers.encode());
      assertTrue(answers.contains(new JsonObject().put("jsonrpc", "2.0").put("result", 19).put("id", 2)), answers.encode());
    }
  }

  @Test
  void aMessageThatIsNotJsonGetsAParseErrorAndTheSessionGoesOn() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      JsonObject error = new JsonObject(client.call("{\"jsonrpc\": \"2.0\", \"method\""));
      assertEquals(ErrorCode.PARSE_ERROR.code(), Rpc.errorCode(error));
      assertEquals(Rpc.PONG, client.call(Rpc.PING));
    }
  }

  @Test
  void serverCodeCallsAndNotifiesALoggedInWebSocketClient() throws Exception {
    try (WsClient bob = loggedIn("ws-bob")) {
      Future<Object> answer = clients.call("ws-bob", "add", List.of(1, 2));
      JsonObject request = (JsonObject) bob.receiveJson();
      assertEquals("add", request.getString("method"));
      bob.send(new JsonObject().put("jsonrpc", "2.0").put("result", 3).put("id", request.getValue("id")).encode());
      assertEquals(3, await(answer));
      clients.notify("ws-bob", "news", new JsonObject().put("text", "hi"));
      JsonObject news = (JsonObject) bob.receiveJson();
      assertEquals("news", news.getString("method"));
      assertEquals(new JsonObject().put("text", "hi"), news.getJsonObject("params"));
    }
  }

  @Test
  void groupMessagesReachWebSocketAndTcpMembersAlike() throws Exception {
    try (WsClient ws = loggedIn("group-ws"); TestClient tcp = new TestClient(node.gateway().actualPort(), Framing.LINE)) {
      Rpc.login(tcp, "group-tcp");
      await(clients.join("group-ws", "room-1"));
      await(clients.join("group-tcp", "room-1"));
      clients.publish("room-1", "said", List.of("hello room"));
      JsonObject overWs = (JsonObject) ws.receiveJson();
      JsonObject overTcp = (JsonObject) tcp.receiveJson();
      assertEquals(overTcp, overWs);
      assertEquals("said", overWs.getString("method"));
    }
  }

  @Test
  void aLoginOverWebSocketReplacesTheSameUidOverTcp() throws Exception {
    try (TestClient tcp = new TestClient(node.gateway().actualPort(), Framing.LINE)) {
      Rpc.login(tcp, "ws-replaced");
      try (WsClient ws = loggedIn("ws-replaced")) {
        JsonObject replaced = (JsonObject) tcp.receiveJson();
        assertEquals("rpc.replaced", replaced.getString("method"), replaced.encode());
        assertTrue(tcp.closedByServer(), "the TCP connection is closed");
        Future<Object> answer = clients.call("ws-replaced", "where", null);
        JsonObject request = (JsonObject) ws.receiveJson();
        ws.send(new JsonObject().put("jsonrpc", "2.0").put("result", "ws").put("id", request.getValue("id")).encode());
        assertEquals("ws", await(answer));
      }
    }
  }

  @Test
  void aLoginOverTcpReplacesTheSameUidOverWebSocket() throws Exception {
    try (WsClient ws = loggedIn("tcp-replaces"); TestClient tcp = new TestClient(node.gateway().actualPort(), Framing.LINE)) {
      Rpc.login(tcp, "tcp-replaces");
      JsonObject replaced = (JsonObject) ws.receiveJson();
      assertEquals("rpc.replaced", replaced.getString("method"), replaced.encode());
      assertEquals((short) 1000, ws.closeStatus(), "a normal close once the notification is sent");
    }
  }

  @Test
  void aMessageOfExactlyTheLimitIsServedAndOneByteMoreClosesWith1009() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      String request = Rpc.request("big", "rpc.ping", null);
      String exact = request + " ".repeat(MAX_FRAME - request.length());
      assertEquals(MAX_FRAME, exact.length());
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":\"big\"}", client.call(exact));
      client.send(exact + " ");
      assertEquals((short) 1009, client.closeStatus());
    }
  }

  @Test
  void aSingleFrameOverTheLimitClosesWith1009() throws Exception {
    // Browsers and ws send a message as one frame: Vert.x's decoder refuses a frame over the limit
    // before the transport sees it, and the transport must still say why (not a bare drop, 1006).
    try (WsClient client = WsClient.connect(vertx, port)) {
      String oversize = "[" + " ".repeat(MAX_FRAME * 3) + "]";
      client.socket().writeFrame(io.vertx.core.http.WebSocketFrame.textFrame(oversize, true));
      assertEquals((short) 1009, client.closeStatus());
    }
  }

  @Test
  void aMessageOverTheLimitInFramesUnderItClosesWith1009() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      var socket = client.socket();
      String half = " ".repeat(MAX_FRAME / 2 + 1);
      await(socket.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame("[" + half, false)));
      socket.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(io.vertx.core.buffer.Buffer.buffer(half), true));
      assertEquals((short) 1009, client.closeStatus());
    }
  }

  @Test
  void aMessageInManyFramesIsOneMessage() throws Exception {
    try (WsClient client = WsClient.connect(vertx, port)) {
      String request = Rpc.request(5, "subtract", List.of(42, 23));
      var socket = client.socket();
      await(socket.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame(request.substring(0, 10), false)));
      await(socket.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(
        io.vertx.core.buffer.Buffer.buffer(request.substring(10, 20)), false)));
      await(socket.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(
        io.vertx.core.buffer.Buffer.buffer(request.substring(20)), true)));
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":5}", client.receive());
    }
  }

  @Test
  void aHandshakeFromAForeignPageGets403() {
    Throwable refused = assertThrows(Throwable.class,
      () -> WsClient.connect(vertx, port, "/rpc", Map.of("Origin", "https://evil.example.com")));
    UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, rootCause(refused), refused.toString());
    assertEquals(403, rejected.getStatus());
    try (WsClient own = WsClient.connect(vertx, port, "/rpc", Map.of("Origin", "http://127.0.0.1:" + port))) {
      assertTrue(!own.isClosed());
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
