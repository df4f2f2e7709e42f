package io.busrpc.gateway.impl;

import io.busrpc.bus.Codecs;
import io.busrpc.examples.SpecExamplesVerticle;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.testing.Rpc;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.busrpc.testing.Rpc.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The session core without a session, as HTTP {@code POST /rpc} uses it: one body in, its answer
 * out, each request authenticated by its bearer token through the configured authenticator (here a
 * real {@code bus} authenticator: a consumer that knows one token).
 */
@ExtendWith(VertxExtension.class)
class StatelessRpcTest {

  private static final String REMOTE = "192.0.2.8:5555";
  private Context context;
  private StatelessRpc stateless;

  @BeforeEach
  void start(Vertx vertx) {
    Codecs.register(vertx);
    vertx.eventBus().<JsonObject>consumer("test.auth", message -> {
      if ("good-token".equals(message.body().getJsonObject("params").getValue("token"))) {
        message.reply(new JsonObject().put("uid", "ann").put("roles", new JsonArray().add("admin")));
      } else {
        message.fail(401, "unknown token");
      }
    }).completion().await();
    vertx.deployVerticle(new SpecExamplesVerticle()).await();
    GatewayOptions options = new GatewayOptions().setPublicMethods(List.of("subtract")).setMaxInFlight(2)
      .setMethodRoles(Map.of("sum", List.of("admin")))
      .setAuth(new AuthOptions().setType(AuthOptions.Type.BUS).setAddress("test.auth"));
    InMemoryGateway gateway = InMemoryGateway.start(vertx, options);
    context = gateway.context();
    stateless = gateway.acceptor().stateless();
  }

  /** Posts a body on the gateway instance's event loop. */
  private Future<Buffer> post(String body, String token) {
    Promise<Buffer> outcome = Promise.promise();
    context.runOnContext(v -> stateless.answer(Buffer.buffer(body), token, REMOTE).onComplete(outcome));
    return outcome.future();
  }

  /** @return the decoded answer to {@code body}, or null when there is none */
  private Object answer(String body, String token) {
    Buffer answer = Rpc.await(post(body, token));
    return answer == null ? null : Json.decodeValue(answer);
  }

  private static int errorCode(Object answer) {
    return ((JsonObject) answer).getJsonObject("error").getInteger("code");
  }

  @Test
  void withoutATokenOnlyPublicMethodsAnswer() {
    assertEquals(new JsonObject().put("jsonrpc", "2.0").put("result", 19).put("id", 1),
      answer(request(1, "subtract", List.of(42, 23)), null));
    assertEquals(ErrorCode.NOT_LOGGED_IN.code(), errorCode(answer(request(2, "sum", List.of(1)), null)));
  }

  @Test
  void aGoodTokenCallsWithItsRolesAndABadOneIsRefusedBeforeAnyMessage() {
    assertEquals(3, ((JsonObject) answer(request(1, "sum", List.of(1, 2)), "good-token")).getInteger("result"));
    RpcException refused = Rpc.awaitFailure(post(request(2, "subtract", List.of(1, 1)), "forged"));
    assertEquals(ErrorCode.LOGIN_FAILED.code(), refused.code());
    assertEquals("unknown token", refused.getMessage());
  }

  @Test
  void notificationsAloneGetNoAnswerAndABatchPastMaxInFlightIsAnsweredWhole() {
    assertNull(answer("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[1,1]}", null));
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 5; i++) {
      batch.append(i == 0 ? "" : ",").append(request(i, "subtract", List.of(10, i)));
    }
    JsonArray answers = (JsonArray) answer(batch.append("]").toString(), null);
    assertEquals(5, answers.size());
    assertEquals(6, answers.getJsonObject(4).getInteger("result"));
  }

  @Test
  void thereIsNoSessionToLogInto() {
    Object answer = answer(request(1, "rpc.login", Map.of("token", "good-token")), null);
    assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), errorCode(answer));
    assertEquals(new JsonObject(Rpc.PONG), answer(Rpc.PING, null));
  }
}
