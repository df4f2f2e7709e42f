package io.busrpc.cluster;

import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.NodeProcess;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.Rpc.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that dies (its process killed, no clean stop): calls to the uids that were connected there
 * fail with "client offline" within 10 s, the ones already waiting as well as new ones, and the
 * node that is left keeps serving its own clients.
 */
class NodeLossTest {

  private ClusterNodes cluster;
  private NodeProcess nodeB;

  @AfterEach
  void stop() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void callsToTheDeadNodesClientsFailWithClientOfflineWithin10s(@TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    cluster = new ClusterNodes();
    Vertx a = cluster.start();
    int portA = TestNode.start(a, TestNode.demoOptions());
    nodeB = NodeProcess.start(cluster, TestNode.demoOptions(), dir, "node B");
    int portB = nodeB.port();
    System.out.printf("node A up and node B's process joined in %d ms%n", (System.nanoTime() - started) / 1_000_000);

    Clients clients = Clients.create(a);
    try (TestClient lost = new TestClient(portB, Framing.LINE); TestClient alive = new TestClient(portA, Framing.LINE)) {
      login(lost, "lost-1");
      login(alive, "alive-1");
      assertTrue(await(clients.isOnline("lost-1")));

      Future<Object> pending = clients.call("lost-1", "think", null);
      assertEquals("think", ((JsonObject) lost.receiveJson()).getString("method"));

      long killed = System.nanoTime();
      nodeB.kill();
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(pending).code());
      long pendingFailedAfter = (System.nanoTime() - killed) / 1_000_000;

      long sent = System.nanoTime();
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.call("lost-1", "again", null)).code());
      long newFailedAfter = (System.nanoTime() - sent) / 1_000_000;
      System.out.printf("after the kill: pending call failed in %d ms, a new call in %d ms%n", pendingFailedAfter, newFailedAfter);
      assertTrue(pendingFailedAfter < 10_000, "pending call failed after " + pendingFailedAfter + " ms");

      // The node that is left serves its own clients.
      Future<Object> answer = clients.call("alive-1", "ping", null);
      Rpc.reply(alive, (JsonObject) alive.receiveJson(), "still here");
      assertEquals("still here", await(answer));
      assertEquals(1, Rpc.call(alive, 1, "subtract", new JsonArray().add(3).add(2)).getInteger("result"));
    }
  }
}
