package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.ChatVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.Rpc.PONG;
import static io.busrpc.testing.Rpc.call;
import static io.busrpc.testing.Rpc.errorCode;
import static io.busrpc.testing.Rpc.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The chat demo end to end: two clients on real sockets, the ChatVerticle between them. */
@ExtendWith(VertxExtension.class)
class ChatDemoTest {


  static Vertx vertx;
  static int port;
  static int privatePort;

  @BeforeAll
  static void start(Vertx vertx) {
    ChatDemoTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject())));
    BusRpcOptions closed = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject()));
    closed.getGateway().setPublicMethods(List.of());
    privatePort = TestNode.start(vertx, closed);
  }

  @Test
  void sendIsAnsweredByTheReceivingClient() throws Exception {
    try (TestClient alice = new TestClient(port, Framing.LINE); TestClient bob = new TestClient(port, Framing.LENGTH)) {
      login(alice, "chat-alice");
      login(bob, "chat-bob");
      alice.send(Rpc.request(7, "chat.send", new JsonObject().put("to", "chat-bob").put("text", "hi bob")));
      JsonObject receive = (JsonObject) bob.receiveJson();
      assertEquals("chat.receive", receive.getString("method"));
      assertEquals(new JsonObject().put("from", "chat-alice").put("text", "hi bob"), receive.getJsonObject("params"));
      Rpc.reply(bob, receive, new JsonObject().put("read", true));
      assertEquals(new JsonObject().put("jsonrpc", "2.0").put("result", new JsonObject().put("read", true)).put("id", 7),
        alice.receiveJson());
    }
  }

  @Test
  void theReceiversErrorReachesTheSenderWithItsData() throws Exception {
    try (TestClient alice = new TestClient(port, Framing.LINE); TestClient bob = new TestClient(port, Framing.LSP)) {
      login(alice, "err-alice");
      login(bob, "err-bob");
      alice.send(Rpc.request(8, "chat.send", List.of("err-bob", "spam")));
      JsonObject receive = (JsonObject) bob.receiveJson();
      JsonObject error = new JsonObject().put("code", 1234).put("message", "blocked")
        .put("data", new JsonObject().put("until", "2030-01-01").put("tags", new JsonArray().add("spam")));
      bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", receive.getValue("id")).put("error", error).encode());
      JsonObject answer = (JsonObject) alice.receiveJson();
      assertEquals(8, answer.getInteger("id"));
      assertEquals(error, answer.getJsonObject("error"));
    }
  }

  @Test
  void sendingToAnOfflineUserIsClientOffline() throws Exception {
    try (TestClient alice = new TestClient(port, Framing.LINE)) {
      login(alice, "lonely-alice");
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(),
        errorCode(call(alice, 9, "chat.send", new JsonObject().put("to", "nobody").put("text", "hello?"))));
    }
  }

  @Test
  void sayReachesEveryMemberOfTheRoomUntilTheyLeave() throws Exception {
    try (TestClient alice = new TestClient(port, Framing.LINE); TestClient bob = new TestClient(port, Framing.LINE);
         TestClient carol = new TestClient(port, Framing.LINE)) {
      login(alice, "room-alice");
      login(bob, "room-bob");
      login(carol, "room-carol");
      assertEquals(true, call(alice, 1, "chat.join", new JsonObject().put("room", "lobby")).getValue("result"));
      assertEquals(true, call(bob, 1, "chat.join", List.of("lobby")).getValue("result"));

      alice.send(Rpc.request(2, "chat.say", new JsonObject().put("room", "lobby").put("text", "hello all")));
      JsonObject expected = new JsonObject().put("room", "lobby").put("from", "room-alice").put("text", "hello all");
      JsonObject atBob = (JsonObject) bob.receiveJson();
      assertEquals("chat.message", atBob.getString("method"));
      assertEquals(expected, atBob.getJsonObject("params"));
      assertFalse(atBob.containsKey("id"));
      // Alice is a member too; her own message and her answer come in either order.
      JsonObject first = (JsonObject) alice.receiveJson();
      JsonObject second = (JsonObject) alice.receiveJson();
      JsonObject answer = first.containsKey("id") ? first : second;
      JsonObject atAlice = first.containsKey("id") ? second : first;
      assertEquals(true, answer.getValue("result"));
      assertEquals(expected, atAlice.getJsonObject("params"));
      assertEquals(PONG, carol.call(PING));

      assertEquals(true, call(bob, 3, "chat.leave", List.of("lobby")).getValue("result"));
      assertEquals(false, call(bob, 4, "chat.leave", List.of("lobby")).getValue("result"));
      alice.send(Rpc.request(5, "chat.say", List.of("lobby", "bye")));
      JsonObject a = (JsonObject) alice.receiveJson();
      JsonObject b = (JsonObject) alice.receiveJson();
      assertEquals("bye", (a.containsKey("id") ? b : a).getJsonObject("params").getString("text"));
      assertEquals(PONG, bob.call(PING));
    }
  }

  @Test
  void chatBeforeLoginIsRefused() throws Exception {
    try (TestClient guest = new TestClient(privatePort, Framing.LINE)) {
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(),
        errorCode(call(guest, 1, "chat.send", new JsonObject().put("to", "x").put("text", "y"))));
    }
    // Where chat methods are public, the verticle itself refuses callers without a uid.
    try (TestClient guest = new TestClient(port, Framing.LINE)) {
      assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(call(guest, 1, "chat.join", List.of("lobby"))));
    }
  }
}
