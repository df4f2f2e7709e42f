package io.busrpc.bench;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.TestDefaults.BENCH_CONFIG;
import static io.busrpc.testing.TestDefaults.DEMO_CONFIG;
import static io.busrpc.testing.TestDefaults.DOCKER_CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load driver is safe to call: pointed at a uid nobody holds, every call fails at once, and the
 * driver neither recurses (which overflowed the stack and killed an event-loop thread) nor spins;
 * the node keeps serving. The demo configurations do not deploy it at all.
 */
class ClientCallDriverTest {

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    // Bounded: an event-loop thread killed by a stack overflow would make an unbounded close hang.
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void oneAnonymousDriveAgainstAnOfflineUidLeavesTheNodeHealthy() throws Exception {
    int port = TestNode.start(vertx, ServerToClientBenchTest.benchConfiguration());
    JsonObject drive = new JsonObject().put("uids", new JsonArray().add("nobody-is-here")).put("inFlight", 4)
      .put("durationMs", 1500).put("warmupMs", 0);
    try (TestClient anonymous = new TestClient(port, Framing.LINE)) {
      JsonObject answer = Rpc.call(anonymous, 1, "bench.drive", drive);
      JsonObject result = answer.getJsonObject("result");
      assertNotNull(result, answer.encode());
      System.out.printf("FIGURE drive against an offline uid for 1.5 s: %s%n", result.encode());
      assertTrue(result.getLong("totalErrors") > 0, result.encode());
      assertEquals(result.getLong("totalCalls"), result.getLong("totalErrors"), result.encode());
      assertTrue(result.getString("firstError").contains("-32003"), result.encode());
      // Failed calls are retried after a pause, not in a loop: 4 slots for 1.5 s stay far below 10,000.
      assertTrue(result.getLong("totalCalls") < 10_000, result.encode());
      // Same connection, same node: still served, and the driver's event loop still runs.
      assertEquals(2, Rpc.call(anonymous, 2, "subtract", new JsonArray().add(5).add(3)).getInteger("result"));
      JsonObject again = Rpc.call(anonymous, 3, "bench.drive", drive.copy().put("durationMs", 200));
      assertNotNull(again.getJsonObject("result"), again.encode());
    }
    try (TestClient other = new TestClient(port, Framing.LENGTH)) {
      assertEquals(3, Rpc.call(other, 1, "sum", new JsonArray().add(1).add(2)).getInteger("result"));
    }
  }

  @Test
  void theDemoAndTheDockerImageDoNotDeployTheDriver() throws Exception {
    for (Path file : List.of(DEMO_CONFIG, DOCKER_CONFIG)) {
      String config = Files.readString(file);
      assertFalse(config.contains("ClientCallDriverVerticle"), file + " deploys the load driver");
    }
    assertTrue(Files.readString(BENCH_CONFIG).contains(ClientCallDriverVerticle.class.getName()));
    // The README's configuration file, as the demo runs it: bench.drive is not there.
    BusRpcOptions demo = new BusRpcOptions(new JsonObject(Files.readString(DEMO_CONFIG)));
    demo.getGateway().setPort(0);
    demo.getManagement().setPort(-1);
    demo.getWeb().setPort(0); // the demo's 7070 may be taken by a demo running on this machine
    int port = TestNode.start(vertx, demo);
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      assertEquals(-32601, Rpc.errorCode(Rpc.call(client, 1, "bench.drive", new JsonObject())));
    }
  }
}
