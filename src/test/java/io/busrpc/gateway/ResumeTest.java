package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.bus.Addresses;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Caller;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Heap;
import io.busrpc.testing.Poll;
import io.busrpc.testing.ResumeClient;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.busrpc.web.WebOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.ResumeClient.tcp;
import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.Rpc.errorCode;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session resume on one node (DESIGN §11), against real gateways on loopback with a resume-aware
 * raw client ({@link ResumeClient}). The nodes run two gateway instances, so a resume may land on
 * the other event loop than its session's. Each test uses uids of its own.
 *
 * <p>{@code port}: resume on with the defaults, and a WebSocket listener at {@code webPort}.
 * {@code shortPort}: a 500 ms window. {@code offPort}: resume off. {@code smallPort}: a 64 KiB buffer.
 * {@code fewCallsPort}: at most 2 server calls waiting for a client.
 */
@ExtendWith(VertxExtension.class)
class ResumeTest {

  static final int SMALL_BUFFER = 64 * 1024;
  static Vertx vertx;
  static int port;
  static int webPort;
  static int shortPort;
  static int offPort;
  static int smallPort;
  static int fewCallsPort;
  static int authPort;
  static Clients clients;
  static final CompletableFuture<JsonObject> seenByAuthenticator = new CompletableFuture<>();

