package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.bus.Addresses;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.Rpc.PONG;
import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.Rpc.login;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server code calling logged-in clients (DESIGN §4) through {@link Clients} and the raw bus, against
 * {@link TestClient}s on real sockets. Each test uses uids of its own.
 *
 * <p>{@code port}: the demo node with at most 2 pending calls per client. {@code shortPort}: a node
 * whose gateway gives clients 300 ms to answer.
 */
@ExtendWith(VertxExtension.class)
class ClientCallsTest {


  static Vertx vertx;
  static int port;
  static int shortPort;
  static Clients clients;

  record Point(int x, int y) {
  }

  @BeforeAll
  static void start(Vertx vertx) {
    ClientCallsTest.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setMaxPendingClientCalls(2);
    port = TestNode.start(vertx, options);
    BusRpcOptions shortTimeout = TestNode.demoOptions();
    shortTimeout.getGateway().setCallTimeout(300);
    shortPort = TestNode.start(vertx, shortTimeout);
    clients = Clients.create(vertx);
  }

  private static TestClient loggedIn(String uid, Framing framing) throws Exception {
    TestClient client = new TestClient(port, framing);
    login(client, uid);
    return client;
  }

  private static TestClient loggedIn(String uid) throws Exception {
    return loggedIn(uid, Framing.LINE);
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void theClientSeesTheRequestAndItsResultComesBack(Framing framing) throws Exception {
    String uid = "calls-" + framing;
    try (TestClient bob = loggedIn(uid, framing)) {
      Future<Object> answer = clients.call(uid, "add", List.of(1, 2));
      JsonObject request = (JsonObject) bob.receiveJson();
      assertEquals("2.0", request.getString("jsonrpc"));
      assertEquals("add", request.getString("method"));
      assertEquals(new JsonArray().add(1).add(2), request.getJsonArray("params"));
      assertInstanceOf(Number.class, request.getValue("id"));
      Rpc.reply(bob, request, new JsonObject().put("sum", 3));
      assertEquals(new JsonObject().put("sum", 3), await(answer));

      Future<Object> named = clients.call(uid, "greet", Map.of("name", "Bob"));
      JsonObject second = (JsonObject) bob.receiveJson();
      assertEquals(new JsonObject().put("name", "Bob"), second.getJsonObject("params"));
      assertTrue(!second.getValue("id").equals(request.getValue("id")), "ids are not reused");
      Rpc.reply(bob, second, "hi");
      assertEquals("hi", await(named));

      Future<Object> noParams = clients.call(uid, "now", null);
      JsonObject third = (JsonObject) bob.receiveJson();
      assertFalse(third.containsKey("params"), third.encode());
      Rpc.reply(bob, third, null);
      assertNull(await(noParams));
    }
  }

  @Test
  void theClientsErrorArrivesWithCodeMessageAndDataUnchanged() throws Exception {
    try (TestClient bob = loggedIn("err-bob")) {
      Future<Object> answer = clients.call("err-bob", "trade", List.of("wood"));
      JsonObject request = (JsonObject) bob.receiveJson();
      JsonObject data = new JsonObject().put("why", new JsonArray().add(1).add("x").addNull()).put("ok", false);
      bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id"))
        .put("error", new JsonObject().put("code", 4001).put("message", "not enough wood").put("data", data)).encode());
      RpcException e = awaitFailure(answer);
      assertEquals(4001, e.code());
      assertEquals("not enough wood", e.getMessage());
      assertEquals(data, e.data());
    }
  }

