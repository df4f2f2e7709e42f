package io.busrpc.gateway;

import io.busrpc.bus.Addresses;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Heap;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection's logins run one after another and it holds at most one uid (DESIGN §4): pipelined
 * logins leave no second listener behind, a closed connection leaves nothing behind, and
 * login/logout loops leave neither listeners, holder entries nor heap behind.
 */
@ExtendWith(VertxExtension.class)
class LoginSerialisationTest {

  Vertx vertx;
  int port;
  Clients clients;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
    clients = Clients.create(vertx);
  }

  private static byte[] lines(String... requests) {
    return (String.join("\n", requests) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String login(Object id, String uid) {
    return Rpc.request(id, "rpc.login", new JsonObject().put("uid", uid));
  }

  private AsyncMap<String, String> holders() {
    return await(vertx.sharedData().getAsyncMap(Addresses.DEFAULT.internal("holders")));
  }

  /** Every call to the uid reaches {@code client}, which answers it. */
  private void assertReceivesEveryCall(TestClient client, String uid, int calls) throws Exception {
    for (int i = 0; i < calls; i++) {
      Future<Object> answer = clients.call(uid, "who", null);
      JsonObject request = (JsonObject) client.receiveJson();
      assertEquals("who", request.getString("method"), request::encode);
      Rpc.reply(client, request, i);
      assertEquals(i, await(answer));
    }
  }

  @Test
  void pipelinedLoginsLeaveOneUidAndNothingBehindOnceClosed() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      client.sendRaw(lines(login(1, "first"), login(2, "second"))); // one packet
      assertEquals("first", ((JsonObject) client.receiveJson()).getJsonObject("result").getString("uid"));
      assertEquals("second", ((JsonObject) client.receiveJson()).getJsonObject("result").getString("uid"));

      // A listener left at "first" would answer isOnline, and take calls it never answers.
      assertFalse(await(clients.isOnline("first")), "the connection still listens as first");
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.call("first", "who", null)).code());
      assertReceivesEveryCall(client, "second", 3);
    }
    // Closed: both uids are offline at once (no call waits for a timeout), and no entry is left.
    Poll.eventually(vertx, "second offline after the close", () -> clients.isOnline("second").map(online -> !online));
    for (String uid : List.of("first", "second")) {
      long t0 = System.nanoTime();
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.call(uid, "who", null)).code());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 1_000, "a call to " + uid + " took " + ms + " ms to fail");
    }
    assertEquals(0, await(holders().size()), "holder entries left");

    // A new login of either uid gets every call.
    try (TestClient again = new TestClient(port, Framing.LINE)) {
      Rpc.login(again, "first");
      assertReceivesEveryCall(again, "first", 20);
    }
  }

  /**
   * The first of two pipelined logins takes its authenticator 300 ms, the second none: the second
   * still runs after the first, so the connection ends holding the uid it asked for last.
   */
  @Test
  void aSecondLoginWaitsForTheFirst() throws Exception {
    vertx.eventBus().<JsonObject>consumer("flow.auth", message -> {
      String uid = message.body().getJsonObject("params").getString("uid");
      long delay = uid.startsWith("slow") ? 300 : 1;
      vertx.setTimer(delay, t -> message.reply(new JsonObject().put("uid", uid)));
    }).completion().await();
    int busPort = TestNode.startDemo(vertx, options -> options.setAuth(
      new AuthOptions().setType(AuthOptions.Type.BUS).setAddress("flow.auth")));
    try (TestClient client = new TestClient(busPort, Framing.LINE)) {
      client.sendRaw(lines(login(1, "slow-one"), login(2, "fast-one")));
      JsonObject first = (JsonObject) client.receiveJson();
      JsonObject second = (JsonObject) client.receiveJson();
      assertEquals(1, first.getInteger("id"), "answered out of turn: " + first.encode());
      assertEquals("fast-one", second.getJsonObject("result").getString("uid"), second::encode);
      assertFalse(await(clients.isOnline("slow-one")), "the connection still listens as slow-one");
      assertReceivesEveryCall(client, "fast-one", 3);
    }
  }

  @Test
  void aLoginPipelinedBehindALogoutAndALoginOfTheSameUidEndsHoldingIt() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      client.sendRaw(lines(login(1, "same"), Rpc.request(2, "rpc.logout", null), login(3, "same"), login(4, "same")));
      for (int id = 1; id <= 4; id++) {
        JsonObject answer = (JsonObject) client.receiveJson();
        assertEquals(id, answer.getInteger("id"), answer::encode);
        assertTrue(answer.containsKey("result"), answer::encode);
      }
      // Had a login replaced the connection itself, rpc.replaced would have come before the last
      // answer; 200 ms covers a loopback hop for one that came just after.
      assertTrue(client.silentFor(200), "the connection must not replace itself");
      assertReceivesEveryCall(client, "same", 3);
      assertEquals(1, await(holders().size()));
    }
  }

  @Test
  void loginLogoutLoopsLeaveNoListenerNoEntryAndNoHeap() throws Exception {
    int cycles = 2_000;
    try (TestClient client = new TestClient(port, Framing.LENGTH)) {
      loop(client, "warm", 200);
      long before = Heap.usedAfterGc();
      loop(client, "loop", cycles);
      long after = Heap.usedAfterGc();
      System.out.printf("FIGURE login/logout loop on one node: %d cycles, used heap before %s, after %s, growth %s%n",
        cycles, Heap.mib(before), Heap.mib(after), Heap.mib(after - before));
      assertTrue(after - before < 16L * 1024 * 1024, "heap grew by " + Heap.mib(after - before));
    }
    assertEquals(0, await(holders().size()), "holder entries left");
    List<Future<Boolean>> online = new ArrayList<>();
    for (int i = 0; i < cycles; i++) {
      online.add(clients.isOnline("loop-" + i));
    }
    await(Future.all(online));
    assertTrue(online.stream().noneMatch(Future::result), "a uid of the loop still has a listener");
  }

  /** Logs in and out {@code cycles} times, each pair pipelined in one packet, a uid per cycle. */
  private static void loop(TestClient client, String prefix, int cycles) throws Exception {
    for (int i = 0; i < cycles; i++) {
      byte[] login = client.framing().encode(io.vertx.core.buffer.Buffer.buffer(login(i, prefix + "-" + i))).getBytes();
      byte[] logout = client.framing().encode(io.vertx.core.buffer.Buffer.buffer(Rpc.request("out", "rpc.logout", null))).getBytes();
      byte[] both = new byte[login.length + logout.length];
      System.arraycopy(login, 0, both, 0, login.length);
      System.arraycopy(logout, 0, both, login.length, logout.length);
      client.sendRaw(both);
      JsonObject loggedIn = (JsonObject) client.receiveJson();
      assertEquals(prefix + "-" + i, loggedIn.getJsonObject("result").getString("uid"), loggedIn::encode);
      assertEquals(true, ((JsonObject) client.receiveJson()).getBoolean("result"));
    }
  }
}