  @BeforeAll
  static void start(Vertx vertx) {
    ResumeTest.vertx = vertx;
    BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(0));
    options.getGateway().setInstances(2);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    port = node.gateway().actualPort();
    webPort = node.webListener().actualPort();
    shortPort = TestNode.startDemo(vertx, g -> g.setInstances(2).setResumeWindow(500));
    offPort = TestNode.startDemo(vertx, g -> g.setResumeWindow(0));
    smallPort = TestNode.startDemo(vertx, g -> g.setInstances(2).setResumeBufferBytes(SMALL_BUFFER));
    fewCallsPort = TestNode.startDemo(vertx, g -> g.setMaxPendingClientCalls(2));
    vertx.eventBus().<JsonObject>consumer("test.resume.auth", message -> {
      JsonObject params = message.body().getJsonObject("params");
      seenByAuthenticator.complete(params);
      message.reply(new JsonObject().put("uid", params.getString("uid")));
    }).completion().await();
    // What a handler sees of its caller's address.
    vertx.eventBus().consumer(Addresses.DEFAULT.method("caller.address"),
      message -> message.reply(Caller.fromHeaders(message.headers()).remoteAddress())).completion().await();
    authPort = TestNode.startDemo(vertx, g -> g.setAuth(new AuthOptions().setType(AuthOptions.Type.BUS).setAddress("test.resume.auth")));
    clients = Clients.create(vertx);
  }

  private static String subtract(Object id, int a, int b) {
    return Rpc.request(id, "subtract", List.of(a, b));
  }

  /** @return true once the gateway closed the connection (reading what comes, acknowledging nothing), false after 10 s */
  private static boolean closedByGateway(ResumeClient.Wire wire) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        wire.poll(100);
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void awaitOffline(String uid) {
    Poll.eventually(vertx, uid + " offline", () -> clients.isOnline(uid).map(online -> !online));
  }

  @Test
  void aTokenComesOnlyWhenAskedForAndResumeIsOn() throws Exception {
    try (TestClient plain = new TestClient(port, Framing.LINE)) {
      assertFalse(Rpc.login(plain, "token-plain").containsKey("resume"));
    }
    try (ResumeClient client = ResumeClient.login(tcp(port), "token-asked")) {
      JsonObject resume = client.loginResult().getJsonObject("resume");
      assertEquals(GatewayOptions.DEFAULT_RESUME_WINDOW, resume.getLong("window"));
      // <connection id>.<gateway instance id>.<128 random bits, base64url>
      assertTrue(resume.getString("token").matches("[^.]+\\.[^.]+\\.[A-Za-z0-9_-]{22}"), resume.getString("token"));
    }
    try (TestClient off = new TestClient(offPort, Framing.LINE)) {
      JsonObject answer = Rpc.call(off, "login", "rpc.login", new JsonObject().put("uid", "token-off").put("resume", true));
      assertFalse(answer.getJsonObject("result").containsKey("resume"), answer.encode());
    }
  }

  @Test
  void theAuthenticatorDoesNotSeeTheResumeParam() throws Exception {
    try (ResumeClient ignored = ResumeClient.login(tcp(authPort), "auth-resume")) {
      assertEquals(new JsonObject().put("uid", "auth-resume"), seenByAuthenticator.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPlainClientNeverSeesAnAck() throws Exception {
    try (TestClient plain = new TestClient(port, Framing.LINE)) {
      Rpc.login(plain, "plain-no-ack");
      assertEquals(19, Rpc.call(plain, 1, "subtract", List.of(42, 23)).getInteger("result"));
      // Acks go out 200 ms after a counted message: 1.5 s would see one.
      assertTrue(plain.silentFor(1_500));
    }
  }

  @Test
  void bothSidesAcknowledgeAndAnAcknowledgedMessageIsNotKept() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "ack-both")) {
      client.send(subtract(1, 5, 3));
      client.send(subtract(2, 9, 3));
      JsonObject first = (JsonObject) client.next();
      JsonObject second = (JsonObject) client.next();
      // Calls in flight are answered as they finish, in either order.
      assertEquals(Map.of(1, 2, 2, 6), Map.of(first.getInteger("id"), first.getInteger("result"),
        second.getInteger("id"), second.getInteger("result")));
      assertTrue(Poll.until(vertx, 5_000, () -> client.poll(10) == null && client.serverAcked() == 2),
        "the gateway acknowledged both calls");
      assertEquals(0, client.kept(), "the gateway's ack let the client drop its copies");
      client.ack();
      client.send(subtract(3, 1, 1)); // answered after the ack was read: the ack is applied
      assertEquals(0, ((JsonObject) client.next()).getInteger("result"));
      client.cut();
      // The gateway dropped its copies of answers 1 and 2: it cannot resend from 1.
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(client.token(), 1)));
    }
  }

  @Test
  void aResumeAfterACutDeliversExactlyWhatWasMissingInBothDirections() throws Exception {
    String uid = "cut-both";
    try (ResumeClient client = ResumeClient.login(tcp(port), uid)) {
      await(clients.join(uid, "cut-room"));
      clients.publish("cut-room", "chat", Map.of("n", 0));
      assertEquals(0, ((JsonObject) client.next()).getJsonObject("params").getInteger("n"));
      client.cut();
      for (int n = 1; n <= 5; n++) {
        clients.publish("cut-room", "chat", Map.of("n", n));
      }
      Future<Object> asked = clients.call(uid, "ask", Map.of("q", 1));
      client.sendLost(subtract("lost", 10, 3));
      assertTrue(await(clients.isOnline(uid)), "a session waiting for its client is online");

      JsonObject answer = client.resume(false);
      JsonObject result = answer.getJsonObject("result");
      assertEquals(uid, result.getString("uid"), answer.encode());
      assertEquals(0, result.getLong("seq"), "the gateway received nothing counted from the client");
      assertNotEquals(client.loginResult().getJsonObject("resume").getString("token"), result.getString("token"));

      List<Integer> chats = new ArrayList<>();
      JsonObject ask = null;
      JsonObject lost = null;
      while (chats.size() < 5 || ask == null || lost == null) {
        JsonObject message = (JsonObject) client.next();
        if ("chat".equals(message.getString("method"))) {
          chats.add(message.getJsonObject("params").getInteger("n"));
        } else if ("ask".equals(message.getString("method"))) {
          assertNull(ask, "one request, once");
          ask = message;
        } else {
          assertNull(lost, "one answer, once: " + message);
          assertEquals("lost", message.getString("id"));
          lost = message;
        }
      }
      assertEquals(List.of(1, 2, 3, 4, 5), chats);
      assertEquals(7, lost.getInteger("result"));
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "yes").put("id", ask.getValue("id")).encode());
      assertEquals("yes", await(asked));
      // Duplicates would come right behind: one second is plenty on loopback.
      assertNull(client.poll(1_000));
    }
  }

  @Test
  void aSessionStartedOnTcpResumesOnAWebSocket() throws Exception {
    String uid = "tcp-to-ws";
    try (ResumeClient client = ResumeClient.login(tcp(port), uid)) {
      client.cut();
      Future<Object> asked = clients.call(uid, "ask", null);
      client.connectWith(ResumeClient.ws(vertx, webPort));
      assertEquals(uid, client.resume(false).getJsonObject("result").getString("uid"));
      JsonObject request = (JsonObject) client.next();
      assertEquals("ask", request.getString("method"));
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", 42).put("id", request.getValue("id")).encode());
      assertEquals(42, await(asked));
      client.send(subtract(9, 8, 1));
      assertEquals(7, ((JsonObject) client.next()).getInteger("result"));
    }
  }

  @Test
  void afterTheWindowTheSessionEndsAndItsPendingCallsFailClientOffline() throws Exception {
    String uid = "expires";
    try (ResumeClient client = ResumeClient.login(tcp(shortPort), uid)) {
      Future<Object> asked = clients.call(uid, "ask", null);
      assertEquals("ask", ((JsonObject) client.next()).getString("method"));
      client.cut();
      // The call timeout is 30 s: a failure now comes from the window's end.
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(asked).code());
      awaitOffline(uid);
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(client.token(), client.received())));
    }
  }

  /**
   * Server calls made while the client is away wait in the session with their own timeouts running:
   * they fail with -32000 when those run out, well inside the window, and give their places among
   * {@code maxPendingClientCalls} back, so a client away for long does not lock server code out. The
   * client still gets the calls when it resumes (the gateway cannot take back what it counted); its
   * late answers go nowhere, and the session goes on.
   */
  @Test
  void serverCallsWaitingForAnAwayClientKeepTheirTimeouts() throws Exception {
    String uid = "away-calls-time-out";
    Clients impatient = Clients.create(vertx, Addresses.DEFAULT, 300);
    try (ResumeClient client = ResumeClient.login(tcp(fewCallsPort), uid)) {
      client.cut();
      List<Future<Object>> asked = List.of(impatient.call(uid, "ask", null), impatient.call(uid, "ask", null));
      for (Future<Object> call : asked) {
        // The window is 30 s: a failure now comes from the call's own timeout.
        assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(call).code());
      }
      // Both places are free again once the gateway has timed the calls out too (its sweep runs every 100 ms or so).
      int third = ErrorCode.TOO_MANY_PENDING_CALLS.code();
      for (long deadline = System.nanoTime() + 5_000_000_000L; third == ErrorCode.TOO_MANY_PENDING_CALLS.code()
        && System.nanoTime() < deadline; ) {
        third = awaitFailure(impatient.call(uid, "ask", null)).code();
      }
      assertEquals(ErrorCode.TIMEOUT.code(), third, "a third call found a place");
      assertTrue(client.resume(false).containsKey("result"));
      for (int n = 0; n < 3; n++) {
        JsonObject late = (JsonObject) client.next();
        assertEquals("ask", late.getString("method"));
        client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "too late").put("id", late.getValue("id")).encode());
      }
      Future<Object> next = clients.call(uid, "ask", null);
      JsonObject call = (JsonObject) client.next();
      client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "in time").put("id", call.getValue("id")).encode());
      assertEquals("in time", await(next));
    }
  }

  @Test
  void aTokenIsGoodForOneResumeOnceTheClientHasItsSuccessor() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "single-use")) {
      String first = client.token();
      client.cut();
      // An answer lost on the way: the client never saw the new token, the one it used still works.
      JsonObject lost = client.tryResume(first, client.received());
      assertTrue(lost.containsKey("result"), lost::encode);
      JsonObject again = client.resume(false);
      assertTrue(again.containsKey("result"), again::encode);
      String second = client.token();
      assertNotEquals(first, second);
      client.send(subtract(1, 3, 2)); // the client has the new token: the old one is dead
      assertEquals(1, ((JsonObject) client.next()).getInteger("result"));
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(first, client.received())));
      // ...and that failed attempt did nothing to the session
      client.send(subtract(2, 5, 2));
      assertEquals(3, ((JsonObject) client.next()).getInteger("result"));
      client.cut();
      assertTrue(client.resume(false).containsKey("result"));
      client.send(subtract(3, 7, 2));
      assertEquals(5, ((JsonObject) client.next()).getInteger("result"));
    }
  }

  /**
   * A client gives up on a connection whose {@code rpc.resume} the gateway reads only after the
   * client resumed on another one: that late attempt takes the session over (the gateway cannot
   * tell it from a retry whose answer was lost), and the token the client got last still works.
   */
  @Test
  void aLateResumeFromAnOlderConnectionDoesNotLockTheClientOut() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "late-resume");
         ResumeClient.Wire older = tcp(port).open()) {
      String first = client.token();
      client.cut();
      assertTrue(client.resume(false).containsKey("result"));
      older.send(Rpc.request("resume", "rpc.resume", new JsonObject().put("token", first).put("seq", client.received())));
      String late = older.poll(WAIT_MS);
      assertTrue(late != null && new JsonObject(late).containsKey("result"), "the late attempt: " + late);
      assertTrue(closedByGateway(client.wire()), "the late attempt took the session over");
      JsonObject again = client.resume(false);
      assertTrue(again.containsKey("result"), "the client's newest token still works: " + again.encode());
      client.send(subtract(1, 3, 2));
      assertEquals(1, ((JsonObject) client.next()).getInteger("result"));
      // The client has confirmed its newest token: the others are dead.
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(first, client.received())));
    }
  }

  /** A handler sees the address of the connection its caller resumed on, not the one before. */
  @Test
  void aResumedCallerComesFromItsNewConnection() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "moved-caller")) {
      client.send(Rpc.request(1, "caller.address", null));
      assertEquals(client.wire().localAddress(), ((JsonObject) client.next()).getString("result"));
      client.cut();
      assertTrue(client.resume(false).containsKey("result"));
      client.send(Rpc.request(2, "caller.address", null));
      assertEquals(client.wire().localAddress(), ((JsonObject) client.next()).getString("result"));
    }
  }

  @Test
  void unknownTokensAreRefusedAndHarmNothing() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "unknown-tokens")) {
      String token = client.token();
      String connection = token.substring(0, token.lastIndexOf('.'));
      for (String bad : List.of("nonsense", connection + ".AAAAAAAAAAAAAAAAAAAAAA", "x.y", ".", token + "x")) {
        assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(bad, 0)), bad);
      }
      assertEquals(ErrorCode.INVALID_PARAMS.code(), errorCode(client.tryResume(null, 0)));
      client.send(subtract(1, 3, 2));
      assertEquals(1, ((JsonObject) client.next()).getInteger("result"));
    }
  }

  @Test
  void aSeqThatCannotBeHonouredEndsTheSession() throws Exception {
    String uid = "bad-seq";
    try (ResumeClient client = ResumeClient.login(tcp(port), uid)) {
      client.cut();
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(client.token(), client.received() + 3)));
      awaitOffline(uid);
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(client.token(), client.received())));
    }
  }

  @Test
  void rpcResumeIsOnlyAConnectionsFirstMessage() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      assertEquals(Rpc.PONG, client.call(Rpc.PING));
      JsonObject answer = Rpc.call(client, 1, "rpc.resume", new JsonObject().put("token", "x.y").put("seq", 0));
      assertEquals(ErrorCode.INVALID_REQUEST.code(), errorCode(answer));
    }
  }

  @Test
  void aResumeWhileTheOldConnectionIsHeldTakesItOver() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "half-open")) {
      ResumeClient.Wire old = client.wire();
      assertTrue(client.resume(true).containsKey("result"));
      assertTrue(closedByGateway(old));
      old.close();
      client.send(subtract(1, 3, 2));
      assertEquals(1, ((JsonObject) client.next()).getInteger("result"));
    }
  }

  @Test
  void aNewLoginOfTheUidReplacesTheWaitingSession() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "relogin")) {
      client.cut();
      try (TestClient again = new TestClient(port, Framing.LINE)) {
        Rpc.login(again, "relogin");
        assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(client.tryResume(client.token(), client.received())));
      }
    }
  }

  @Test
  void aClientThatDoesNotAcknowledgeIsClosedAtTheBufferBound() throws Exception {
    String uid = "no-acks";
    try (ResumeClient client = ResumeClient.login(tcp(smallPort), uid)) {
      await(clients.join(uid, "no-acks-room"));
      String text = "x".repeat(1_000);
      for (int n = 0; n < 100; n++) {
        clients.publish("no-acks-room", "chat", Map.of("n", n, "text", text));
      }
      awaitOffline(uid);
      assertTrue(closedByGateway(client.wire()));
    }
  }

  /**
   * Sessions waiting for their clients whose buffers overflow end, and their memory goes: 40 of
   * them, each sent 200 KiB more than its 64 KiB buffer holds, leave the heap as it was.
   */
  @Test
  void waitingSessionsWhoseBufferOverflowsEndAndLeaveTheHeapFlat() throws Exception {
    String room = "overflow-room";
    List<ResumeClient> waiting = new ArrayList<>();
    long before = Heap.usedAfterGc();
    for (int i = 0; i < 40; i++) {
      ResumeClient client = ResumeClient.login(tcp(smallPort), "overflow-" + i);
      await(clients.join("overflow-" + i, room));
      client.cut();
      waiting.add(client);
    }
    String text = "y".repeat(1_000);
    for (int n = 0; n < 260; n++) {
      clients.publish(room, "chat", Map.of("n", n, "text", text));
    }
    for (int i = 0; i < 40; i++) {
      awaitOffline("overflow-" + i);
    }
    long after = Heap.usedAfterGc();
    waiting.forEach(ResumeClient::close);
    System.out.printf("FIGURE 40 waiting sessions overflowing a %d-byte resume buffer: used heap before %s, after they ended %s%n",
      SMALL_BUFFER, Heap.mib(before), Heap.mib(after));
    // Kept, the copies alone would be 40 x 64 KiB = 2.5 MiB and the messages sent 40 x 260 KB.
    assertTrue(after - before < 3 * 1024 * 1024, "heap grew from " + Heap.mib(before) + " to " + Heap.mib(after));
    for (int i = 0; i < 40; i++) {
      assertEquals(ErrorCode.SESSION_EXPIRED.code(), errorCode(waiting.get(i).tryResume(waiting.get(i).token(), 0)));
    }
  }

  @Test
  void aBatchAndItsAnswerCountOneEachPingsAndAcksNotAtAll() throws Exception {
    try (ResumeClient client = ResumeClient.login(tcp(port), "batch-count")) {
      client.ping();
      client.send("[" + subtract(1, 3, 2) + "," + subtract(2, 4, 2) + "]");
      assertEquals(2, ((JsonArray) client.next()).size());
      assertEquals(1, client.pongs());
      client.ack();
      client.ping();
      client.sendLost(subtract(3, 9, 2));
      assertNull(client.poll(1_000)); // the pong, and nothing counted: the lost call never arrived
      assertEquals(2, client.pongs());
      client.cut();
      JsonObject result = client.resume(false).getJsonObject("result");
      assertEquals(1, result.getLong("seq"), "the batch was one message, pings and acks none");
      assertEquals(7, ((JsonObject) client.next()).getInteger("result"));
    }
  }
}
