package io.busrpc.cluster;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.GatedVerticle;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.SlowVerticle;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clustered node that stops (Vert.x closed, as SIGTERM does) with 100 calls in flight on its own
 * handler: every call is answered before the connection closes, with its result when it finishes
 * within the grace period, else with -32006. The handler stops only after the gateway drained.
 */
class ClusteredShutdownTest {

  private static final int CALLS = 100;

  private ClusterNodes cluster;
  private Vertx stopping;

  @BeforeEach
  void start() {
    GatedVerticle.reset();
    SlowVerticle.reset();
    cluster = new ClusterNodes();
    cluster.start(); // a second member, so the stopping node leaves a cluster that goes on
    stopping = cluster.start();
  }

  @AfterEach
  void stop() {
    cluster.close();
    GatedVerticle.reset();
  }

  private TestClient clientWith100CallsInFlight(long gracePeriod) throws Exception {
    return clientWith100CallsInFlight(gracePeriod, i -> Rpc.request(i, "gated", new JsonArray().add("answer-" + i)),
      GatedVerticle::started);
  }

  private TestClient clientWith100CallsInFlight(long gracePeriod, java.util.function.IntFunction<String> call,
                                                java.util.function.IntSupplier started) throws Exception {
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(GatedVerticle.class.getName(), 1, new JsonObject()))
      .addHandler(new HandlerDeployment(SlowVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway().setShutdownGracePeriod(gracePeriod);
    int port = TestNode.start(stopping, options);
    TestClient client = new TestClient(port, Framing.LINE);
    StringBuilder packet = new StringBuilder();
    for (int i = 1; i <= CALLS; i++) {
      packet.append(call.apply(i)).append('\n');
    }
    client.sendRaw(packet.toString().getBytes(StandardCharsets.UTF_8));
    assertTrue(Poll.until(stopping, WAIT_MS, () -> started.getAsInt() == CALLS), "calls in flight: " + started.getAsInt());
    return client;
  }

  /** Reads the shutdown notice and then one answer per call, by id, until the server closes. */
  private static Map<Integer, JsonObject> answersUntilClosed(TestClient client) throws Exception {
    JsonObject notice = new JsonObject(client.receive());
    assertEquals("rpc.shutdown", notice.getString("method"), notice.encode());
    Map<Integer, JsonObject> answers = new HashMap<>();
    while (answers.size() < CALLS) {
      JsonObject answer = new JsonObject(client.receive());
      answers.put(answer.getInteger("id"), answer);
    }
    assertTrue(client.closedByServer(), "closed once every call was answered");
    return answers;
  }

  @Test
  void callsThatFinishWithinTheGracePeriodAreAllAnswered() throws Exception {
    try (TestClient client = clientWith100CallsInFlight(10_000)) {
      long t0 = System.nanoTime();
      Future<Void> closed = stopping.close();
      JsonObject notice = new JsonObject(client.receive());
      assertEquals("rpc.shutdown", notice.getString("method"), notice.encode());
      // The handler still runs while the gateway drains: its calls finish now.
      GatedVerticle.release();
      Map<Integer, JsonObject> answers = new HashMap<>();
      while (answers.size() < CALLS) {
        JsonObject answer = new JsonObject(client.receive());
        answers.put(answer.getInteger("id"), answer);
      }
      assertTrue(client.closedByServer(), "closed once every call was answered");
      for (int i = 1; i <= CALLS; i++) {
        assertEquals("answer-" + i, answers.get(i).getString("result"), answers.get(i).encode());
      }
      closed.await(30, TimeUnit.SECONDS);
      System.out.printf("FIGURE clustered stop with %d calls in flight, released at once: all answered, node closed after %d ms%n",
        CALLS, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The handler's own timers keep running while the gateway drains: it is stopped only afterwards. */
  @Test
  void aHandlersTimersOutliveTheGatewaysDrain() throws Exception {
    try (TestClient client = clientWith100CallsInFlight(10_000,
      i -> Rpc.request(i, "slow.echo", new JsonArray().add("late-" + i).add(1_500)), SlowVerticle::started)) {
      long t0 = System.nanoTime();
      Future<Void> closed = stopping.close();
      Map<Integer, JsonObject> answers = answersUntilClosed(client);
      for (int i = 1; i <= CALLS; i++) {
        assertEquals("late-" + i, answers.get(i).getString("result"), answers.get(i).encode());
      }
      closed.await(30, TimeUnit.SECONDS);
      System.out.printf("FIGURE clustered stop with %d calls of 1.5 s in flight: all answered, node closed after %d ms%n",
        CALLS, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  @Test
  void callsStillRunningWhenTheGracePeriodEndsGetShuttingDownBeforeTheClose() throws Exception {
    try (TestClient client = clientWith100CallsInFlight(500)) {
      long t0 = System.nanoTime();
      Future<Void> closed = stopping.close();
      Map<Integer, JsonObject> answers = answersUntilClosed(client);
      long answeredMs = (System.nanoTime() - t0) / 1_000_000;
      for (int i = 1; i <= CALLS; i++) {
        assertEquals(ErrorCode.SHUTTING_DOWN.code(), Rpc.errorCode(answers.get(i)), answers.get(i).encode());
      }
      closed.await(30, TimeUnit.SECONDS);
      System.out.printf("FIGURE clustered stop, grace 500 ms, %d calls never finishing: all got -32006 after %d ms%n", CALLS, answeredMs);
      assertTrue(answeredMs >= 450, "answered before the grace period ended: " + answeredMs + " ms");
    }
  }
}
