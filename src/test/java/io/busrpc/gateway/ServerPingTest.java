package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's {@code rpc.ping} to idle logged-in clients (DESIGN §1: liveness): a client that does
 * not answer is closed; a client that answers, with a result or with an error, stays connected.
 */
@ExtendWith(VertxExtension.class)
class ServerPingTest {

  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    ServerPingTest.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setPingInterval(200).setPingTimeout(300);
    port = TestNode.start(vertx, options);
  }

  private static JsonObject awaitPing(TestClient client) throws IOException {
    JsonObject ping = new JsonObject(client.receive());
    assertEquals("rpc.ping", ping.getString("method"), ping.encode());
    return ping;
  }

  private static void assertUsable(TestClient client) throws IOException {
    assertEquals(new JsonObject("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":\"u\"}"),
      new JsonObject(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":\"u\"}")));
  }

  @Test
  void silentClientIsClosed() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      Rpc.login(client, "p-" + client.framing() + System.nanoTime());
      assertUsable(client);
      awaitPing(client);
      assertTrue(client.closedByServer(), "a client that does not answer the ping must be closed");
    }
  }

  @Test
  void clientAnsweringPongStaysConnected() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      Rpc.login(client, "p-" + client.framing() + System.nanoTime());
      assertUsable(client);
      Object id = awaitPing(client).getValue("id");
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "pong").put("id", id).encode());
      assertUsable(client);
    }
  }

  /** What vscode-jsonrpc and other libraries answer when they have no rpc.ping handler. */
  @Test
  void clientAnsweringWithAnErrorStaysConnected() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LSP)) {
      Rpc.login(client, "p-" + client.framing() + System.nanoTime());
      assertUsable(client);
      Object id = awaitPing(client).getValue("id");
      client.send(new JsonObject().put("jsonrpc", "2.0").put("id", id)
        .put("error", new JsonObject().put("code", -32601).put("message", "Unhandled method rpc.ping")).encode());
      assertUsable(client);
    }
  }
}
