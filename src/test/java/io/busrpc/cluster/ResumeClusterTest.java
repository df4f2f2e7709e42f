package io.busrpc.cluster;

import io.busrpc.app.BusRpcVerticle;
import io.busrpc.gateway.ResumeChaosTest;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.NodeProcess;
import io.busrpc.testing.Poll;
import io.busrpc.testing.ResumeClient;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.busrpc.testing.ResumeClient.tcp;
import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session resume across the nodes of a real Hazelcast cluster (DESIGN §11): a client whose session
 * is on node A comes back on node B, which relays its connection to the session on A; when A is
 * gone, the resume gets -32010.
 */
class ResumeClusterTest {

  static ClusterNodes cluster;
  static Vertx a;
  static Vertx b;
  static int portA;
  static int portB;

  @BeforeAll
  static void start() {
    cluster = new ClusterNodes();
    a = cluster.start();
    b = cluster.start();
    // The chaos client falls behind on a loaded machine: the server's calls wait for it meanwhile.
    portA = TestNode.startDemo(a, g -> g.setInstances(2).setMaxPendingClientCalls(ResumeChaosTest.SERVER_CALLS));
    portB = TestNode.startDemo(b, g -> g.setInstances(2).setMaxPendingClientCalls(ResumeChaosTest.SERVER_CALLS));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aClientResumesOnTheOtherNodeAndGetsExactlyWhatWasMissing() throws Exception {
    String uid = "cross-node";
    Clients fromB = Clients.create(b);
    try (ResumeClient client = ResumeClient.login(tcp(portA), uid)) {
      await(fromB.join(uid, "cross-room"));
      client.cut();
      for (int n = 1; n <= 3; n++) {
        fromB.publish("cross-room", "chat", Map.of("n", n));
      }
      Future<Object> asked = fromB.call(uid, "ask", null);
      client.sendLost(Rpc.request("lost", "subtract", List.of(10, 3)));
      client.connectWith(tcp(portB));
      JsonObject result = client.resume(false).getJsonObject("result");
      assertEquals(uid, result.getString("uid"));
      int chats = 0;
      JsonObject ask = null;
      JsonObject lost = null;
      while (chats < 3 || ask == null || lost == null) {
        JsonObject message = (JsonObject) client.next();
        if ("chat".equals(message.getString("method"))) {
          assertEquals(++chats, message.getJsonObject("params").getInteger("n"));
        } else if ("ask".equals(message.getString("method"))) {
          assertNull(ask);
          ask = message;
        } else {
          assertNull(lost, message.encode());
          lost = message;
        }
      }
      assertEquals(7, lost.getInteger("result"));
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "yes").put("id", ask.getValue("id")).encode());
      assertEquals("yes", await(asked));
      // and back to A
      client.cut();
      client.connectWith(tcp(portA));
      assertTrue(client.resume(false).containsKey("result"));
      client.send(Rpc.request(2, "subtract", List.of(5, 1)));
      assertEquals(4, ((JsonObject) client.next()).getInteger("result"));
      // Duplicates would come right behind: one second is plenty on loopback.
      assertNull(client.poll(1_000));
    }
  }

  @Test
  void everythingArrivesExactlyOnceAndInOrderAcrossCutsAndNodes() throws Exception {
    ResumeChaosTest.run(b, tcp(portA), List.of(tcp(portA), tcp(portB)), "chaos-cluster");
  }

  @Test
  void whenTheSessionsNodeIsGoneTheResumeGetsSessionExpired() throws Exception {
    ClusterNodes own = cluster;
    Vertx c = own.start();
    BusRpcVerticle nodeC = TestNode.deploy(c, TestNode.demoOptions());
    String uid = "dies-with-c";
    try (ResumeClient client = ResumeClient.login(tcp(nodeC.gateway().actualPort()), uid)) {
      client.cut();
      c.close().await();
      Poll.eventually(a, uid + " offline", () -> Clients.create(a).isOnline(uid).map(online -> !online));
      client.connectWith(tcp(portB));
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.resume(false)));
    }
  }

  /**
   * The node a client is relayed through stops (a deploy, a scale-down) while the session's node goes
   * on: the stopping node tells the client and closes the connection, and the client resumes on
   * another node with nothing lost (the session is not ended by a node it does not live on).
   */
  @Test
  void whenTheRelayingNodeStopsTheClientResumesElsewhereWithNothingLost() throws Exception {
    Vertx c = cluster.start();
    BusRpcVerticle nodeC = TestNode.deploy(c, TestNode.demoOptions());
    String uid = "relayed-through-a-stopping-node";
    Clients fromB = Clients.create(b);
    try (ResumeClient client = ResumeClient.login(tcp(portA), uid)) {
      await(fromB.join(uid, "stop-room"));
      client.cut();
      client.connectWith(tcp(nodeC.gateway().actualPort()));
      assertTrue(client.resume(false).containsKey("result"));
      fromB.publish("stop-room", "chat", Map.of("n", 1));
      assertEquals(1, ((JsonObject) client.next()).getJsonObject("params").getInteger("n"));

      c.close().await();
      fromB.publish("stop-room", "chat", Map.of("n", 2)); // while the client is away
      assertThrows(IOException.class, () -> client.poll(30_000), "C closed the relayed connection");
      assertEquals(1, client.shutdownNotices(), "C said rpc.shutdown before closing");
      client.connectWith(tcp(portA));
      JsonObject resumed = client.resume(false);
      assertTrue(resumed.containsKey("result"), resumed.encode());
      assertEquals(2, ((JsonObject) client.next()).getJsonObject("params").getInteger("n"));
      assertNull(client.poll(1_000));
    }
  }

  /**
   * A client relayed to its session's node, silent, while that node dies (its process killed): the
   * relaying node notices by itself (it checks the session while the client sends nothing) and
   * closes the connection, so the client comes back and learns that the session is gone.
   */
  @Test
  void aSilentRelayedClientIsClosedWhenItsSessionsNodeDies(@TempDir Path dir) throws Exception {
    try (NodeProcess nodeC = NodeProcess.start(cluster, TestNode.demoOptions(), dir, "node C");
         ResumeClient client = ResumeClient.login(tcp(nodeC.port()), "relayed-silent")) {
      client.cut();
      client.connectWith(tcp(portB));
      assertTrue(client.resume(false).containsKey("result"));
      nodeC.kill();
      // B's pingTimeout is 10 s: the connection closes within it; 30 s leaves room for a loaded machine.
      assertTrue(closedWithin(client.wire(), 30_000), "B closed the relayed connection");
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.resume(false)));
    }
  }

  /** @return true once the gateway closed the connection, false when it is still open after {@code millis} */
  private static boolean closedWithin(ResumeClient.Wire wire, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    try {
      while (System.nanoTime() < deadline) {
        wire.poll(100);
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
