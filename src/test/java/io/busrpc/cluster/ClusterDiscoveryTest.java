package io.busrpc.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.Discover;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rpc.discover} across a cluster (DESIGN.md §12): a gateway on node A lists, in a valid
 * OpenRPC document, the methods of handlers that run only on nodes B and C, and stops listing them
 * when their node dies (B, its Hazelcast member terminated without a clean stop) or is closed (C).
 */
class ClusterDiscoveryTest {

  /** MethodBindingTest's handler: the methods with every Java shape. */
  private static final String BINDER = "io.busrpc.handler.MethodBindingTest$Binder";

  /** Served on node C only. */
  public static class OnC extends RpcVerticle {
    @RpcMethod(value = "onC.where", description = "Names the node that serves it.")
    public String where() {
      return "C";
    }
  }

  private ClusterNodes cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theGatewayListsMethodsOfOtherNodesUntilTheyDieOrClose() throws Exception {
    cluster = new ClusterNodes();
    Vertx a = cluster.start();
    Vertx b = cluster.start();
    Vertx c = cluster.start();
    // Node A runs a gateway and no handler at all.
    int port = TestNode.start(a, new BusRpcOptions().setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*"))));
    b.deployVerticle(BINDER).await();
    c.deployVerticle(new OnC()).await();

    assertTrue(Poll.until(a, WAIT_MS, () -> names(port).containsAll(List.of("subtract", "mirror", "onC.where"))),
      () -> "B's and C's methods listed on A: " + names(port));
    JsonNode document = Discover.document(port, null);
    assertEquals(List.of("broken", "custom", "custom.name", "describe", "greet", "join", "later", "laterBroken",
      "laterFailing", "mirror", "nothing", "onC.where", "shout", "sorted", "square", "subtract", "sum", "total",
      "where", "whoami"), Discover.names(document));
    assertEquals("#/components/schemas/Point", Discover.method(document, "mirror").path("result").path("schema").path("$ref").asText());
    assertEquals("Names the node that serves it.", Discover.method(document, "onC.where").path("description").asText());
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      assertEquals(19, Rpc.call(client, 1, "subtract", new JsonArray().add(42).add(23)).getInteger("result"));
    }

    // B dies: no undeploy runs there, nothing is withdrawn; the cluster drops the member.
    ((HazelcastClusterManager) ((VertxInternal) b).clusterManager()).getHazelcastInstance().getLifecycleService().terminate();
    assertTrue(Poll.until(a, 20_000, () -> names(port).equals(List.of("onC.where"))),
      () -> "only C's method listed after B died: " + names(port));

    c.close().await();
    assertTrue(Poll.until(a, WAIT_MS, () -> names(port).isEmpty()), () -> "nothing listed after C closed: " + names(port));
  }

  private static List<String> names(int port) {
    return Discover.names(Discover.document(port, null));
  }
}
