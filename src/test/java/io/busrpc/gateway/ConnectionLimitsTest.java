package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Lines;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.busrpc.testing.Rpc.MAPPER;
import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code maxConnections} and {@code maxConnectionsPerAddress}: a connection past a limit gets -32009 in
 * its framing and is closed; slots are given back when connections close, however they close.
 */
@ExtendWith(VertxExtension.class)
class ConnectionLimitsTest {


  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  private int node(Consumer<GatewayOptions> tweak) {
    // One gateway instance: the tests open connections in an order and expect the first ones to be
    // counted first; instances sharing the port accept on their own event loops, in either order.
    return TestNode.startDemo(vertx, tweak.andThen(g -> g.setInstances(1)));
  }

  private static void assertAccepted(TestClient client) throws IOException {
    String answer = client.call(PING);
    assertEquals("pong", MAPPER.readTree(answer).path("result").asText(), answer);
  }

  private static void assertRefused(TestClient client) throws IOException {
    JsonNode answer = MAPPER.readTree(client.call(PING));
    assertEquals(ErrorCode.TOO_MANY_CONNECTIONS.code(), answer.path("error").path("code").asInt(), answer.toString());
    assertTrue(answer.has("id") && answer.get("id").isNull(), answer.toString());
    assertTrue(client.closedByServer(), "a refused connection is closed after its error");
  }

  /** Connects until the gateway accepts (it learns of a client's close asynchronously). */
  private static TestClient acceptedWithin(int port, Framing framing, int attempts) throws IOException {
    for (int i = 0; i < attempts; i++) {
      TestClient client = new TestClient(port, framing);
      JsonNode answer = MAPPER.readTree(client.call(PING));
      if ("pong".equals(answer.path("result").asText())) {
        return client;
      }
      client.close();
    }
    fail("still refused after " + attempts + " attempts");
    return null;
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void theConnectionPastMaxConnectionsGetsAnErrorInItsFramingAndIsClosed(Framing framing) throws Exception {
    int port = node(g -> g.setMaxConnections(3));
    List<TestClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(new TestClient(port, framing));
        assertAccepted(open.get(i));
      }
      try (TestClient fourth = new TestClient(port, framing)) {
        assertRefused(fourth);
      }
      open.remove(0).close();
      open.add(acceptedWithin(port, framing, 50));
      for (TestClient client : open) {
        assertAccepted(client); // the others were not disturbed
      }
    } finally {
      for (TestClient client : open) {
        client.close();
      }
    }
  }

  @Test
  void perAddressLimitRefusesTheThirdFromOneAddressButNotAnotherAddress() throws Exception {
    int port = node(g -> g.setMaxConnectionsPerAddress(2).setHost("127.0.0.1"));
    try (TestClient a = new TestClient(port, Framing.LINE); TestClient b = new TestClient(port, Framing.LINE)) {
      assertAccepted(a);
      assertAccepted(b);
      try (TestClient c = new TestClient(port, Framing.LINE)) {
        assertRefused(c);
      }
      // On Linux the whole 127.0.0.0/8 block is loopback, so a second client address needs no setup.
      try (Socket other = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName("127.0.0.2"), 0)) {
        other.setSoTimeout(WAIT_MS);
        other.getOutputStream().write((PING + "\n").getBytes(StandardCharsets.UTF_8));
        String answer = Lines.read(other.getInputStream());
        assertEquals("pong", MAPPER.readTree(answer).path("result").asText(), answer);
      }
    }
  }

  @Test
  void aRefusedClientThatSendsNothingIsClosed() throws Exception {
    int port = node(g -> g.setMaxConnections(1));
    try (TestClient first = new TestClient(port, Framing.LINE); TestClient refused = new TestClient(port, Framing.LINE)) {
      assertAccepted(first);
      long t0 = System.nanoTime();
      assertTrue(refused.closedByServer(), "a refused silent client must be closed");
      System.out.printf("FIGURE refused silent client closed after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertAccepted(first);
    }
  }

  @Test
  void slotsComeBackHoweverConnectionsClose() throws Exception {
    int port = node(g -> g.setMaxConnectionsPerAddress(2).setMaxConnections(2).setMaxFrameSize(1024));
    for (int round = 0; round < 5; round++) {
      // Closed by the client.
      acceptedWithin(port, Framing.LINE, 50).close();
      // Half-closed by the client, then closed by the server after its answer.
      TestClient half = acceptedWithin(port, Framing.LENGTH, 50);
      half.shutdownOutput();
      assertTrue(half.closedByServer());
      half.close();
      // Closed by the server: frame too large.
      TestClient large = acceptedWithin(port, Framing.LENGTH, 50);
      large.sendRaw(new byte[] {0, 0, 0x10, 0});
      MAPPER.readTree(large.receive());
      assertTrue(large.closedByServer());
      large.close();
      // Closed by the server: unknown framing (the first byte decides).
      TestClient garbage = new TestClient(port, Framing.LINE);
      garbage.sendRaw(new byte[] {'x'});
      assertTrue(garbage.closedByServer());
      garbage.close();
    }
    try (TestClient a = acceptedWithin(port, Framing.LINE, 50); TestClient b = acceptedWithin(port, Framing.LINE, 50)) {
      assertAccepted(a);
      assertAccepted(b);
    }
  }
}
