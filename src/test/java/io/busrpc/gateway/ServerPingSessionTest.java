package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.busrpc.testing.Rpc.PONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server pings and the client's session (ping interval and timeout 200 ms, one pending call per client):
 * a client closed for silence goes offline, and a client whose slot is taken by the server's own call
 * is not closed for a ping that could not be sent. ServerPingTest covers the ping itself.
 */
@ExtendWith(VertxExtension.class)
class ServerPingSessionTest {


  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    ServerPingSessionTest.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setPingInterval(200).setPingTimeout(200).setMaxPendingClientCalls(1);
    port = TestNode.start(vertx, options);
  }

  private static JsonObject expectPing(TestClient client) throws Exception {
    JsonObject ping = (JsonObject) client.receiveJson();
    assertEquals("rpc.ping", ping.getString("method"));
    assertNotNull(ping.getValue("id"), "the ping is a request");
    return ping;
  }

  @Test
  void aClientClosedForSilenceGoesOffline() throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient c = new TestClient(port, Framing.LINE)) {
      Rpc.login(c, "sleeper");
      expectPing(c);
      assertTrue(c.closedByServer());
    }
    Poll.eventually(vertx, "sleeper offline", () -> clients.isOnline("sleeper").map(online -> !online));
  }

  /**
   * A client whose pending-call slots are all taken by the server's calls cannot be sent a ping;
   * that is no reason to close it before the ping timeout even started.
   */
  @Test
  void aClientBusyWithTheServersCallsIsNotClosedForAPingThatCouldNotBeSent() throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient c = new TestClient(port, Framing.LINE)) {
      Rpc.login(c, "busy");
      Future<Object> call = clients.call("busy", "work", null);
      JsonObject request = (JsonObject) c.receiveJson();
      // Idle for a while with the one slot taken: no ping can be sent, and the connection stays. The
      // window is enough: 700 ms is more than three ping intervals plus a ping timeout (200 + 200 ms),
      // so a wrong ping or close would have come in it.
      assertTrue(c.silentFor(700), "nothing is sent while the slot is taken");
      Rpc.reply(c, request, "done");
      assertEquals("done", Rpc.await(call));
      Rpc.reply(c, expectPing(c), "pong");
    }
  }
}
