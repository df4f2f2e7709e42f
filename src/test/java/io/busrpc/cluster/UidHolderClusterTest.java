package io.busrpc.cluster;

import io.busrpc.bus.Addresses;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.Heap;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.busrpc.testing.Rpc.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly one holder per uid in a cluster (DESIGN §4), on two real Hazelcast nodes: many
 * simultaneous logins of one uid on both nodes end with one connection holding it, the one the
 * shared data names, with one listener in the whole cluster; a connection's pipelined logins and
 * login/logout loops leave no listener behind.
 */
class UidHolderClusterTest {

  private static final int PER_NODE = 100;

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
    portA = TestNode.start(a, TestNode.demoOptions());
    portB = TestNode.start(b, TestNode.demoOptions());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** @return how many listeners the whole cluster has at the uid's address (the cluster's own record) */
  private static Future<Integer> listeners(String uid) {
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    ((VertxInternal) a).clusterManager().getRegistrations(Addresses.DEFAULT.client(uid), registrations);
    return registrations.future().map(List::size);
  }

  private static String holder(String uid) {
    return await(a.sharedData().<String, String>getAsyncMap(Addresses.DEFAULT.internal("holders")).compose(m -> m.get(uid)));
  }

  /** The holder record goes after the listener (both asynchronously): poll for it. */
  private static Future<Integer> holderEntryCount() {
    return a.sharedData().<String, String>getAsyncMap(Addresses.DEFAULT.internal("holders")).compose(m -> m.size());
  }

  @Test
  void simultaneousLoginsOfOneUidOnTwoNodesEndWithOneHolder() throws Exception {
    for (int round = 0; round < 3; round++) {
      String uid = "contended-" + round;
      List<TestClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < PER_NODE; i++) {
          clients.add(new TestClient(portA, Framing.LINE));
          clients.add(new TestClient(portB, Framing.LINE));
        }
        long started = System.nanoTime();
        String login = Rpc.request("login", "rpc.login", new JsonObject().put("uid", uid));
        for (TestClient client : clients) {
          client.send(login);
        }
        // Every login is answered: a result (perhaps replaced later), an error, or rpc.replaced.
        List<TestClient> withResult = new ArrayList<>();
        List<String> connectionIds = new ArrayList<>();
        int errors = 0;
        int replacedFirst = 0;
        for (TestClient client : clients) {
          JsonObject first = (JsonObject) client.receiveJson();
          if (first.containsKey("result")) {
            withResult.add(client);
            connectionIds.add(first.getJsonObject("result").getString("connection"));
          } else if (first.containsKey("error")) {
            errors++;
          } else {
            assertEquals("rpc.replaced", first.getString("method"), first::encode);
            assertTrue(client.closedByServer());
            replacedFirst++;
          }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;

        // The shared data names the holder; it is one of those whose login succeeded.
        String entry = holder(uid);
        assertNotNull(entry, "no holder entry for " + uid);
        String holderId = entry.substring(0, entry.indexOf(' '));
        int index = connectionIds.indexOf(holderId);
        assertTrue(index >= 0, "the holder " + holderId + " is not among the logged-in connections");
        TestClient holder = withResult.get(index);
        // Every other logged-in connection was told and closed; the holder was not.
        for (TestClient client : withResult) {
          if (client != holder) {
            JsonObject note = (JsonObject) client.receiveJson();
            assertEquals("rpc.replaced", note.getString("method"), note::encode);
            assertTrue(client.closedByServer(), "a replaced connection stays open");
          }
        }
        // Every login is answered, and a login asks its predecessor to step down before it answers:
        // an rpc.replaced for the holder would already be on its way; 300 ms covers a loopback hop.
        assertTrue(holder.silentFor(300), "the holder was told to step down");
        System.out.printf("FIGURE %d simultaneous logins of %s on 2 nodes: all answered in %d ms (%d results,"
            + " %d errors, %d replaced before their answer); one holder%n",
          clients.size(), uid, ms, withResult.size(), errors, replacedFirst);

        // One listener in the whole cluster, and calls from both nodes reach it.
        Poll.eventually(a, "one listener at " + uid, () -> listeners(uid).map(n -> n == 1));
        for (Vertx node : List.of(a, b)) {
          // Each node's route to the uid follows the cluster's registrations within a moment (the
          // bus's view of them is eventually consistent; isOnline is answered by the gateway, so
          // it needs no help from the test's client); then every call must reach the holder.
          Clients from = Clients.create(node, Addresses.DEFAULT, 2_000);
          Poll.eventually(node, uid + " online seen from a node", () -> from.isOnline(uid));
          for (int i = 0; i < 5; i++) {
            Future<Object> answer = Clients.create(node).call(uid, "who", null);
            JsonObject request = (JsonObject) holder.receiveJson();
            Rpc.reply(holder, request, i);
            assertEquals(i, await(answer));
          }
        }
      } finally {
        for (TestClient client : clients) {
          client.close();
        }
      }
      Poll.eventually(a, "no listener left at " + uid, () -> listeners(uid).map(n -> n == 0));
      Poll.eventually(a, "no holder entry left", () -> holderEntryCount().map(n -> n == 0));
    }
  }

  /** Two logins in one packet on node A: the connection ends holding the second uid only. */
  @Test
  void pipelinedLoginsOnANodeLeaveNoListenerBehind() throws Exception {
    for (int round = 0; round < 5; round++) {
      String first = "pipelined-a-" + round;
      String second = "pipelined-b-" + round;
      try (TestClient client = new TestClient(portA, Framing.LINE)) {
        client.sendRaw((Rpc.request(1, "rpc.login", new JsonObject().put("uid", first)) + "\n"
          + Rpc.request(2, "rpc.login", new JsonObject().put("uid", second)) + "\n").getBytes());
        assertEquals(first, ((JsonObject) client.receiveJson()).getJsonObject("result").getString("uid"));
        assertEquals(second, ((JsonObject) client.receiveJson()).getJsonObject("result").getString("uid"));
        assertEquals(0, await(listeners(first)), "a listener left at " + first);
        assertEquals(1, await(listeners(second)));
        assertEquals(null, holder(first));
      }
      Poll.eventually(a, "no listener left at " + second, () -> listeners(second).map(n -> n == 0));
    }
  }

  @Test
  void loginLogoutLoopsLeaveNoListenerNoEntryAndNoHeap() throws Exception {
    int cycles = 300;
    try (TestClient client = new TestClient(portB, Framing.LENGTH)) {
      loop(client, "cwarm", 50);
      long before = Heap.usedAfterGc();
      loop(client, "cloop", cycles);
      long after = Heap.usedAfterGc();
      System.out.printf("FIGURE login/logout loop on a 2-node cluster: %d cycles, used heap (both nodes, one JVM)"
        + " before %s, after %s, growth %s%n", cycles, Heap.mib(before), Heap.mib(after), Heap.mib(after - before));
      assertTrue(after - before < 16L * 1024 * 1024, "heap grew by " + Heap.mib(after - before));
    }
    List<Future<Integer>> counts = new ArrayList<>();
    for (int i = 0; i < cycles; i++) {
      counts.add(listeners("cloop-" + i));
    }
    await(Future.all(counts));
    assertTrue(counts.stream().allMatch(n -> n.result() == 0), "a uid of the loop still has a listener");
    Poll.eventually(a, "no holder entry left", () -> holderEntryCount().map(n -> n == 0));
  }

  /** Logs in and out {@code cycles} times, each pair pipelined in one packet, a uid per cycle. */
  private static void loop(TestClient client, String prefix, int cycles) throws IOException {
    for (int i = 0; i < cycles; i++) {
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.writeBytes(client.framing().encode(Buffer.buffer(
        Rpc.request(i, "rpc.login", new JsonObject().put("uid", prefix + "-" + i)))).getBytes());
      both.writeBytes(client.framing().encode(Buffer.buffer(Rpc.request("out", "rpc.logout", null))).getBytes());
      client.sendRaw(both.toByteArray());
      JsonObject loggedIn = (JsonObject) client.receiveJson();
      assertEquals(prefix + "-" + i, loggedIn.getJsonObject("result").getString("uid"), loggedIn::encode);
      assertEquals(true, ((JsonObject) client.receiveJson()).getBoolean("result"));
    }
  }
}
