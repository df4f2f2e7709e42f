package io.busrpc.cluster;

import io.busrpc.app.HandlerDeployment;
import io.busrpc.bus.Addresses;
import io.busrpc.handler.Caller;
import io.busrpc.handler.Clients;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.Rpc.login;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three busrpc nodes A, B and C on one Hazelcast cluster over loopback (DESIGN §6): calls, server
 * code, groups, broadcast, presence, logins and handler names across nodes, with no cluster code in
 * handlers. Each test uses uids and method names of its own.
 */
class ClusterTest {

  /** Served on node B only. */
  public static class OnlyOnB extends RpcVerticle {
    @RpcMethod("onlyB.where")
    public String where(String who) {
      return "B serves " + who;
    }

    @RpcMethod("onlyB.fail")
    public String fail() {
      throw new RpcException(4040, "B says no", new JsonObject().put("node", "B"));
    }

    @RpcMethod("onlyB.count")
    public String count(Caller caller, int n) {
      return caller.uid() + "#" + n;
    }
  }

  /** Deployed on several nodes; answers with the node named in its config. */
  public static class ClashA extends RpcVerticle {
    @RpcMethod("clash.who")
    public String who() {
      return config().getString("node");
    }
  }

  /** Deployed on every node; answers with the node named in its config. */
  public static class Everywhere extends RpcVerticle {
    @RpcMethod("everywhere.who")
    public String who() {
      return config().getString("node");
    }
  }

  /** Another class claiming ClashA's name. */
  public static class ClashB extends RpcVerticle {
    @RpcMethod("clash.who")
    public String who() {
      return "intruder";
    }
  }

  static ClusterNodes cluster;
  static Vertx a;
  static Vertx b;
  static Vertx c;
  static int portA;
  static int portB;
  static int portC;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    cluster = new ClusterNodes();
    a = cluster.start();
    b = cluster.start();
    c = cluster.start();
    portA = TestNode.start(a, TestNode.demoOptions());
    portB = TestNode.start(b, TestNode.demoOptions().addHandler(new HandlerDeployment(OnlyOnB.class.getName(), 1, new JsonObject())));
    portC = TestNode.start(c, TestNode.demoOptions());
    System.out.printf("3-node cluster up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static TestClient loggedIn(int port, String uid) throws Exception {
    TestClient client = new TestClient(port, Framing.LINE);
    login(client, uid);
    return client;
  }

  @Test
  void aClientOnACallsAMethodServedOnlyOnB() throws Exception {
    try (TestClient client = new TestClient(portA, Framing.LENGTH)) {
      for (int i = 0; i < 3; i++) {
        JsonObject answer = Rpc.call(client, i, "onlyB.where", new JsonArray().add("A"));
        assertEquals("B serves A", answer.getString("result"), answer::encode);
        JsonObject error = Rpc.call(client, "e" + i, "onlyB.fail", null).getJsonObject("error");
        assertEquals(4040, error.getInteger("code"));
        assertEquals("B says no", error.getString("message"));
        assertEquals(new JsonObject().put("node", "B"), error.getJsonObject("data"));
      }
      // The demo's methods are served on every node by the same class.
      assertEquals(3, Rpc.call(client, 9, "subtract", new JsonArray().add(5).add(2)).getInteger("result"));
    }
  }

