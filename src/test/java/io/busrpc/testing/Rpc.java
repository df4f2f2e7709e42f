package io.busrpc.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Small helpers for tests that speak JSON-RPC through a {@link TestClient} and await Vert.x futures. */
public final class Rpc {

  /** A plain Jackson mapper for reading answers as trees in tests. */
  public static final ObjectMapper MAPPER = new ObjectMapper();
  /** A ping request with id {@code "p"}. */
  public static final String PING = request("p", "rpc.ping", null);
  /** The gateway's exact answer to {@link #PING}. */
  public static final String PONG = "{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":\"p\"}";

  private Rpc() {
  }

  /** @return the JSON text of a request ({@code id} null: a notification) */
  public static String request(Object id, String method, Object params) {
    JsonObject json = new JsonObject().put("jsonrpc", "2.0").put("method", method);
    if (params != null) {
      json.put("params", params);
    }
    if (id != null) {
      json.put("id", id);
    }
    return json.encode();
  }

  /** Sends a request and returns the answer as an object. */
  public static JsonObject call(TestClient client, Object id, String method, Object params) throws IOException {
    return new JsonObject(client.call(request(id, method, params)));
  }

  /** Logs in with anonymous credentials and checks that the login succeeded. */
  public static JsonObject login(TestClient client, String uid) throws IOException {
    JsonObject answer = call(client, "login", "rpc.login", new JsonObject().put("uid", uid));
    assertNotNull(answer.getJsonObject("result"), () -> "login as " + uid + " failed: " + answer);
    assertEquals(uid, answer.getJsonObject("result").getString("uid"));
    return answer.getJsonObject("result");
  }

  /** @return the error code of an answer, failing when it is not an error */
  public static int errorCode(JsonObject answer) {
    JsonObject error = answer.getJsonObject("error");
    assertNotNull(error, () -> "expected an error, got " + answer);
    return error.getInteger("code");
  }

  /** Answers a request the client received with a result. */
  public static void reply(TestClient client, JsonObject request, Object result) throws IOException {
    client.send(new JsonObject().put("jsonrpc", "2.0").put("result", result).put("id", request.getValue("id")).encode());
  }

  /** Waits at most {@link TestDefaults#WAIT_SECONDS} for a future. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + WAIT_SECONDS + " s", e);
    }
  }

  /** Waits at most {@link TestDefaults#WAIT_SECONDS} for a future that must fail with an {@link RpcException}; returns it. */
  public static RpcException awaitFailure(Future<?> future) {
    try {
      Object result = future.await(WAIT_SECONDS, TimeUnit.SECONDS);
      return fail("expected a failure, got " + result);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + WAIT_SECONDS + " s", e);
    } catch (RuntimeException e) {
      return assertInstanceOf(RpcException.class, e);
    }
  }
}
