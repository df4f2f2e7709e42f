package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.ChatVerticle;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code maxGroupsPerConnection}: a join past it fails with -32011 naming the limit. */
@ExtendWith(VertxExtension.class)
class GroupLimitTest {

  Vertx vertx;
  int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway().setMaxGroupsPerConnection(3);
    port = TestNode.start(vertx, options);
  }

  @Test
  void theLimitHasADefaultAndRejectsBadValues() {
    assertEquals(100, new GatewayOptions().getMaxGroupsPerConnection());
    assertEquals(7, new GatewayOptions(new JsonObject().put("maxGroupsPerConnection", 7)).getMaxGroupsPerConnection());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GatewayOptions().setMaxGroupsPerConnection(0));
    assertTrue(e.getMessage().contains("maxGroupsPerConnection"), e.getMessage());
  }

  @Test
  void aJoinPastTheLimitFailsAndAFreedPlaceCanBeTaken() throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      Rpc.login(client, "joiner");
      for (int i = 1; i <= 3; i++) {
        await(clients.join("joiner", "g" + i));
      }
      RpcException refused = awaitFailure(clients.join("joiner", "g4"));
      assertEquals(ErrorCode.TOO_MANY_GROUPS.code(), refused.code());
      assertTrue(refused.getMessage().contains("maxGroupsPerConnection"), refused.getMessage());
      await(clients.join("joiner", "g1")); // a group it is in already takes no new place

      assertTrue(await(clients.leave("joiner", "g1")));
      await(clients.join("joiner", "g4"));
      clients.publish("g4", "news", new JsonObject().put("n", 4));
      JsonObject news = (JsonObject) client.receiveJson();
      assertEquals("news", news.getString("method"), news::encode);
    }
  }

  @Test
  void aClientJoiningThroughAHandlerGetsTheError() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      Rpc.login(client, "chatter");
      for (int i = 1; i <= 3; i++) {
        assertEquals(true, Rpc.call(client, i, "chat.join", new JsonObject().put("room", "r" + i)).getBoolean("result"));
      }
      JsonObject answer = Rpc.call(client, 4, "chat.join", new JsonObject().put("room", "r4"));
      assertEquals(ErrorCode.TOO_MANY_GROUPS.code(), Rpc.errorCode(answer));
      assertTrue(answer.getJsonObject("error").getString("message").contains("maxGroupsPerConnection"), answer::encode);
    }
  }
}
