package io.busrpc.gateway;

import io.busrpc.bus.Addresses;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness without surprise requests (DESIGN §1, issue 13 item 2, issue 11 item 10): only logged-in
 * sessions are pinged; every connection that sends nothing for {@code idleTimeout} is closed, pings
 * on or off; a plain JSON-RPC client that stays quiet for less than that is left alone.
 */
@ExtendWith(VertxExtension.class)
class LivenessTest {

  private static final int PING_INTERVAL = 100;
  private static final int PING_TIMEOUT = 100;

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  private int node(Consumer<GatewayOptions> tweak) {
    return TestNode.startDemo(vertx, tweak);
  }

  private static void assertUsable(TestClient client) throws IOException {
    assertEquals(new JsonObject("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":\"u\"}"),
      new JsonObject(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":\"u\"}")));
  }

  /**
   * With pings every 100 ms and 100 ms to answer, a pinged client would get its first ping after
   * about 100 ms and be closed after about 200 ms (plus a sweep period of 50 ms). Staying silent for
   * 1500 ms, more than seven times that, and then still being answered proves that a client that has
   * not logged in is neither pinged nor closed; only the idle timeout (10 s here) could close it.
   */
  @Test
  void aClientThatHasNotLoggedInIsNeitherPingedNorClosed() throws IOException {
    int port = node(g -> g.setPingInterval(PING_INTERVAL).setPingTimeout(PING_TIMEOUT).setIdleTimeout(10_000));
    try (TestClient talked = new TestClient(port, Framing.LINE);
         TestClient lsp = new TestClient(port, Framing.LSP);
         TestClient neverSentAByte = new TestClient(port, Framing.LENGTH)) {
      assertUsable(talked);
      assertUsable(lsp);
      assertTrue(talked.silentFor(1500), "a client that has not logged in was sent something");
      assertTrue(lsp.silentFor(10), "a client that has not logged in was sent something");
      assertUsable(talked);
      assertUsable(lsp);
      assertUsable(neverSentAByte);
    }
  }

  @Test
  void aLoggedInSessionIsStillPinged() throws IOException {
    int port = node(g -> g.setPingInterval(PING_INTERVAL).setPingTimeout(1000).setIdleTimeout(10_000));
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      Rpc.login(client, "pinged");
      JsonObject ping = new JsonObject(client.receive());
      assertEquals("rpc.ping", ping.getString("method"), ping.encode());
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "pong").put("id", ping.getValue("id")).encode());
      assertUsable(client);
    }
  }

  @Test
  void aSilentSocketIsClosedAfterTheIdleTimeoutWithPingsOff() throws IOException {
    int port = node(g -> g.setPingInterval(0).setIdleTimeout(300));
    try (TestClient talked = new TestClient(port, Framing.LINE);
         TestClient loggedIn = new TestClient(port, Framing.LENGTH);
         TestClient neverSentAByte = new TestClient(port, Framing.LINE)) {
      assertUsable(talked);
      Rpc.login(loggedIn, "quiet");
      assertTrue(talked.closedByServer(), "a client silent past idleTimeout must be closed");
      assertTrue(loggedIn.closedByServer(), "a logged-in client silent past idleTimeout must be closed, pings off");
      assertTrue(neverSentAByte.closedByServer(), "a socket that never sent a byte must be closed");
    }
  }

  @Test
  void aClientWaitingForItsOwnCallIsNotIdle() throws IOException {
    int port = node(g -> g.setPingInterval(0).setIdleTimeout(200).setCallTimeout(30_000));
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      // "slow" answers after three times idleTimeout; the connection waits for it, it does not idle.
      vertx.eventBus().consumer(Addresses.DEFAULT.method("slow"), msg -> vertx.setTimer(600, t -> msg.reply("done")))
        .completion().await();
      String answer = client.call("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":1}");
      assertEquals("done", new JsonObject(answer).getString("result"), answer);
    }
  }

  @Test
  void idleTimeoutOption() {
    assertEquals(300_000, new GatewayOptions().getIdleTimeout());
    assertEquals(0, new GatewayOptions(new JsonObject().put("idleTimeout", 0)).getIdleTimeout());
    assertEquals(1234, new GatewayOptions(new GatewayOptions().setIdleTimeout(1234).toJson()).getIdleTimeout());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> new GatewayOptions().setIdleTimeout(-1));
    assertTrue(e.getMessage().contains("idleTimeout"), e.getMessage());
  }

  @Test
  void acceptedSocketsUseTcpKeepAlive() {
    NetServerOptions options = io.busrpc.gateway.impl.GatewayImpl.serverOptions(new GatewayOptions());
    assertTrue(options.isTcpKeepAlive());
  }
}