  @Test
  void pipelinedCallsToAnotherNodeAreEachAnsweredWithTheirOwnResult() throws Exception {
    // Calls read in one event-loop turn cross to B as one bus message and their answers come back
    // as one: every call must still get its own result or error, with its own caller.
    try (TestClient ann = loggedIn(portA, "p-ann"); TestClient bob = loggedIn(portA, "p-bob")) {
      for (TestClient client : List.of(ann, bob)) {
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < 60; i++) {
          pipelined.append(i % 10 == 9 ? Rpc.request(i, "onlyB.fail", null) : Rpc.request(i, "onlyB.count", new JsonArray().add(i)))
            .append('\n');
        }
        client.sendRaw(pipelined.toString().getBytes(StandardCharsets.UTF_8));
      }
      for (TestClient client : List.of(ann, bob)) {
        String uid = client == ann ? "p-ann" : "p-bob";
        Set<Integer> answered = new HashSet<>();
        for (int k = 0; k < 60; k++) {
          JsonObject answer = (JsonObject) client.receiveJson();
          int id = answer.getInteger("id");
          assertTrue(answered.add(id), answer::encode);
          if (id % 10 == 9) {
            assertEquals(4040, Rpc.errorCode(answer), answer::encode);
            assertEquals(new JsonObject().put("node", "B"), answer.getJsonObject("error").getJsonObject("data"));
          } else {
            assertEquals(uid + "#" + id, answer.getString("result"), answer::encode);
          }
        }
      }
    }
  }

  @Test
  void aMethodServedOnEveryNodeIsServedOnTheGatewaysOwnNode() throws Exception {
    // DESIGN section 2: with the same handlers on every node, a call goes to the gateway's own
    // node, never across the cluster (which would cost a TCP round trip between nodes).
    Map<String, Vertx> nodes = Map.of("A", a, "B", b, "C", c);
    Map<String, Integer> ports = Map.of("A", portA, "B", portB, "C", portC);
    Map<String, String> deployments = new HashMap<>();
    for (String node : nodes.keySet()) {
      deployments.put(node, nodes.get(node).deployVerticle(Everywhere.class.getName(),
        new DeploymentOptions().setConfig(new JsonObject().put("node", node))).await());
    }
    try {
      for (String node : ports.keySet()) {
        try (TestClient client = new TestClient(ports.get(node), Framing.LENGTH)) {
          // Round robin over three nodes would answer from another node within three calls.
          for (int i = 0; i < 30; i++) {
            JsonObject answer = Rpc.call(client, i, "everywhere.who", null);
            assertEquals(node, answer.getString("result"), () -> "a call made at " + node + "'s gateway: " + answer.encode());
          }
        }
      }
    } finally {
      for (String node : deployments.keySet()) {
        nodes.get(node).undeploy(deployments.get(node)).await();
      }
    }
  }

  @Test
  void serverCodeOnBCallsAClientConnectedToA() throws Exception {
    Clients fromB = Clients.create(b);
    try (TestClient alice = loggedIn(portA, "x-alice")) {
      Future<Object> answer = fromB.call("x-alice", "add", List.of(1, 2));
      JsonObject request = (JsonObject) alice.receiveJson();
      assertEquals("add", request.getString("method"));
      Rpc.reply(alice, request, 3);
      assertEquals(3, await(answer));

      Future<Object> refused = fromB.call("x-alice", "trade", null);
      JsonObject second = (JsonObject) alice.receiveJson();
      alice.send(new JsonObject().put("jsonrpc", "2.0").put("id", second.getValue("id"))
        .put("error", new JsonObject().put("code", 4001).put("message", "no wood").put("data", new JsonArray().add(1))).encode());
      RpcException e = awaitFailure(refused);
      assertEquals(4001, e.code());
      assertEquals("no wood", e.getMessage());
      assertEquals(new JsonArray().add(1), e.data());
    }
    // Right after the close, B may still see alice's address for a moment (the cluster removes it
    // asynchronously); within that moment the call fails otherwise. It settles on -32003.
    Clients shortB = Clients.create(b, Addresses.DEFAULT, 500);
    Poll.eventually(b, "calls to x-alice fail with -32003", () -> shortB.call("x-alice", "add", null)
      .map(r -> false).recover(e -> Future.succeededFuture(e instanceof RpcException rpc
        && rpc.code() == ErrorCode.CLIENT_OFFLINE.code())));
  }

  @Test
  void groupsAndBroadcastReachMembersOnEveryNode() throws Exception {
    Clients fromB = Clients.create(b);
    try (TestClient ann = loggedIn(portA, "g-ann"); TestClient ben = loggedIn(portB, "g-ben");
         TestClient cid = loggedIn(portC, "g-cid")) {
      await(fromB.join("g-ann", "room"));
      await(Clients.create(c).join("g-cid", "room"));
      // A join is acknowledged once its registration is written to the cluster, but other nodes see
      // it a moment later: publish again (at most 5 times) until every member got one.
      List<TestClient> waiting = new ArrayList<>(List.of(ann, cid));
      for (int attempt = 0; attempt < 5 && !waiting.isEmpty(); attempt++) {
        fromB.publish("room", "said", List.of("hello"));
        for (TestClient member : List.copyOf(waiting)) {
          if (!member.silentFor(1000)) {
            JsonObject note = (JsonObject) member.receiveJson();
            assertEquals("said", note.getString("method"));
            assertEquals(new JsonArray().add("hello"), note.getJsonArray("params"));
            waiting.remove(member);
          }
        }
      }
      assertTrue(waiting.isEmpty(), "every member got the room's message");
      for (TestClient member : List.of(ann, cid)) {
        while (!member.silentFor(300)) {
          assertEquals("said", ((JsonObject) member.receiveJson()).getString("method")); // a repeat
        }
      }
      // ann and cid got their repeats and then 300 ms of silence each: a message wrongly sent to ben
      // would have arrived with theirs, so another 200 ms on top is ample.
      assertTrue(ben.silentFor(200), "ben is not in the room");

      Clients.create(c).broadcast("news", List.of("all"));
      for (TestClient client : List.of(ann, ben, cid)) {
        JsonObject note = (JsonObject) client.receiveJson();
        assertEquals("news", note.getString("method"));
      }
    }
  }

  @Test
  void isOnlineIsClusterWide() throws Exception {
    try (TestClient zoe = loggedIn(portA, "online-zoe")) {
      assertTrue(await(Clients.create(b).isOnline("online-zoe")));
      assertTrue(await(Clients.create(c).isOnline("online-zoe")));
    }
    // A request that reaches A between the connection's close there and the removal of its
    // registration from the cluster gets no answer: probe with a short timeout until it is gone.
    Clients shortC = Clients.create(c, Addresses.DEFAULT, 500);
    Poll.eventually(c, "online-zoe offline on C", () -> shortC.isOnline("online-zoe").map(online -> !online).otherwise(false));
    assertFalse(await(Clients.create(b).isOnline("nobody-anywhere")));
  }

  @Test
  void aLoginOnBReplacesTheConnectionOnA() throws Exception {
    try (TestClient first = loggedIn(portA, "twice"); TestClient second = loggedIn(portB, "twice")) {
      JsonObject note = (JsonObject) first.receiveJson();
      assertEquals("rpc.replaced", note.getString("method"));
      assertTrue(first.closedByServer());

      Future<Object> answer = Clients.create(c).call("twice", "who", null);
      Rpc.reply(second, (JsonObject) second.receiveJson(), "second");
      assertEquals("second", await(answer));
    }
  }

  @Test
  void simultaneousLoginsOnTwoNodesLeaveExactlyOneConnection() throws Exception {
    Clients fromC = Clients.create(c);
    for (int round = 0; round < 10; round++) {
      String uid = "race-" + round;
      try (TestClient onA = new TestClient(portA, Framing.LINE); TestClient onB = new TestClient(portB, Framing.LINE)) {
        String request = Rpc.request("login", "rpc.login", new JsonObject().put("uid", uid));
        onA.send(request);
        onB.send(request);
        for (TestClient client : List.of(onA, onB)) {
          JsonObject answer = (JsonObject) client.receiveJson();
          assertEquals(uid, answer.getJsonObject("result").getString("uid"), answer::encode);
        }
        // Exactly one of them is told it was replaced and closed.
        List<TestClient> replaced = new ArrayList<>();
        Poll.until(c, WAIT_MS, () -> {
          for (TestClient client : List.of(onA, onB)) {
            if (!replaced.contains(client) && !client.silentFor(20)) {
              JsonObject note = (JsonObject) client.receiveJson();
              assertEquals("rpc.replaced", note.getString("method"), note::encode);
              assertTrue(client.closedByServer());
              replaced.add(client);
            }
          }
          return !replaced.isEmpty();
        });
        assertEquals(1, replaced.size(), "round " + round);
        TestClient survivor = replaced.get(0) == onA ? onB : onA;
        for (int i = 0; i < 3; i++) {
          Future<Object> answer = fromC.call(uid, "who", null);
          Rpc.reply(survivor, (JsonObject) survivor.receiveJson(), i);
          assertEquals(i, await(answer));
        }
      }
    }
  }

  @Test
  void handlerNamesAreClusterWide() throws Exception {
    String onB = b.deployVerticle(ClashA.class.getName(), new DeploymentOptions().setConfig(new JsonObject().put("node", "B"))).await();
    Future<String> intruder = c.deployVerticle(ClashB.class.getName(), new DeploymentOptions());
    try {
      intruder.await();
    } catch (RuntimeException expected) {
      // checked below
    }
    assertTrue(intruder.failed(), "another class on another node must not take 'clash.who'");
    String message = intruder.cause().getMessage();
    assertTrue(message.contains("method 'clash.who' is already served by " + ClashA.class.getName()), message);

    // The same class on C shares the name; a client on A reaches both.
    String onC = c.deployVerticle(ClashA.class.getName(), new DeploymentOptions().setConfig(new JsonObject().put("node", "C"))).await();
    try (TestClient client = new TestClient(portA, Framing.LINE)) {
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 40 && answered.size() < 2; i++) {
        answered.add(Rpc.call(client, i, "clash.who", null).getString("result"));
      }
      assertEquals(Set.of("B", "C"), answered);
    }

    // Once no node serves it, the name is free for another class.
    b.undeploy(onB).await();
    c.undeploy(onC).await();
    c.deployVerticle(ClashB.class.getName(), new DeploymentOptions()).await();
    try (TestClient client = new TestClient(portA, Framing.LINE)) {
      assertEquals("intruder", Rpc.call(client, 1, "clash.who", null).getString("result"));
    }
  }
}
