package io.busrpc.client;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.bus.Addresses;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.testing.ChaosTraffic;
import io.busrpc.testing.CuttableProxy;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client resumes by itself (PROTOCOL §8): its connection, through a proxy the test cuts at
 * random moments, drops while numbered room messages and server→client calls flow to it and while
 * it calls the server; the application must see every message once and in order and every call
 * answered once. The seed of each run is in the failure messages.
 */
@ExtendWith(VertxExtension.class)
class ClientResumeTest {

  static final int MESSAGES = 3_000;
  static final int SERVER_CALLS = 300;
  static final int CLIENT_CALLS = 300;
  static final int IN_FLIGHT = 8;

  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    Collections.reverse(cleanup);
    cleanup.forEach(Runnable::run);
  }

  private BusRpcClient resumingClient(Vertx vertx, int port) {
    BusRpcClient client = BusRpcClient.create(vertx, new ClientOptions().setPort(port).setResume(true)
      .setReconnectInitialDelay(5).setReconnectMaxDelay(50));
    cleanup.add(() -> client.close().await());
    return client;
  }

  @Test
  void theApplicationSeesNoGapAndNoDuplicateAcrossRandomCuts(Vertx vertx) {
    BusRpcOptions options = TestNode.demoOptions();
    // The client falls behind on a loaded machine: the server's calls wait for it meanwhile.
    options.getGateway().setMaxPendingClientCalls(SERVER_CALLS);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    CuttableProxy proxy = CuttableProxy.start(vertx, node.gateway().actualPort());
    cleanup.add(proxy::close);
    Map<Integer, Integer> handled = ChaosTraffic.serveNotes(vertx);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String run = "seed " + seed;

    List<Integer> chats = new CopyOnWriteArrayList<>();
    List<Integer> asks = new CopyOnWriteArrayList<>();
    List<String> wrong = new CopyOnWriteArrayList<>();
    List<String> lost = new CopyOnWriteArrayList<>();
    BusRpcClient client = resumingClient(vertx, proxy.port());
    client.register("chat", params -> {
      int n = ((JsonObject) params).getInteger("n");
      if (n != chats.size()) {
        wrong.add("room message " + n + " after " + chats.size() + " messages");
      }
      chats.add(n);
      return null;
    });
    client.register("echo", params -> {
      int c = ((JsonObject) params).getInteger("c");
      if (c != asks.size()) {
        wrong.add("server call " + c + " after " + asks.size() + " calls");
      }
      asks.add(c);
      return new JsonObject().put("c", c);
    });
    client.sessionLostHandler(e -> lost.add(e.code() + " " + e.getMessage() + " " + e.data()));
    await(client.connect());
    JsonObject login = await(client.login(new JsonObject().put("uid", "rita")));
    assertNotNull(login.getJsonObject("resume"), "the gateway grants resume: " + login);
    Clients clients = Clients.create(vertx);
    await(clients.join("rita", "rita-room"));

    // The server side: numbered room messages, and a numbered call every tenth message.
    Future<Object>[] serverCalls = ChaosTraffic.publish(vertx, clients, "rita-room", "rita", MESSAGES, SERVER_CALLS);

    // The client side: its calls, IN_FLIGHT at a time, each answered with its own number.
    int[] answers = new int[CLIENT_CALLS];
    AtomicInteger nextCall = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    for (int lane = 0; lane < IN_FLIGHT; lane++) {
      callNext(client, nextCall, answers, answered, wrong);
    }

    // The cuts, at random moments until everything has arrived.
    AtomicInteger cuts = new AtomicInteger();
    scheduleCut(vertx, proxy, random, cuts, () -> chats.size() >= MESSAGES && asks.size() >= SERVER_CALLS
      && answered.get() >= CLIENT_CALLS);

    boolean done = Poll.until(vertx, 120_000, () -> !wrong.isEmpty() || !lost.isEmpty()
      || chats.size() >= MESSAGES && asks.size() >= SERVER_CALLS && answered.get() >= CLIENT_CALLS);
    assertEquals(List.of(), wrong, run);
    assertEquals(List.of(), lost, run + ": sessions lost");
    assertTrue(done, run + ": stuck with " + chats.size() + " messages, " + asks.size() + " server calls, "
      + answered.get() + " answers, after " + cuts.get() + " cuts");
    assertTrue(cuts.get() >= 10, run + ": only " + cuts.get() + " cuts");
    System.out.printf("FIGURE client resume chaos (%s): %d cuts, %d room messages, %d server calls, %d client calls%n",
      run, cuts.get(), MESSAGES, SERVER_CALLS, CLIENT_CALLS);
    for (int c = 0; c < SERVER_CALLS; c++) {
      assertEquals(new JsonObject().put("c", c), await(serverCalls[c]), run + ": server call " + c);
    }
    assertTrue(Poll.until(vertx, 10_000, () -> handled.size() == CLIENT_CALLS), run + ": calls handled " + handled.size());
    handled.forEach((n, times) -> assertEquals(1, times, run + ": call " + n + " handled " + times + " times"));
    // A message resent twice would come within a second of the others on loopback.
    assertFalse(Poll.until(vertx, 1_000, () -> chats.size() > MESSAGES || asks.size() > SERVER_CALLS),
      run + ": a message arrived twice");
    assertEquals(List.of(), wrong, run);
  }

  private static void callNext(BusRpcClient client, AtomicInteger nextCall, int[] answers, AtomicInteger answered,
                               List<String> wrong) {
    int n = nextCall.getAndIncrement();
    if (n >= CLIENT_CALLS) {
      return;
    }
    client.call("chaos.note", new JsonObject().put("n", n)).onComplete(ar -> {
      if (ar.failed()) {
        wrong.add("call " + n + " failed: " + ar.cause());
      } else if (((Number) ar.result()).intValue() != n) {
        wrong.add("call " + n + " answered " + ar.result());
      } else if (++answers[n] != 1) {
        wrong.add("call " + n + " answered twice");
      }
      answered.incrementAndGet();
      callNext(client, nextCall, answers, answered, wrong);
    });
  }

  private static void scheduleCut(Vertx vertx, CuttableProxy proxy, Random random, AtomicInteger cuts,
                                  java.util.function.BooleanSupplier finished) {
    vertx.setTimer(50 + random.nextInt(250), t -> {
      if (finished.getAsBoolean()) {
        return;
      }
      proxy.cut();
      cuts.incrementAndGet();
      scheduleCut(vertx, proxy, random, cuts, finished);
    });
  }

  /** A resuming client through {@code proxy}, logged in as {@code uid}, that adds each lost session to {@code lost}. */
  private BusRpcClient loggedInResumingClient(Vertx vertx, CuttableProxy proxy, String uid, List<RpcException> lost) {
    BusRpcClient client = resumingClient(vertx, proxy.port());
    client.sessionLostHandler(lost::add);
    client.register("ping.me", params -> new JsonObject().put("got", ((JsonObject) params).getInteger("n")));
    await(client.connect());
    await(client.login(new JsonObject().put("uid", uid)));
    return client;
  }

  /** Past the window the gateway has forgotten the session: the client says so and logs in afresh. */
  @Test
  void afterTheWindowTheClientLogsInAfreshAndSaysSo(Vertx vertx) {
    int gateway = TestNode.startDemo(vertx, g -> g.setResumeWindow(300));
    neverAnswered(vertx);
    CuttableProxy proxy = CuttableProxy.start(vertx, gateway);
    cleanup.add(proxy::close);
    List<RpcException> lost = new CopyOnWriteArrayList<>();
    BusRpcClient client = loggedInResumingClient(vertx, proxy, "sam", lost);
    Future<Object> waiting = client.call("never", null);
    proxy.refuse(true);
    proxy.cut();
    // The network stays down longer than the window.
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(waiting).code(), "a call whose answer cannot come fails");
    assertTrue(Poll.until(vertx, 10_000, () -> !lost.isEmpty()), "the application is told");
    proxy.refuse(false);
    assertLoggedInAfresh(vertx, client, "sam");
  }

  /**
   * A session the gateway ended while the client was away (here, a newer login) gets -32010: fresh
   * login. The call that waited fails (-32003), and is not sent again on the fresh login: it reached
   * the server once, and a client cannot know whether such a call ran.
   */
  @Test
  void aResumeRefusedWithSessionExpiredEndsInAFreshLogin(Vertx vertx) {
    int gateway = TestNode.startDemo(vertx, g -> { });
    AtomicInteger received = neverAnswered(vertx);
    CuttableProxy proxy = CuttableProxy.start(vertx, gateway);
    cleanup.add(proxy::close);
    List<RpcException> lost = new CopyOnWriteArrayList<>();
    BusRpcClient client = loggedInResumingClient(vertx, proxy, "tom", lost);
    Future<Object> waiting = client.call("never", null);
    assertTrue(Poll.until(vertx, 10_000, () -> received.get() == 1), "the call reached the server");
    proxy.refuse(true);
    proxy.cut();
    BusRpcClient other = BusRpcClient.create(vertx, new ClientOptions().setPort(gateway));
    cleanup.add(() -> other.close().await());
    await(other.connect());
    await(other.login(new JsonObject().put("uid", "tom")));
    proxy.refuse(false);
    RpcException failure = awaitFailure(waiting);
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), failure.code(), "a call whose answer cannot come fails");
    assertTrue(failure.getMessage().contains("the session was lost"), failure.getMessage());
    assertTrue(Poll.until(vertx, 10_000, () -> !lost.isEmpty()), "the application is told");
    assertEquals(ErrorCode.SESSION_EXPIRED.code(), lost.get(0).code(), "the gateway's reason");
    assertLoggedInAfresh(vertx, client, "tom");
    // Sent again, it would come right behind the fresh login: one second is plenty on loopback.
    assertFalse(Poll.until(vertx, 1_000, () -> received.get() > 1), "the call was sent again after the fresh login");
  }

  /** @return how many calls of {@code never} (a method that never answers) the server received */
  private static AtomicInteger neverAnswered(Vertx vertx) {
    AtomicInteger received = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.DEFAULT.method("never"), msg -> {
      received.incrementAndGet(); // and never replies
    }).completion().await();
    return received;
  }

  private static void assertLoggedInAfresh(Vertx vertx, BusRpcClient client, String uid) {
    Clients clients = Clients.create(vertx);
    Poll.eventually(vertx, "the server reaches the client's fresh login", () -> clients.call(uid, "ping.me", Map.of("n", 1))
      .transform(ar -> Future.succeededFuture(ar.succeeded() && new JsonObject().put("got", 1).equals(ar.result()))));
    assertTrue(client.isConnected());
  }
}
