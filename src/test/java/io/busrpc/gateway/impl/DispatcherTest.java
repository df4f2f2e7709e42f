package io.busrpc.gateway.impl;

import io.busrpc.bus.Codecs;
import io.busrpc.examples.SpecExamplesVerticle;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.testing.GatedVerticle;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.busrpc.testing.Rpc.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session core answering without a socket: JSON texts go in through an {@link InMemoryTransport}
 * and the answers it wrote are read back; the handlers are real verticles on a real event bus.
 */
@ExtendWith(VertxExtension.class)
class DispatcherTest {

  private InMemoryGateway gateway;

  private void start(Vertx vertx, GatewayOptions options) {
    Codecs.register(vertx);
    vertx.deployVerticle(new SpecExamplesVerticle()).await();
    GatedVerticle.reset();
    vertx.deployVerticle(new GatedVerticle()).await();
    gateway = InMemoryGateway.start(vertx, options);
  }

  private static GatewayOptions anonymousLogin() {
    return new GatewayOptions().setAuth(new AuthOptions().setType(AuthOptions.Type.ANONYMOUS));
  }

  private static int errorCode(Object answer) {
    return ((JsonObject) answer).getJsonObject("error").getInteger("code");
  }

  @Test
  void answersCallsBatchesAndBrokenTexts(Vertx vertx) throws Exception {
    start(vertx, anonymousLogin().setPublicMethods(List.of("*")));
    InMemoryTransport client = gateway.connect();
    client.send(request(1, "subtract", List.of(42, 23)));
    assertEquals(new JsonObject().put("jsonrpc", "2.0").put("result", 19).put("id", 1), client.next());

    // A batch: the notification gets no answer, the invalid message gets its error, in one batch.
    client.send("[" + request(2, "sum", List.of(1, 2, 4)) + ",{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},"
      + "{\"foo\":\"boo\"}]");
    JsonArray batch = (JsonArray) client.next();
    assertEquals(2, batch.size(), batch::encode);
    assertEquals(7, batch.getJsonObject(0).getInteger("result"));
    assertEquals(ErrorCode.INVALID_REQUEST.code(), errorCode(batch.getJsonObject(1)));

    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4]");
    assertEquals(ErrorCode.PARSE_ERROR.code(), errorCode(client.next()));

    // Notifications only: nothing is written for them, so the next text written answers the ping.
    client.send("[{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]");
    client.send(Rpc.PING);
    assertEquals(new JsonObject(Rpc.PONG), client.next());
  }

  @Test
  void checksLoginRolesAndReservedMethodsInOrder(Vertx vertx) throws Exception {
    start(vertx, anonymousLogin().setPublicMethods(List.of()).setMethodRoles(Map.of("sum", List.of("admin"))));
    InMemoryTransport client = gateway.connect();
    client.send(request(1, "subtract", List.of(2, 1)));
    assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(client.next()));
    client.send(request(2, "rpc.nothing", null));
    assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), errorCode(client.next()));
    client.send(request(3, "rpc.login", Map.of("uid", "ann")));
    JsonObject login = ((JsonObject) client.next()).getJsonObject("result");
    assertEquals("ann", login.getString("uid"));
    client.send(request(4, "subtract", List.of(2, 1)));
    assertEquals(1, ((JsonObject) client.next()).getInteger("result"));
    client.send(request(5, "sum", List.of(1)));
    assertEquals(ErrorCode.FORBIDDEN.code(), errorCode(client.next()));
    client.send(request(6, "rpc.logout", null));
    assertEquals(Boolean.TRUE, ((JsonObject) client.next()).getValue("result"));
    client.send(request(7, "subtract", List.of(2, 1)));
    assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(client.next()));
  }

  @Test
  void aBatchPastMaxInFlightWaitsAndReadingPausesWhileTheSlotsAreFull(Vertx vertx) throws Exception {
    start(vertx, anonymousLogin().setPublicMethods(List.of("*")).setMaxInFlight(2));
    InMemoryTransport client = gateway.connect();
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 5; i++) {
      batch.append(i == 0 ? "" : ",").append(request(i, "gated", List.of(i)));
    }
    client.send(batch.append("]").toString());
    assertTrue(Poll.until(vertx, 5_000, () -> GatedVerticle.started() == 2 && client.paused()),
      "two calls started, reading paused; started " + GatedVerticle.started());
    client.send(request("after", "subtract", List.of(5, 3))); // held back by the paused transport
    assertFalse(Poll.until(vertx, 300, () -> client.writtenCount() > 0),
      "nothing is answered while the gate is closed"); // 300 ms: the subtract call answers in about 1 ms
    GatedVerticle.release();
    // Either answer may come first: "after" is read once the batch's last call has a slot, and it
    // can finish before that call does (the batch's answer goes out when all five have finished).
    Object first = client.next();
    Object second = client.next();
    JsonArray answers = (JsonArray) (first instanceof JsonArray ? first : second);
    assertEquals(5, answers.size());
    assertEquals(2, GatedVerticle.maxRunning(), "the batch never had more than maxInFlight calls at the handler");
    assertEquals(new JsonObject().put("jsonrpc", "2.0").put("result", 2).put("id", "after"),
      first instanceof JsonArray ? second : first);
    assertFalse(client.paused());
  }

  @Test
  void theServersCallsReachTheClientAndItsAnswerComesBack(Vertx vertx) throws Exception {
    start(vertx, anonymousLogin());
    InMemoryTransport client = gateway.connect();
    client.send(request(1, "rpc.login", Map.of("uid", "bea")));
    client.next();
    Future<Object> call = Clients.create(vertx).call("bea", "ui.confirm", List.of("sure?"));
    JsonObject request = (JsonObject) client.next();
    assertEquals("ui.confirm", request.getString("method"));
    client.send(new JsonObject().put("jsonrpc", "2.0").put("result", "yes").put("id", request.getValue("id")).encode());
    assertEquals("yes", Rpc.await(call));

    // The connection goes: the uid is offline, and the server's next call fails at once.
    client.close();
    assertTrue(Poll.until(vertx, 5_000, () -> gateway.acceptor().size() == 0));
    assertEquals(ErrorCode.CLIENT_OFFLINE.code(), Rpc.awaitFailure(Clients.create(vertx).call("bea", "m", null)).code());
  }

  @Test
  void aShutdownTellsTheClientRefusesNewCallsAndCloses(Vertx vertx) throws Exception {
    start(vertx, anonymousLogin().setPublicMethods(List.of("*")));
    InMemoryTransport client = gateway.connect();
    client.send(request("slow", "gated", List.of(1)));
    assertTrue(Poll.until(vertx, 5_000, () -> GatedVerticle.started() == 1));
    client.shutDown();
    JsonObject notice = (JsonObject) client.next();
    assertEquals("rpc.shutdown", notice.getString("method"), notice::encode);
    client.send(request(2, "subtract", List.of(2, 1)));
    assertEquals(ErrorCode.SHUTTING_DOWN.code(), errorCode(client.next()));
    assertFalse(client.ended(), "the call in flight is answered first");
    GatedVerticle.release();
    assertEquals(new JsonObject().put("jsonrpc", "2.0").put("result", 1).put("id", "slow"), client.next());
    assertTrue(Poll.until(vertx, 5_000, client::ended));
  }
}
