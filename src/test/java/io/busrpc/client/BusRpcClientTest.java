package io.busrpc.client;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.bus.Addresses;
import io.busrpc.handler.Caller;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client library against real nodes. */
@ExtendWith(VertxExtension.class)
class BusRpcClientTest {

  record Pair(String first, int second) {
  }

  static Vertx vertx;
  static int port;
  static Clients clients;
  static final CompletableFuture<Object[]> notified = new CompletableFuture<>();
  private final List<BusRpcClient> opened = new ArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    BusRpcClientTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
    clients = Clients.create(vertx);
    vertx.eventBus().consumer(Addresses.DEFAULT.method("fails"), msg ->
      msg.reply(new RpcException(4321, "custom failure", new JsonObject().put("detail", new JsonArray().add(1).add("two")))))
      .completion().await();
    vertx.eventBus().consumer(Addresses.DEFAULT.method("pair"), msg ->
      msg.reply(new JsonObject().put("first", "a").put("second", 2))).completion().await();
    vertx.eventBus().consumer(Addresses.DEFAULT.method("note"), msg ->
      notified.complete(new Object[]{msg.body(), Caller.fromHeaders(msg.headers()).uid()})).completion().await();
    vertx.eventBus().consumer(Addresses.DEFAULT.method("never"), msg -> {
      // never replies
    }).completion().await();
  }

  @AfterEach
  void closeClients() {
    for (BusRpcClient client : opened) {
      client.close().await();
    }
  }

  private BusRpcClient client(ClientOptions options) {
    BusRpcClient client = BusRpcClient.create(vertx, options);
    opened.add(client);
    return client;
  }

  private BusRpcClient connected(Framing framing) {
    BusRpcClient client = client(new ClientOptions().setPort(port).setFraming(framing));
    await(client.connect());
    return client;
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void callInEveryFraming(Framing framing) {
    BusRpcClient client = connected(framing);
    assertTrue(client.isConnected());
    assertEquals(19L, ((Number) await(client.call("subtract", List.of(42, 23)))).longValue());
    assertEquals(19L, ((Number) await(client.call("subtract", Map.of("minuend", 42, "subtrahend", 23)))).longValue());
    assertEquals(new JsonArray().add("hello").add(5), await(client.call("get_data", null)));
    assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), awaitFailure(client.call("no.such.method", null)).code());
  }

  @Test
  void typedCall() {
    BusRpcClient client = connected(Framing.LENGTH);
    assertEquals(19, await(client.call("subtract", List.of(42, 23), Integer.class)));
    assertEquals(new Pair("a", 2), await(client.call("pair", null, Pair.class)));
    assertEquals(ErrorCode.INVALID_PARAMS.code(), awaitFailure(client.call("pair", null, Integer.class)).code());
  }

  @Test
  void errorKeepsCodeMessageAndData() {
    BusRpcClient client = connected(Framing.LINE);
    RpcException e = awaitFailure(client.call("fails", List.of()));
    assertEquals(4321, e.code());
    assertEquals("custom failure", e.getMessage());
    assertEquals(new JsonObject().put("detail", new JsonArray().add(1).add("two")), e.data());
  }

  @Test
  void notifyReachesTheHandler() throws Exception {
    BusRpcClient client = connected(Framing.LSP);
    await(client.login(new JsonObject().put("uid", "noter")));
    await(client.notify("note", List.of("x", 1)));
    Object[] got = notified.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(new JsonArray().add("x").add(1), got[0]);
    assertEquals("noter", got[1]);
  }

  @Test
  void aRegisteredHandlerAnswersTheServersCall() {
    BusRpcClient client = connected(Framing.LENGTH);
    client.register("confirm", params -> "yes to " + ((JsonArray) params).getString(0));
    client.register("refuse", params -> {
      throw new RpcException(1001, "no way", new JsonObject().put("because", "tired"));
    });
    client.register("later", params -> vertx.timer(1).map(t -> new JsonObject().put("async", true)));
    JsonObject login = await(client.login(new JsonObject().put("uid", "handler-uid")));
    assertEquals("handler-uid", login.getString("uid"));

    assertEquals("yes to trade", await(clients.call("handler-uid", "confirm", List.of("trade"))));
    RpcException refused = awaitFailure(clients.call("handler-uid", "refuse", null));
    assertEquals(1001, refused.code());
    assertEquals("no way", refused.getMessage());
    assertEquals(new JsonObject().put("because", "tired"), refused.data());
    assertEquals(new JsonObject().put("async", true), await(clients.call("handler-uid", "later", null)));
    // The client's -32601 is in the reserved range: server code gets -32013 with the client's error as data.
    RpcException unknown = awaitFailure(clients.call("handler-uid", "unknown", null));
    assertEquals(ErrorCode.CLIENT_RESERVED_ERROR.code(), unknown.code());
    assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), ((JsonObject) unknown.data()).getInteger("code"));
  }

  @Test
  void theFallbackHandlerAnswersWhatNoHandlerDoes() throws Exception {
    BusRpcClient client = connected(Framing.LINE);
    CompletableFuture<Object[]> notification = new CompletableFuture<>();
    client.register("own", params -> "own handler");
    client.fallbackHandler((method, params) -> {
      if (method.equals("told")) {
        notification.complete(new Object[]{method, params});
      }
      return method + ":" + params;
    });
    await(client.login(new JsonObject().put("uid", "fallback-uid")));
    assertEquals("own handler", await(clients.call("fallback-uid", "own", null)));
    assertEquals("anything:[1]", await(clients.call("fallback-uid", "anything", List.of(1))));
    clients.notify("fallback-uid", "told", Map.of("k", "v"));
    Object[] got = notification.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(new JsonObject().put("k", "v"), got[1]);
  }

  @Test
  void pendingCallsFailAtOnceWhenTheServerClosesTheConnection() throws Exception {
    BusRpcClient client = connected(Framing.LENGTH);
    Promise<Void> closed = Promise.promise();
    client.closeHandler(v -> closed.tryComplete());
    await(client.login(new JsonObject().put("uid", "dropped-uid")));
    Future<Object> pending = client.call("never", null);
    // A second login of the uid makes the server close the client's connection.
    try (TestClient other = new TestClient(port, Framing.LINE)) {
      Rpc.login(other, "dropped-uid");
      long start = System.nanoTime();
      RuntimeException failure = assertThrows(RuntimeException.class, () -> pending.await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - start < 1_000_000_000L, "failed at the timeout, not at once: " + failure);
      await(closed.future());
      assertFalse(client.isConnected());
      assertThrows(RuntimeException.class, () -> client.call("subtract", List.of(1, 1)).await(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void reconnectsWithBackoffAndLogsInAgain() throws Exception {
    BusRpcOptions options = TestNode.demoOptions();
    BusRpcVerticle first = TestNode.deploy(vertx, options);
    int nodePort = first.gateway().actualPort();
    options.getGateway().setPort(nodePort); // the node that comes back binds the port the first one had
    BusRpcClient client = client(new ClientOptions().setPort(nodePort).setReconnect(true)
      .setReconnectInitialDelay(10).setReconnectMaxDelay(100));
    client.register("where", params -> "here");
    await(client.connect());
    await(client.login(new JsonObject().put("uid", "phoenix")));
    assertTrue(await(clients.isOnline("phoenix")));

    Promise<Void> closed = Promise.promise();
    client.closeHandler(v -> closed.tryComplete());
    await(vertx.undeploy(first.deploymentID()));
    await(closed.future());
    assertFalse(await(clients.isOnline("phoenix")));

    TestNode.deploy(vertx, options);
    Poll.eventually(vertx, "phoenix is online again", () -> clients.isOnline("phoenix"));
    assertEquals("here", await(clients.call("phoenix", "where", null)));
    assertEquals(19, await(client.call("subtract", List.of(42, 23), Integer.class)));
  }

  /**
   * A client replaced by a newer login of its uid must not reconnect and take the uid back: two
   * reconnecting clients of one uid would otherwise replace each other for ever.
   */
  @Test
  void aReplacedClientDoesNotReconnectAndTakeTheUidBack() throws Exception {
    BusRpcClient client = client(new ClientOptions().setPort(port).setReconnect(true)
      .setReconnectInitialDelay(1).setReconnectMaxDelay(10));
    CompletableFuture<String> replacedNote = new CompletableFuture<>();
    client.fallbackHandler((method, params) -> replacedNote.complete(method));
    Promise<Void> closed = Promise.promise();
    client.closeHandler(v -> closed.tryComplete());
    await(client.connect());
    await(client.login(new JsonObject().put("uid", "contested")));
    try (TestClient newer = new TestClient(port, Framing.LINE)) {
      Rpc.login(newer, "contested");
      assertEquals("rpc.replaced", replacedNote.get(WAIT_SECONDS, TimeUnit.SECONDS));
      await(closed.future());
      // The newer connection keeps the uid: no rpc.replaced comes to it. A reconnect would start within
      // the client's 1-10 ms backoff and its login take a few ms more, so 500 ms of silence is ample.
      assertTrue(newer.silentFor(500), "the replaced client came back and took the uid");
      Future<Object> call = clients.call("contested", "who", null);
      JsonObject request = (JsonObject) newer.receiveJson();
      Rpc.reply(newer, request, "newer");
      assertEquals("newer", await(call));
    }
  }
}
