package io.busrpc.bench;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --mode many} at a small N against a real node run with {@code conf/many.json}, on
 * real sockets: 2,000 connections from two source addresses (1,000 each, the gateway's default
 * per-address limit) all log in, each gets every broadcast exactly once, and every call is
 * answered. Counts only, no timing thresholds.
 */
@ExtendWith(VertxExtension.class)
class ManyModeTest {

  static final Path MANY_CONFIG = Path.of("conf/many.json");

  /** The server's own Vert.x: as on two machines, the server and the tool share no event loops. */
  Vertx server;
  BusRpcVerticle node;

  @BeforeEach
  void start() throws IOException {
    server = Vertx.vertx();
    BusRpcOptions options = new BusRpcOptions(new JsonObject(Files.readString(MANY_CONFIG)));
    options.getGateway().setPort(0);
    options.getManagement().setPort(-1);
    node = TestNode.deploy(server, options);
  }

  @AfterEach
  void stop() {
    server.close().await();
  }

  @Test
  void everyConnectionGetsEveryBroadcastOnceAndEveryCallIsAnswered(Vertx vertx) {
    int n = 2_000;
    ManyOptions options = new ManyOptions().setPort(node.gateway().actualPort()).setConnections(n).setPerSource(1_000)
      .setCallers(2).setRate(500).setBroadcasts(2).setQuiet(1).setTimeout(30_000).setThreads(2)
      .setServerPid(ProcessHandle.current().pid());
    AtomicInteger serverSawLoggedIn = new AtomicInteger(-1);
    ManyResult result = ManyConnections.create(vertx, options).run(line -> {
      if (line.startsWith("all logged in")) {
        serverSawLoggedIn.set(node.connectionCount());
      }
    }).await();

    assertFalse(result.hasProblems(), result.summary());
    assertEquals(n, serverSawLoggedIn.get(), "the node's open connections once all were logged in");
    assertEquals(2, result.broadcasts().size(), result.summary());
    for (ManyResult.Broadcast b : result.broadcasts()) {
      assertEquals(n, b.received(), result.summary());
      assertTrue(b.ms() >= 0, result.summary());
    }
    assertEquals(0, result.duplicates() + result.dropped() + result.unexpected(), result.summary());
    assertTrue(result.outside().calls() > 0, result.summary());
    assertEquals(0, result.outside().failed() + result.outside().unanswered()
      + result.during().failed() + result.during().unanswered(), result.summary());
    assertTrue(result.before().heapAfterGcBytes() > 0 && result.after().rssBytes() > 0, result.summary());
    assertEquals(n, result.toJson().getJsonArray("broadcasts").getJsonObject(1).getInteger("received"));
    // Every connection is closed at the end.
    assertTrue(Poll.until(server, 10_000, () -> node.connectionCount() == 0), "open: " + node.connectionCount());
  }

  @Test
  void moreConnectionsThanSourceAddressesCanHoldAreRefusedUpFront(Vertx vertx) {
    ManyOptions options = new ManyOptions().setConnections(100_000).setPerSource(300);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ManyConnections.create(vertx, options));
    assertTrue(e.getMessage().contains("334 source addresses"), e.getMessage());
    assertEquals("127.0.0.2", new ManyOptions().source(0));
    assertEquals("127.0.0.3", new ManyOptions().source(ManyOptions.DEFAULT_PER_SOURCE));
  }
}
