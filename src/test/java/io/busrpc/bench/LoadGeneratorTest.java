package io.busrpc.bench;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against a real busrpc node: every call it sends is answered and counted once,
 * on its side and on the server's; a server that goes away mid-run shows up as errors. No timing
 * thresholds: only counts.
 */
@ExtendWith(VertxExtension.class)
class LoadGeneratorTest {

  /** The server's own Vert.x, not the injected one: the tests close it to stop the server under the generator. */
  Vertx server;
  Vertx client;
  int port;

  @BeforeEach
  void start(Vertx vertx) {
    client = vertx;
    server = Vertx.vertx();
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(CountingVerticle.class.getName(), 1, new JsonObject()));
    port = TestNode.start(server, options);
  }

  @AfterEach
  void stop() {
    server.close().await();
  }

  private BenchOptions options(Wire wire) {
    return new BenchOptions().setPort(port).setFraming(wire).setMethod("counted_sum").setParams("[40,2]")
      .setConnections(3).setThreads(2).setWarmup(1).setDuration(1).setTimeout(5000);
  }

  @ParameterizedTest
  @EnumSource(value = Wire.class, names = {"LEN", "LINE", "LSP"})
  void closedLoopCallsAreAllAnsweredAndCountedOnBothSides(Wire wire) {
    List<LoadGenerator.Progress> progress = new CopyOnWriteArrayList<>();
    BenchResult result = LoadGenerator.create(client, options(wire).setInFlight(8)).run(progress::add).await();

    assertClean(result);
    assertTrue(result.calls() > 0, "nothing measured: " + result.summary());
    assertEquals(result.calls(), result.latency().getTotalCount());
    assertEquals(2, progress.size(), "one progress line per second");
    assertTrue(progress.get(1).measuring());
  }

  @Test
  void withLoginTheCallsPassTheLoginRule() {
    // A node where only rpc.* may be called before login: without the tool's logins every call fails.
    server.close().await();
    server = Vertx.vertx();
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(CountingVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway().setPublicMethods(List.of());
    port = TestNode.start(server, options);
    BenchResult result = LoadGenerator.create(client, options(Wire.LEN).setLogin(true).setWarmup(0).setDuration(1))
      .run(null).await();
    assertClean(result); // no -32001 errors: every connection was logged in
    assertTrue(result.calls() > 0, result.summary());
  }

  @Test
  void overWebSocketTheCallsAreAnsweredWithTheirLogins() {
    // The node's web listener, where only rpc.* may be called before login.
    server.close().await();
    server = Vertx.vertx();
    BusRpcOptions options = TestNode.demoOptions().setWeb(new io.busrpc.web.WebOptions().setPort(0))
      .addHandler(new HandlerDeployment(CountingVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway().setPublicMethods(List.of());
    port = TestNode.deploy(server, options).webListener().actualPort();
    BenchResult result = LoadGenerator.create(client, options(Wire.WS).setInFlight(8).setLogin(true)).run(null).await();
    assertClean(result);
    assertTrue(result.calls() > 0, "nothing measured: " + result.summary());
    assertEquals(result.calls(), result.latency().getTotalCount());
  }

  /**
   * {@code --resume}: the tool logs in asking for resume and acknowledges the server's messages, so
   * the server drops its copies. Here a copy is 1 KiB and the server keeps 256 KiB at most per
   * session: without the tool's acks it would close each connection at about its 256th answer, after
   * about 5 of the run's 7 s (50 calls/s each); with them, a stall of seconds still fits.
   */
  @Test
  void withResumeTheToolAcknowledgesWhatTheServerSends() {
    server.close().await();
    server = Vertx.vertx();
    port = TestNode.startDemo(server, g -> g.setResumeBufferBytes(256 * 1024));
    BenchResult result = LoadGenerator.create(client, options(Wire.LEN).setResume(true).setPayload(1024).setRate(150)
      .setDuration(6)).run(null).await();
    String summary = result.summary();
    assertEquals(0, result.totalFailures(), summary);
    assertEquals(0, result.totalErrors(), summary);
    assertEquals(0, result.totalUnexpected(), "the server's rpc.ack are not answers: " + summary);
    assertTrue(result.totalSent() > 3 * 256, "fewer calls than would overflow the server's buffers: " + summary);
    assertEquals(result.totalSent(), result.totalAnswered(), summary);
  }

  @Test
  void fixedRateCallsAreAllAnsweredAndCountedOnBothSides() {
    BenchResult result = LoadGenerator.create(client, options(Wire.LEN).setRate(600)).run(null).await();

    assertClean(result);
    assertTrue(result.calls() > 0, "nothing measured: " + result.summary());
  }

  @Test
  void errorAnswersAreCountedAsErrors() {
    BenchResult result = LoadGenerator.create(client, options(Wire.LEN).setMethod("foobar")).run(null).await();

    assertEquals(result.totalSent(), result.totalAnswered());
    assertEquals(result.totalSent(), result.totalErrors());
    assertTrue(result.errors() > 0);
    assertTrue(result.firstProblem().contains("-32601"), result.firstProblem());
  }

  @Test
  void aServerStoppedMidRunIsReportedAsErrors() {
    server.setTimer(1500, t -> server.close());
    BenchResult result = LoadGenerator.create(client, options(Wire.LEN).setWarmup(0).setDuration(30)).run(null).await();

    assertTrue(result.hasProblems(), result.summary());
    assertTrue(result.totalFailures() > 0, result.summary());
    assertNotNull(result.aborted(), "the run ends when every connection is gone");
    assertTrue(result.calls() > 0, "calls before the stop were measured");
    assertEquals(result.totalSent(), result.totalAnswered() + result.totalTimeouts() + result.totalFailures());
  }

  @Test
  void aServerThatIsNotThereFailsTheRun() {
    server.close().await();
    Throwable failure = LoadGenerator.create(client, options(Wire.LEN)).run(null)
      .<Throwable>map(r -> null).otherwise(e -> e).await();
    assertNotNull(failure);
    assertTrue(failure.getMessage().contains("cannot connect"), failure.getMessage());
  }

  private void assertClean(BenchResult result) {
    String summary = result.summary();
    assertEquals(0, result.totalErrors(), summary);
    assertEquals(0, result.totalTimeouts(), summary);
    assertEquals(0, result.totalFailures(), summary);
    assertEquals(0, result.totalUnexpected(), summary);
    assertTrue(result.totalSent() > 0, summary);
    assertEquals(result.totalSent(), result.totalAnswered(), summary);
    assertEquals(CountingVerticle.calls(server), result.totalAnswered(), "server count vs tool count: " + summary);
  }
}
