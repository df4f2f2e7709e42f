package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server pings and the client's session (ping interval and timeout 200 ms, one pending call per client):
 * a client closed for silence goes offline, and a client whose slot is taken by the server's own call
 * is not closed for a ping that could not be sent. ServerPingTest covers the ping itself.
 */
class ServerPingSessionTest {

  private static final String PONG = "{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":\"p\"}";

  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setPingInterval(200).setPingTimeout(200).setMaxPendingClientCalls(1);
    port = TestNode.start(vertx, options);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
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
    Rpc.until(vertx, "sleeper offline", () -> clients.isOnline("sleeper").map(online -> !online));
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
      // Idle for a while with the one slot taken: no ping can be sent, and the connection stays.
      assertTrue(c.silentFor(700), "nothing is sent while the slot is taken");
      Rpc.reply(c, request, "done");
      assertEquals("done", Rpc.await(call));
      Rpc.reply(c, expectPing(c), "pong");
    }
  }
}
