package io.busrpc.handler;

import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.bus.Addresses;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.MAPPER;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handlers that use the raw bus instead of {@link RpcVerticle} (DESIGN.md §3): a plain consumer at
 * the method's address gets the params as Vert.x JSON and the caller in the headers, and its reply or
 * failure reaches the client.
 */
@ExtendWith(VertxExtension.class)
class RawConsumerTest {


  static Vertx vertx;
  static int port;
  static final CompletableFuture<Object> notified = new CompletableFuture<>();

  @BeforeAll
  static void start(Vertx vertx) {
    RawConsumerTest.vertx = vertx;
    port = TestNode.start(vertx, new BusRpcOptions().setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*"))));
    consume("raw.add", msg -> {
      Object body = msg.body();
      if (body instanceof JsonArray params) {
        msg.reply(params.getInteger(0) + params.getInteger(1));
      } else if (body instanceof JsonObject params) {
        msg.reply(params.getInteger("a") + params.getInteger("b"));
      } else {
        msg.fail(-32602, "expected an array or an object, got " + body);
      }
    });
    consume("raw.inspect", msg -> {
      Caller caller = Caller.fromHeaders(msg.headers());
      msg.reply(new JsonObject()
        .put("bodyType", msg.body() == null ? "null" : msg.body().getClass().getSimpleName())
        .put("body", msg.body())
        .put("connectionId", caller.connectionId())
        .put("remoteAddress", caller.remoteAddress())
        .put("uid", caller.uid())
        .put("loggedIn", caller.loggedIn()));
    });
    consume("raw.fail", msg -> msg.fail(123, "nope"));
    consume("raw.rpcfail", msg -> msg.reply(new RpcException(7, "x", new JsonArray().add(1))));
    consume("raw.notify", msg -> notified.complete(msg.body()));
  }

  private static void consume(String method, Handler<Message<Object>> handler) {
    vertx.eventBus().consumer(Addresses.DEFAULT.method(method), handler).completion().await();
  }

  @Test
  void positionalParamsArriveAsJsonArrayAndTheReplyIsTheResult() throws IOException {
    assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":1}"), call("raw.add", "[2, 3]"));
    JsonNode result = call("raw.inspect", "[1, \"two\", {\"three\": [3]}]").get("result");
    assertEquals("JsonArray", result.get("bodyType").asText(), result::toString);
    assertEquals(MAPPER.readTree("[1, \"two\", {\"three\": [3]}]"), result.get("body"));
  }

  @Test
  void namedParamsArriveAsJsonObject() throws IOException {
    assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":1}"), call("raw.add", "{\"a\": 2, \"b\": 3}"));
    JsonNode result = call("raw.inspect", "{\"a\": {\"b\": null}}").get("result");
    assertEquals("JsonObject", result.get("bodyType").asText(), result::toString);
    assertEquals(MAPPER.readTree("{\"a\": {\"b\": null}}"), result.get("body"));
  }

  @Test
  void absentParamsArriveAsNull() throws IOException {
    JsonNode result = call("raw.inspect", null).get("result");
    assertEquals("null", result.get("bodyType").asText(), result::toString);
  }

  @Test
  void callerIsReadableFromTheHeaders() throws IOException {
    JsonNode result = call("raw.inspect", "[]").get("result");
    assertNotNull(result, "no result");
    assertTrue(result.get("connectionId").isTextual() && !result.get("connectionId").asText().isEmpty(), result::toString);
    assertTrue(result.get("remoteAddress").asText().contains("127.0.0.1"), result::toString);
    assertTrue(result.get("uid").isNull(), result::toString);
    assertFalse(result.get("loggedIn").asBoolean(), result::toString);
  }

  @Test
  void failIsAnErrorWithThatCodeAndMessage() throws IOException {
    assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":123,\"message\":\"nope\"},\"id\":1}"),
      call("raw.fail", "[]"));
  }

  @Test
  void replyingAnRpcExceptionKeepsItsData() throws IOException {
    assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":7,\"message\":\"x\",\"data\":[1]},\"id\":1}"),
      call("raw.rpcfail", "[]"));
  }

  @Test
  void notificationReachesTheConsumerAndIsNotAnswered() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"raw.notify\",\"params\":{\"n\":1}}");
      assertEquals(new JsonObject().put("n", 1), notified.get(WAIT_SECONDS, TimeUnit.SECONDS));
      // A call after the notification is answered first: nothing was sent for the notification.
      assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":2}"),
        MAPPER.readTree(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"raw.add\",\"params\":[1,2],\"id\":2}")));
    }
  }

  @Test
  void unservedMethodIsMethodNotFound() throws IOException {
    JsonNode answer = call("raw.nobody", "[]");
    assertEquals(-32601, answer.get("error").get("code").asInt(), answer::toString);
    assertNull(answer.get("result"));
  }

  private static JsonNode call(String method, String params) throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      return MAPPER.readTree(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\""
        + (params == null ? "" : ",\"params\":" + params) + ",\"id\":1}"));
    }
  }
}