  /**
   * A client cannot pass an answer off as the gateway's own: -32000 from a client is not "timed
   * out", -32003 not "offline". Codes in -32768..-32000 arrive as -32013 with the client's error as
   * data; codes just outside the range pass unchanged.
   */
  @Test
  void aClientsErrorWithAReservedCodeIsMappedAndKeptAsData() throws Exception {
    try (TestClient bob = loggedIn("reserved-bob")) {
      for (int code : new int[]{-32000, -32003, -32601, -32700, -32768, -32099}) {
        Future<Object> answer = clients.call("reserved-bob", "trade", List.of("wood"));
        JsonObject request = (JsonObject) bob.receiveJson();
        JsonObject error = new JsonObject().put("code", code).put("message", "pretending").put("data", List.of(1));
        bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id")).put("error", error).encode());
        RpcException e = awaitFailure(answer);
        assertEquals(ErrorCode.CLIENT_RESERVED_ERROR.code(), e.code(), "client sent " + code);
        assertEquals(ErrorCode.CLIENT_RESERVED_ERROR.message(), e.getMessage());
        assertEquals(error, e.data());
      }
      for (int code : new int[]{-31999, -32769, 0}) {
        Future<Object> answer = clients.call("reserved-bob", "trade", List.of("wood"));
        JsonObject request = (JsonObject) bob.receiveJson();
        bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id"))
          .put("error", new JsonObject().put("code", code).put("message", "mine")).encode());
        assertEquals(code, awaitFailure(answer).code());
      }
    }
  }

  @Test
  void typedCallBindsTheResult() throws Exception {
    try (TestClient bob = loggedIn("typed-bob")) {
      Future<Point> point = clients.call("typed-bob", "where", null, Point.class);
      Rpc.reply(bob, (JsonObject) bob.receiveJson(), new JsonObject().put("x", 1).put("y", 2));
      assertEquals(new Point(1, 2), await(point));

      Future<Integer> number = clients.call("typed-bob", "count", null, Integer.class);
      Rpc.reply(bob, (JsonObject) bob.receiveJson(), 7);
      assertEquals(7, await(number));

      Future<Point> wrong = clients.call("typed-bob", "where", null, Point.class);
      Rpc.reply(bob, (JsonObject) bob.receiveJson(), "not a point");
      assertEquals(ErrorCode.INVALID_PARAMS.code(), awaitFailure(wrong).code());
    }
  }

  @Test
  void anOfflineUidIsClientOffline() {
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.call("nobody-here", "m", null)).code());
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.join("nobody-here", "g")).code());
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.leave("nobody-here", "g")).code());
  }

  /** Outcomes known at once still arrive after the call returned: a callback that calls again cannot recurse. */
  @Test
  void futuresCompleteAfterTheCallReturnsEvenWhenTheOutcomeIsKnownAtOnce() throws Exception {
    java.util.concurrent.CompletableFuture<List<Boolean>> completeAtReturn = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> completeAtReturn.complete(List.of(
      clients.call("nobody-at-all", "m", null).isComplete(),
      clients.call("nobody-at-all", "", null).isComplete(),
      clients.call("nobody-at-all", "m", null, String.class).isComplete(),
      clients.isOnline("nobody-at-all").isComplete(),
      clients.join("nobody-at-all", "g").isComplete(),
      Clients.create(vertx, Addresses.DEFAULT, 500).call("nobody-at-all", "m", null).isComplete())));
    assertEquals(List.of(false, false, false, false, false, false), completeAtReturn.get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.call("nobody-at-all", "m", null)).code());
  }

  @Test
  void aDisconnectFailsThePendingCallAtOnceNotAtTheTimeout() throws Exception {
    Future<Object> answer;
    try (TestClient bob = loggedIn("gone-bob")) {
      answer = clients.call("gone-bob", "m", null);
      bob.receive();
    }
    long start = System.nanoTime();
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(answer).code());
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "took until the timeout instead of failing at once");
  }

  @Test
  void aResetFailsThePendingCallAtOnce() throws Exception {
    TestClient bob = loggedIn("reset-bob");
    Future<Object> answer = clients.call("reset-bob", "m", null);
    bob.receive();
    bob.abort();
    long start = System.nanoTime();
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(answer).code());
    assertTrue(System.nanoTime() - start < 1_000_000_000L);
  }

  @Test
  void aLogoutFailsThePendingCall() throws Exception {
    try (TestClient bob = loggedIn("logout-bob")) {
      Future<Object> answer = clients.call("logout-bob", "m", null);
      bob.receive();
      assertEquals(true, Rpc.call(bob, "out", "rpc.logout", null).getValue("result"));
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(answer).code());
      assertEquals(PONG, bob.call(PING));
    }
  }

  @Test
  void aClientThatDoesNotAnswerTimesOut() throws Exception {
    // The caller's own timeout...
    try (TestClient bob = loggedIn("slow-bob")) {
      Future<Object> answer = Clients.create(vertx, Addresses.DEFAULT, 300).call("slow-bob", "m", null);
      bob.receive();
      assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(answer).code());
    }
    // ...and the gateway's call timeout, with the caller willing to wait 30 s.
    try (TestClient bob = new TestClient(shortPort, Framing.LINE)) {
      login(bob, "slow-bob-2");
      Future<Object> answer = clients.call("slow-bob-2", "m", null);
      bob.receive();
      long start = System.nanoTime();
      assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(answer).code());
      assertTrue(System.nanoTime() - start < 5_000_000_000L);
      assertEquals(PONG, bob.call(PING));
    }
  }

  @Test
  void aThirdPendingCallIsRefusedWithTooManyPending() throws Exception {
    try (TestClient bob = loggedIn("busy-bob")) {
      Future<Object> first = clients.call("busy-bob", "m", List.of(1));
      Future<Object> second = clients.call("busy-bob", "m", List.of(2));
      JsonObject r1 = (JsonObject) bob.receiveJson();
      JsonObject r2 = (JsonObject) bob.receiveJson();
      assertEquals(ErrorCode.TOO_MANY_PENDING_CALLS.code(), awaitFailure(clients.call("busy-bob", "m", List.of(3))).code());
      Rpc.reply(bob, r2, "two");
      Rpc.reply(bob, r1, "one");
      assertEquals("one", await(first));
      assertEquals("two", await(second));
      // Room again once answered.
      Future<Object> fourth = clients.call("busy-bob", "m", List.of(4));
      Rpc.reply(bob, (JsonObject) bob.receiveJson(), "four");
      assertEquals("four", await(fourth));
    }
  }

  /** A call the caller gave up on (its own shorter timeout) no longer holds one of the client's pending slots. */
  @Test
  void callsTheCallerGaveUpOnDoNotBlockTheClient() throws Exception {
    Clients impatient = Clients.create(vertx, Addresses.DEFAULT, 300);
    try (TestClient bob = loggedIn("blocked-bob")) {
      Future<Object> first = impatient.call("blocked-bob", "m", List.of(1));
      Future<Object> second = impatient.call("blocked-bob", "m", List.of(2));
      bob.receive();
      bob.receive();
      assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(first).code());
      assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(second).code());
      // The gateway's own timers for the two calls fire at about the same moment as the caller's: a
      // call refused as too-many-pending right then is tried again, for up to 5 s (the slots would
      // stay taken for the gateway's 30 s call timeout without the caller's timeout).
      Future<Object> third = retryWhileTooManyPending(() -> clients.call("blocked-bob", "m", List.of(3)));
      Rpc.reply(bob, (JsonObject) bob.receiveJson(), "three");
      assertEquals("three", await(third));
    }
  }

  /** Calls until the client accepts the call (it is not refused at once with too-many-pending). */
  private static Future<Object> retryWhileTooManyPending(java.util.function.Supplier<Future<Object>> call) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      Future<Object> attempt = call.get();
      try {
        attempt.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        return attempt;
      } catch (java.util.concurrent.TimeoutException e) {
        return attempt; // accepted and waiting for the client
      } catch (RpcException e) {
        if (e.code() != ErrorCode.TOO_MANY_PENDING_CALLS.code() || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  @Test
  void notifyArrivesAsANotification() throws Exception {
    try (TestClient bob = loggedIn("notified-bob")) {
      clients.notify("notified-bob", "news", new JsonObject().put("headline", "hi"));
      JsonObject note = (JsonObject) bob.receiveJson();
      assertEquals("news", note.getString("method"));
      assertEquals(new JsonObject().put("headline", "hi"), note.getJsonObject("params"));
      assertFalse(note.containsKey("id"), note.encode());
      // Nothing is reported back for an offline uid, and nothing fails.
      clients.notify("nobody-here", "news", null);
    }
  }

  @Test
  void aSecondLoginReplacesTheFirstConnection() throws Exception {
    try (TestClient first = loggedIn("twice"); TestClient second = new TestClient(port, Framing.LENGTH)) {
      login(second, "twice");
      JsonObject note = (JsonObject) first.receiveJson();
      assertEquals("rpc.replaced", note.getString("method"));
      assertFalse(note.containsKey("id"));
      assertNotNull(note.getJsonObject("params").getString("reason"));
      assertTrue(first.closedByServer());

      Future<Object> answer = clients.call("twice", "who", null);
      Rpc.reply(second, (JsonObject) second.receiveJson(), "second");
      assertEquals("second", await(answer));
      assertTrue(await(clients.isOnline("twice")));
    }
  }

  @Test
  void groupsReachTheirMembersUntilTheyLeaveOrDisconnect() throws Exception {
    try (TestClient ann = loggedIn("group-ann"); TestClient ben = loggedIn("group-ben")) {
      await(clients.join("group-ann", "room"));
      await(clients.join("group-ben", "room"));
      clients.publish("room", "said", List.of("hello"));
      for (TestClient member : List.of(ann, ben)) {
        JsonObject note = (JsonObject) member.receiveJson();
        assertEquals("said", note.getString("method"));
        assertEquals(new JsonArray().add("hello"), note.getJsonArray("params"));
        assertFalse(note.containsKey("id"));
      }

      assertTrue(await(clients.leave("group-ben", "room")));
      assertFalse(await(clients.leave("group-ben", "room")), "not a member any more");
      clients.publish("room", "said", List.of("again"));
      assertEquals(new JsonArray().add("again"), ((JsonObject) ann.receiveJson()).getJsonArray("params"));
      // Ben got nothing: his next frame is the answer to his ping.
      assertEquals(PONG, ben.call(PING));
    }
    // Both connections are gone; a new connection of ann is not in the room.
    try (TestClient ann = loggedIn("group-ann"); TestClient ben = loggedIn("group-ben")) {
      await(clients.join("group-ben", "room"));
      clients.publish("room", "said", List.of("third"));
      assertEquals(new JsonArray().add("third"), ((JsonObject) ben.receiveJson()).getJsonArray("params"));
      assertEquals(PONG, ann.call(PING));
    }
  }

  @Test
  void broadcastReachesEveryLoggedInClientOnly() throws Exception {
    try (TestClient ann = loggedIn("bc-ann"); TestClient ben = new TestClient(shortPort, Framing.LSP);
         TestClient anonymous = new TestClient(port, Framing.LINE)) {
      login(ben, "bc-ben");
      assertEquals(PONG, anonymous.call(PING));
      clients.broadcast("announce", new JsonObject().put("text", "maintenance"));
      for (TestClient c : List.of(ann, ben)) {
        JsonObject note = (JsonObject) c.receiveJson();
        assertEquals("announce", note.getString("method"));
        assertEquals("maintenance", note.getJsonObject("params").getString("text"));
      }
      assertEquals(PONG, anonymous.call(PING));
    }
  }

  @Test
  void isOnlineFollowsLoginAndDisconnect() throws Exception {
    assertFalse(await(clients.isOnline("online-bob")));
    try (TestClient bob = loggedIn("online-bob")) {
      assertTrue(await(clients.isOnline("online-bob")));
      // isOnline sends nothing to the client.
      assertEquals(PONG, bob.call(PING));
    }
    Poll.eventually(vertx, "online-bob offline after disconnect", () -> clients.isOnline("online-bob").map(online -> !online));
  }

  @Test
  void aRawBusRequestToTheClientAddressWorks() throws Exception {
    try (TestClient bob = loggedIn("raw-bob")) {
      Future<Message<Object>> reply = vertx.eventBus().request(Addresses.DEFAULT.client("raw-bob"),
        new JsonObject().put("method", "m").put("params", new JsonArray().add(1)));
      JsonObject request = (JsonObject) bob.receiveJson();
      assertEquals("m", request.getString("method"));
      assertEquals(new JsonArray().add(1), request.getJsonArray("params"));
      Rpc.reply(bob, request, new JsonArray().add("ok"));
      assertEquals(new JsonArray().add("ok"), await(reply).body());

      // A raw send is a notification.
      vertx.eventBus().send(Addresses.DEFAULT.client("raw-bob"), new JsonObject().put("method", "n"));
      JsonObject note = (JsonObject) bob.receiveJson();
      assertEquals("n", note.getString("method"));
      assertFalse(note.containsKey("id"));

      // A body that is not a call is refused, and the client sees nothing.
      RpcException bad = awaitFailure(vertx.eventBus().request(Addresses.DEFAULT.client("raw-bob"), "hello"));
      assertEquals(ErrorCode.INVALID_REQUEST.code(), bad.code());
      assertEquals(PONG, bob.call(PING));
    }
  }
}
