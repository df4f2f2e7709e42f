package io.busrpc.gateway;

import io.busrpc.bus.Addresses;
import io.busrpc.client.BusRpcClient;
import io.busrpc.client.ClientOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server code calling a uid whose connection keeps logging out and in again: every call gets
 * exactly one answer, promptly, and it is the client's or -32003 (client offline). A call that
 * reaches the client address just as the connection stops listening there is discarded by the
 * event bus: a call answered at its caller's reply-to address got no answer at all (its caller
 * waited for the whole call timeout), a plain request got -32000 "Call timed out" at once.
 */
@ExtendWith(VertxExtension.class)
class ReloginCallsTest {

  /** Far longer than the test: a dropped call would still be waiting when the test gives up. */
  private static final long CALL_TIMEOUT = 120_000;
  private static final int RELOGINS = 150;
  private static final int IN_FLIGHT = 32;

  /** Keeps {@link #IN_FLIGHT} calls going to one uid from one context and counts their outcomes. */
  private static final class Caller {
    final Clients clients;
    final Vertx vertx;
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger offline = new AtomicInteger();
    final Map<String, Integer> otherErrors = new ConcurrentHashMap<>();
    volatile boolean stopped;

    Caller(Vertx vertx, Clients clients) {
      this.vertx = vertx;
      this.clients = clients;
    }

    void next() {
      if (stopped) {
        return;
      }
      int n = sent.incrementAndGet();
      clients.call("flapping", "echo", new JsonArray().add(n)).onComplete(ar -> {
        if (ar.succeeded()) {
          answered.incrementAndGet();
          next();
        } else if (ar.cause() instanceof RpcException e && e.code() == ErrorCode.CLIENT_OFFLINE.code()) {
          offline.incrementAndGet();
          // Offline fails at once: a short pause keeps the retries from flooding the event loop.
          vertx.setTimer(1, t -> next());
        } else {
          otherErrors.merge(String.valueOf(ar.cause()), 1, Integer::sum);
          next();
        }
      });
    }

    int outcomes() {
      return answered.get() + offline.get() + otherErrors.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
      return sent + " sent, " + answered + " answered by the client, " + offline + " offline, other errors "
        + otherErrors;
    }
  }

  @Test
  void everyCallToAUidThatKeepsLoggingInAgainIsAnsweredPromptly(Vertx vertx) {
    int port = TestNode.startDemo(vertx, options -> options.setCallTimeout(CALL_TIMEOUT));
    BusRpcClient client = BusRpcClient.create(vertx, new ClientOptions().setPort(port).setCallTimeout(10_000));
    client.register("echo", params -> params);
    JsonObject login = new JsonObject().put("uid", "flapping");
    await(client.connect());
    await(client.login(login));

    Caller caller = new Caller(vertx, Clients.create(vertx, Addresses.DEFAULT, CALL_TIMEOUT));
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        caller.next();
      }
    });
    for (int i = 0; i < RELOGINS; i++) {
      await(client.logout());
      await(client.login(login));
    }
    caller.stopped = true;

    // Every call in flight now is answered by the client within milliseconds or fails as offline;
    // only a lost one would still wait (for CALL_TIMEOUT).
    assertTrue(Poll.until(vertx, WAIT_MS, () -> caller.outcomes() == caller.sent.get()), caller::toString);
    System.out.printf("FIGURE calls to a uid logging in again %d times: %s%n", RELOGINS, caller);
    assertTrue(caller.answered.get() > 0, caller::toString);
    assertTrue(caller.offline.get() > 0, "the calls never met the uid offline: " + caller);
    assertEquals(Map.of(), caller.otherErrors);
    await(client.close());
  }
}
