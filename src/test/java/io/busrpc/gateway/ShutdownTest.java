package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.bus.Addresses;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.GatedVerticle;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.MAPPER;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown: undeploying a node tells each client ({@code rpc.shutdown}), refuses new calls with
 * -32006, still answers the calls in flight, then closes; the grace period bounds the wait.
 */
@ExtendWith(VertxExtension.class)
class ShutdownTest {


  Vertx vertx;
  int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    GatedVerticle.reset();
  }

  @AfterEach
  void stop() {
    GatedVerticle.release();
  }

  private String deploy(BusRpcOptions options) {
    BusRpcVerticle node = new BusRpcVerticle();
    String id = vertx.deployVerticle(node, new DeploymentOptions().setConfig(options.toJson())).await();
    port = node.gateway().actualPort();
    return id;
  }

  private static JsonNode receive(TestClient client) throws IOException {
    return MAPPER.readTree(client.receive());
  }

  private static void assertShutdownNotice(JsonNode notice, long gracePeriod) {
    assertEquals("rpc.shutdown", notice.path("method").asText(), notice.toString());
    assertFalse(notice.has("id"), "a notification: " + notice);
    assertEquals(gracePeriod, notice.path("params").path("gracePeriod").asLong(), notice.toString());
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void callsInFlightAreAnsweredNewOnesRefusedThenTheConnectionCloses(Framing framing) throws Exception {
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(GatedVerticle.class.getName(), 1, new JsonObject()));
    String node = deploy(options);
    try (TestClient client = new TestClient(port, framing)) {
      VertxTestContext reached = new VertxTestContext();
      GatedVerticle.onStart(reached.checkpoint());
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"gated\",\"params\":[\"late\"],\"id\":1}");
      assertTrue(reached.awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS), "the call reaches the handler");
      Future<Void> undeployed = vertx.undeploy(node);
      assertShutdownNotice(receive(client), GatewayOptions.DEFAULT_SHUTDOWN_GRACE_PERIOD);
      JsonNode refused = MAPPER.readTree(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":2}"));
      assertEquals(ErrorCode.SHUTTING_DOWN.code(), refused.path("error").path("code").asInt(), refused.toString());
      assertEquals(2, refused.path("id").asInt());
      assertFalse(undeployed.isComplete(), "the node waits for the call in flight");
      GatedVerticle.release();
      JsonNode answer = receive(client);
      assertEquals(1, answer.path("id").asInt(), answer.toString());
      assertEquals("late", answer.path("result").asText(), answer.toString());
      assertTrue(client.closedByServer(), "closed once its last call was answered");
      undeployed.await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void anIdleConnectionIsClosedAtOnceAndNewConnectionsAreNotServed() throws Exception {
    String node = deploy(TestNode.demoOptions());
    try (TestClient idle = new TestClient(port, Framing.LINE)) {
      assertEquals("pong", MAPPER.readTree(idle.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":1}"))
        .path("result").asText());
      long t0 = System.nanoTime();
      Future<Void> undeployed = vertx.undeploy(node);
      assertShutdownNotice(receive(idle), GatewayOptions.DEFAULT_SHUTDOWN_GRACE_PERIOD);
      assertTrue(idle.closedByServer());
      undeployed.await(WAIT_SECONDS, TimeUnit.SECONDS);
      System.out.printf("FIGURE shutdown with one idle connection took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
    try (TestClient late = new TestClient(port, Framing.LINE)) {
      late.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":1}");
      assertTrue(late.closedByServer(), "a stopped node must not answer");
    } catch (IOException refusedToConnect) {
      // the port is closed: as good
    }
  }

  @Test
  void aCallThatNeverEndsIsCutOffAfterTheGracePeriod() throws Exception {
    Promise<Void> reached = Promise.promise();
    vertx.eventBus().consumer(Addresses.DEFAULT.method("never"), message -> reached.tryComplete()).completion().await();
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setShutdownGracePeriod(300);
    String node = deploy(options);
    try (TestClient client = new TestClient(port, Framing.LENGTH)) {
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"never\",\"id\":1}");
      reached.future().await(WAIT_SECONDS, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      Future<Void> undeployed = vertx.undeploy(node);
      assertShutdownNotice(receive(client), 300);
      // The grace period ends: the call is answered with -32006, then the connection closes.
      JsonNode cutOff = receive(client);
      assertEquals(ErrorCode.SHUTTING_DOWN.code(), cutOff.path("error").path("code").asInt(), cutOff.toString());
      assertEquals(1, cutOff.path("id").asInt(), cutOff.toString());
      assertTrue(client.closedByServer(), "closed after the grace period");
      long closedMs = (System.nanoTime() - t0) / 1_000_000;
      undeployed.await(WAIT_SECONDS, TimeUnit.SECONDS);
      System.out.printf("FIGURE shutdown with a never-answered call, grace 300 ms: connection closed after %d ms,"
        + " undeploy done after %d ms%n", closedMs, (System.nanoTime() - t0) / 1_000_000);
      assertTrue(closedMs >= 250, "closed before the grace period: " + closedMs + " ms");
    }
  }
}
