package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.GatedVerticle;
import io.busrpc.testing.Heap;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.busrpc.testing.Rpc.MAPPER;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backpressure (DESIGN §2): a connection never has more than {@code maxInFlight} calls on the bus, and a
 * client that floods without reading is throttled by TCP instead of growing the server's heap or
 * slowing other clients.
 */
@ExtendWith(VertxExtension.class)
class BackpressureTest {


  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    GatedVerticle.reset();
  }

  @AfterEach
  void stop() {
    GatedVerticle.release();
  }

  private int startGatedNode(int maxInFlight) {
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(GatedVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway().setMaxInFlight(maxInFlight);
    return TestNode.start(vertx, options);
  }

  private static String gated(int id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"gated\",\"params\":[" + id + "],\"id\":" + id + "}";
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void pipelinedCallsNeverExceedMaxInFlight(Framing framing) throws Exception {
    int port = startGatedNode(4);
    try (TestClient client = new TestClient(port, framing)) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int id = 1; id <= 50; id++) {
        all.writeBytes(framing.encode(Buffer.buffer(gated(id))).getBytes());
      }
      VertxTestContext reached = new VertxTestContext();
      GatedVerticle.onStart(reached.checkpoint(4));
      client.sendRaw(all.toByteArray()); // one write: the gateway gets many frames per chunk
      assertTrue(reached.awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS), "4 calls should reach the handler");
      // A window to prove a negative: a fifth call, if the gateway wrongly forwarded it, would reach the
      // handler within a bus hop (well under a millisecond here, tens under load); 500 ms is ample.
      assertTrue(client.silentFor(500), "nothing can be answered while the gate is closed");
      assertFalse(reached.failed(), "a fifth call reached the handler while 4 were in flight");
      assertEquals(4, GatedVerticle.started(), "calls forwarded while 4 were in flight");
      GatedVerticle.release();
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        JsonNode answer = MAPPER.readTree(client.receive());
        int id = answer.path("id").asInt();
        assertEquals(id, answer.path("result").asInt(), answer.toString());
        assertTrue(ids.add(id), "answered twice: " + id);
      }
      assertEquals(50, ids.size());
      assertTrue(GatedVerticle.maxRunning() <= 4, "handler saw " + GatedVerticle.maxRunning() + " calls at once");
    }
  }

  @Test
  void aBatchDoesNotExceedMaxInFlight() throws Exception {
    int port = startGatedNode(4);
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      StringBuilder batch = new StringBuilder("[");
      for (int id = 1; id <= 20; id++) {
        batch.append(id == 1 ? "" : ",").append(gated(id));
      }
      VertxTestContext reached = new VertxTestContext();
      GatedVerticle.onStart(reached.checkpoint(4));
      client.send(batch.append("]").toString());
      assertTrue(reached.awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS), "4 calls of the batch should reach the handler");
      // Same window as above: more calls of the batch would reach the handler within one bus hop.
      assertTrue(client.silentFor(500));
      assertFalse(reached.failed(), "a fifth call of the batch reached the handler while 4 were in flight");
      int seen = GatedVerticle.maxRunning();
      GatedVerticle.release();
      JsonNode answers = MAPPER.readTree(client.receive());
      assertEquals(20, answers.size(), answers.toString());
      assertTrue(seen <= 4, "a batch of 20 put " + seen + " calls in flight with maxInFlight 4");
    }
  }

  /**
   * A client that writes calls and never reads their answers. The gateway must stop reading it once
   * the socket's write queue is full, so the flood stalls in TCP: the writer is held back with most of
   * its bytes unsent and the server's heap stays flat. The kernel buffers on both sides can absorb
   * tens of MB on loopback (tcp_rmem may autotune to 32 MiB), so the flood is far larger than that:
   * without backpressure all of it would be accepted and its answers queued in the heap.
   */
  @Test
  void aClientThatNeverReadsIsThrottledAndOthersStillGetAnswers() throws Exception {
    int port = TestNode.start(vertx, TestNode.demoOptions());
    int requests = 120_000;
    String payload = "x".repeat(1024);
    long before = Heap.usedAfterGc();
    AtomicLong written = new AtomicLong();
    long attempted = 0;
    for (int id = 0; id < requests; id++) {
      attempted += floodFrame(payload, id).length;
    }
    Socket flooder = new Socket();
    flooder.setReceiveBufferSize(64 * 1024); // small client buffers: the server's queues must do the holding
    flooder.setSendBufferSize(64 * 1024);
    flooder.connect(new InetSocketAddress("127.0.0.1", port));
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = flooder.getOutputStream();
        for (int id = 0; id < requests; id++) {
          byte[] frame = floodFrame(payload, id);
          out.write(frame);
          written.addAndGet(frame.length);
        }
      } catch (IOException e) {
        // closed by the test
      }
    }, "flooder");
    writer.setDaemon(true);
    writer.start();
    try {
      // Wait until the flood is stuck on TCP backpressure (or, if the server read it all, finished).
      long[] last = {-1};
      long[] stableSince = {System.nanoTime()};
      assertTrue(Poll.until(vertx, 60_000, () -> {
        long now = written.get();
        if (now != last[0]) {
          last[0] = now;
          stableSince[0] = System.nanoTime();
        }
        return !writer.isAlive() || (now > 0 && System.nanoTime() - stableSince[0] > 1_000_000_000L);
      }));
      long flooded = written.get();
      try (TestClient other = new TestClient(port, Framing.LINE)) {
        long t0 = System.nanoTime();
        String answer = other.call("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"hi\"],\"id\":1}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("hi", MAPPER.readTree(answer).path("result").asText(), answer);
        assertTrue(ms < 5_000, "other client answered after " + ms + " ms");
        long during = Heap.usedAfterGc();
        System.out.printf("FIGURE backpressure flood: %d of %d bytes accepted from the non-reading client (writer %s);"
            + " other client answered in %d ms; used heap before %s, during flood %s, growth %s%n",
          flooded, attempted, writer.isAlive() ? "blocked" : "finished", ms,
          Heap.mib(before), Heap.mib(during), Heap.mib(during - before));
        assertTrue(writer.isAlive(), "the non-reading client sent its whole flood of " + attempted + " bytes");
        assertTrue(flooded < attempted / 2, "accepted " + flooded + " of " + attempted + " bytes from a client that never reads");
        assertTrue(during - before < 32L * 1024 * 1024, "heap grew by " + Heap.mib(during - before));
      }
    } finally {
      flooder.close();
      writer.join(WAIT_MS);
    }
  }

  private static byte[] floodFrame(String payload, int id) {
    return Framing.LENGTH.encode(Buffer.buffer(
      "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + payload + "\"],\"id\":" + id + "}")).getBytes();
  }
}
