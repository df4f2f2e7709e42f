package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.busrpc.web.WebOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Port 0 with several gateway instances: one random port that all of them serve, not one port each. */
@ExtendWith(VertxExtension.class)
class SharedPortTest {

  @Test
  void instancesOnPortZeroShareOnePortAndEachServesItsConnections(Vertx vertx) throws Exception {
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setInstances(2);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    List<Gateway> gateways = node.gateways();
    assertEquals(2, gateways.size());
    int port = node.gateway().actualPort();
    for (Gateway gateway : gateways) {
      assertEquals(port, gateway.actualPort(), "every instance listens on the port the node reports");
    }

    // Vert.x hands the connections of a shared port to its instances in turn: four reach both.
    List<TestClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        TestClient client = new TestClient(port, Framing.LINE);
        clients.add(client);
        assertEquals(3, Rpc.call(client, i, "subtract", new JsonArray().add(5).add(2)).getInteger("result"));
      }
      assertTrue(Poll.until(vertx, WAIT_MS, () -> node.connectionCount() == 4), "connections: " + node.connectionCount());
      for (Gateway gateway : gateways) {
        assertTrue(gateway.connectionCount() > 0, "an instance without connections: " + counts(gateways));
      }
    } finally {
      for (TestClient client : clients) {
        client.close();
      }
    }
  }

  @Test
  void twoNodesOnPortZeroInOneVertxGetTwoPorts(Vertx vertx) {
    // Sharing is per deployment: a second node must not answer on the first one's port.
    int first = TestNode.start(vertx, TestNode.demoOptions());
    int second = TestNode.start(vertx, TestNode.demoOptions());
    assertNotEquals(first, second);
  }

  @Test
  void twoNodesWithWebListenersOnPortZeroInOneVertxGetTwoWebPorts(Vertx vertx) {
    // The web port is shared per deployment too, by the same means as the TCP port.
    BusRpcVerticle first = TestNode.deploy(vertx, TestNode.demoOptions().setWeb(new WebOptions().setPort(0)));
    BusRpcVerticle second = TestNode.deploy(vertx, TestNode.demoOptions().setWeb(new WebOptions().setPort(0)));
    assertNotEquals(first.webListener().actualPort(), second.webListener().actualPort());
  }

  private static List<Integer> counts(List<Gateway> gateways) {
    return gateways.stream().map(Gateway::connectionCount).toList();
  }
}
