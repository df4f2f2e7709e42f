package io.busrpc.testing;

import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Small helpers for tests that speak JSON-RPC through a {@link TestClient} and await Vert.x futures. */
public final class Rpc {

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

  /** Waits at most 10 s for a future. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within 10 s", e);
    }
  }

  /** Waits at most 10 s for a future that must fail with an {@link RpcException}; returns it. */
  public static RpcException awaitFailure(Future<?> future) {
    try {
      Object result = future.await(10, TimeUnit.SECONDS);
      return fail("expected a failure, got " + result);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within 10 s", e);
    } catch (RuntimeException e) {
      return assertInstanceOf(RpcException.class, e);
    }
  }

  /**
   * Re-runs an asynchronous check every 10 ms (on a Vert.x timer, no sleeping) until it yields true;
   * fails after 5 s.
   */
  public static void until(Vertx vertx, String what, Supplier<Future<Boolean>> check) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    attempt(vertx, check, done, deadline);
    try {
      done.future().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      throw new AssertionError("never became true: " + what, e);
    }
  }

  private static void attempt(Vertx vertx, Supplier<Future<Boolean>> check, Promise<Void> done, long deadline) {
    check.get().onComplete(ar -> {
      if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
        done.complete();
      } else if (System.nanoTime() > deadline) {
        done.fail("timed out");
      } else {
        vertx.setTimer(10, t -> attempt(vertx, check, done, deadline));
      }
    });
  }
}
