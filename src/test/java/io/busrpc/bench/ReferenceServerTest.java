package io.busrpc.bench;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each reference server answers the tool's calls in each framing it speaks, with the right kind of answer. */
@ExtendWith(VertxExtension.class)
class ReferenceServerTest {

  static Vertx vertx;

  @BeforeAll
  static void start(Vertx vertx) {
    ReferenceServerTest.vertx = vertx;
  }

  @ParameterizedTest
  @CsvSource({
    "DIRECT, LEN, sum, 0", "DIRECT, LINE, sum, 0", "DIRECT, LSP, subtract, 0", "DIRECT, LEN, echo, 4096",
    "NAIVE_BUS, LEN, sum, 0", "NAIVE_BUS, LSP, echo, 4096", "BRIDGE, BRIDGE, sum, 0", "BRIDGE, BRIDGE, echo, 4096"})
  void answersEveryCall(ReferenceServer.Kind kind, Wire wire, String method, int payload) {
    ReferenceServer server = ReferenceServer.start(vertx, kind, "127.0.0.1", 0, 2).await();
    try {
      BenchOptions options = new BenchOptions().setPort(server.actualPort()).setFraming(wire).setMethod(method)
        .setPayload(payload).setConnections(2).setInFlight(4).setWarmup(0).setDuration(1).setTimeout(5000);
      BenchResult result = LoadGenerator.create(vertx, options).run(null).await();
      assertEquals(0, result.totalErrors(), result.summary());
      assertEquals(0, result.totalTimeouts(), result.summary());
      assertEquals(0, result.unexpected(), result.summary());
      assertTrue(result.totalAnswered() > 0, result.summary());
      assertEquals(result.totalSent(), result.totalAnswered(), result.summary());
    } finally {
      server.close().await();
    }
  }

  @ParameterizedTest
  @CsvSource({"DIRECT, LEN", "NAIVE_BUS, LINE", "BRIDGE, BRIDGE"})
  void unknownMethodsAreErrors(ReferenceServer.Kind kind, Wire wire) {
    ReferenceServer server = ReferenceServer.start(vertx, kind, "127.0.0.1", 0, 1).await();
    try {
      BenchOptions options = new BenchOptions().setPort(server.actualPort()).setFraming(wire).setMethod("foobar")
        .setConnections(1).setInFlight(2).setWarmup(0).setDuration(1).setTimeout(1000);
      BenchResult result = LoadGenerator.create(vertx, options).run(null).await();
      // The bridge refuses addresses it does not permit with an "access_denied" frame that names no
      // reply address, so those calls can only time out.
      assertTrue(result.totalErrors() + result.totalTimeouts() > 0, result.summary());
      assertEquals(0, result.totalAnswered() - result.totalErrors(), result.summary());
    } finally {
      server.close().await();
    }
  }
}
