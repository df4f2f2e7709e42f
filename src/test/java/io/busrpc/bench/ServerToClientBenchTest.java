package io.busrpc.bench;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import static io.busrpc.testing.TestDefaults.BENCH_CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --mode server-to-client} against a real node run with {@code conf/bench.json}
 * ({@link ClientCallDriverVerticle} deployed):
 * every server→client call is answered, none fails. No timing thresholds: only counts.
 */
@ExtendWith(VertxExtension.class)
class ServerToClientBenchTest {

  /** The server's own Vert.x, not the injected one: as on two machines, the server and the tool share no event loops. */
  Vertx server;
  Vertx client;
  int port;

  @BeforeEach
  void start(Vertx vertx) {
    client = vertx;
    server = Vertx.vertx();
    port = TestNode.start(server, benchConfiguration());
  }

  /** {@code conf/bench.json}, the configuration the README runs benchmarks with, on free ports. */
  static BusRpcOptions benchConfiguration() {
    try {
      BusRpcOptions options = new BusRpcOptions(new JsonObject(Files.readString(BENCH_CONFIG)));
      options.getGateway().setPort(0);
      options.getManagement().setPort(-1);
      return options;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close().await();
  }

  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"LEN", "LINE", "LSP"})
  void shortRunHasCallsAndNoErrors(Wire wire) {
    BenchOptions options = new BenchOptions().setPort(port).setFraming(wire).setConnections(3).setInFlight(4)
      .setWarmup(0).setDuration(1).setTimeout(5000);
    ServerToClientBench.Result result = ServerToClientBench.create(client, options).run().await();

    assertTrue(result.calls() > 0, result.summary());
    assertEquals(0, result.errors(), result.summary());
    assertEquals(0, result.totalErrors(), result.summary());
    assertFalse(result.hasProblems(), result.summary());
    // Every call the server made was answered by the tool, warm-up and drain included.
    assertEquals(result.server().getLong("totalCalls"), result.answered(), result.summary());
    assertTrue(result.summary().contains("throughput"));
    assertEquals(result.calls(), result.toJson().getLong("calls"));
  }
}
