package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.ChatVerticle;
import io.busrpc.handler.Clients;
import io.busrpc.management.ManagementOptions;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Heap;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestDefaults;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxOutboundBytes} (DESIGN §2): what is queued for a client that does not read is bounded;
 * past the cap the client is closed and counted, and everyone else keeps being served.
 */
class OutboundLimitTest {

  private static final int MESSAGES = 800;
  private static final String TEXT = "x".repeat(100 * 1024);

  Vertx vertx;

  @BeforeEach
  void start() {
    // Not VertxExtension's injected Vert.x: the close is checked in /metrics, which needs Micrometer on.
    vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theCapHasADefaultAndRejectsTooSmallValues() {
    assertEquals(4 * 1024 * 1024, new GatewayOptions().getMaxOutboundBytes());
    assertEquals(4 * 1024 * 1024, new GatewayOptions(new JsonObject()).getMaxOutboundBytes());
    assertEquals(200_000, new GatewayOptions(new JsonObject().put("maxOutboundBytes", 200_000)).getMaxOutboundBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> new GatewayOptions().setMaxOutboundBytes(1000));
    assertTrue(e.getMessage().contains("maxOutboundBytes"), e.getMessage());
  }

  /**
   * A room member that never reads while another member posts 100 KB messages: it is closed once
   * a MiB is queued for it, the node's heap does not grow with what is posted, the member that reads
   * gets every message, and a bystander's calls are answered.
   */
  @Test
  void aRoomMemberThatNeverReadsIsClosedWhileTheOthersAreServed() throws Exception {
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject()))
      .setManagement(new ManagementOptions().setPort(0));
    options.getGateway().setMaxOutboundBytes(1024 * 1024);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    int port = node.gateway().actualPort();

    // A small receive buffer, so the kernel does not absorb much of what the gateway writes.
    Socket sleeper = new Socket();
    sleeper.setReceiveBufferSize(16 * 1024);
    sleeper.setSoTimeout(WAIT_MS);
    sleeper.connect(new InetSocketAddress("127.0.0.1", port));
    BufferedReader sleeperIn = new BufferedReader(new InputStreamReader(sleeper.getInputStream(), StandardCharsets.UTF_8));
    OutputStream sleeperOut = sleeper.getOutputStream();
    sleeperOut.write((Rpc.request(1, "rpc.login", new JsonObject().put("uid", "sleeper")) + "\n"
      + Rpc.request(2, "chat.join", new JsonObject().put("room", "busy")) + "\n").getBytes(StandardCharsets.UTF_8));
    sleeperOut.flush();
    assertTrue(sleeperIn.readLine().contains("\"result\""));
    assertTrue(sleeperIn.readLine().contains("\"result\":true"));

    try (TestClient reader = new TestClient(port, Framing.LENGTH);
         TestClient poster = new TestClient(port, Framing.LENGTH);
         TestClient bystander = new TestClient(port, Framing.LINE)) {
      Rpc.login(reader, "reader");
      assertEquals(true, Rpc.call(reader, 1, "chat.join", new JsonObject().put("room", "busy")).getBoolean("result"));
      Rpc.login(poster, "poster");
      AtomicInteger read = new AtomicInteger();
      // The poster waits for the reading member to keep within a few messages of it: that member
      // reads, however slowly this machine runs it, so it must never come near the cap.
      Semaphore readerKeepsUp = new Semaphore(4);
      Thread readerThread = new Thread(() -> {
        try {
          while (read.get() < MESSAGES) {
            JsonObject message = (JsonObject) reader.receiveJson();
            if ("chat.message".equals(message.getString("method"))) {
              read.incrementAndGet();
              readerKeepsUp.release();
            }
          }
        } catch (IOException e) {
          // the assertion below reports how far it got
        }
      }, "room-reader");
      readerThread.setDaemon(true);
      readerThread.start();

      long before = Heap.usedAfterGc();
      for (int i = 0; i < MESSAGES; i++) {
        assertTrue(readerKeepsUp.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the reading member stopped at " + read.get());
        JsonObject answer = Rpc.call(poster, i, "chat.say", new JsonObject().put("room", "busy").put("text", TEXT));
        assertEquals(true, answer.getBoolean("result"), answer::encode);
        if (i % 100 == 0) {
          assertEquals(3, Rpc.call(bystander, i, "subtract", new JsonArray().add(5).add(2)).getInteger("result"));
        }
      }
      long after = Heap.usedAfterGc();
      System.out.printf("FIGURE outbound cap: %d messages of 100 KB posted to a room with a member that does not read;"
          + " used heap before %s, after %s, growth %s%n", MESSAGES, Heap.mib(before), Heap.mib(after), Heap.mib(after - before));
      assertTrue(after - before < 32L * 1024 * 1024, "heap grew by " + Heap.mib(after - before)
        + " while " + MESSAGES * TEXT.length() / (1024 * 1024) + " MiB were posted");

      // The gateway closed the sleeper: what the kernel held reaches it, then the end of the stream.
      assertTrue(Poll.until(vertx, WAIT_MS, () -> node.connectionCount() == 3),
        "connections open: " + node.connectionCount());
      int delivered = 0;
      try {
        while (sleeperIn.readLine() != null) {
          delivered++;
        }
      } catch (IOException reset) {
        // a reset is a close too
      }
      System.out.printf("FIGURE outbound cap: the member that does not read got %d of %d messages, then the end of"
        + " its stream%n", delivered, MESSAGES);
      assertTrue(delivered < MESSAGES / 4, "the sleeper got " + delivered + " of " + MESSAGES + " messages");

      readerThread.join(30_000);
      assertEquals(MESSAGES, read.get(), "messages the reading member got");
      assertEquals(3, Rpc.call(bystander, "last", "subtract", new JsonArray().add(5).add(2)).getInteger("result"));
      assertTrue(metrics(node).contains("busrpc_connections_closed_total{reason=\"outbound_full\"} 1.0"),
        "the close is counted");
    } finally {
      sleeper.close();
    }
  }

  /**
   * A connection closed after its last message (here {@code rpc.replaced}) would wait for the client
   * to read what is queued before it: a client that does not read is cut after {@code pingTimeout}.
   */
  @Test
  void aReplacedClientThatDoesNotReadIsCutAfterThePingTimeout() throws Exception {
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setMaxOutboundBytes(64 * 1024 * 1024).setPingTimeout(500);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    int port = node.gateway().actualPort();
    Socket sleeper = new Socket();
    sleeper.setReceiveBufferSize(16 * 1024);
    sleeper.setSoTimeout(WAIT_MS);
    sleeper.connect(new InetSocketAddress("127.0.0.1", port));
    try {
      sleeper.getOutputStream().write((Rpc.request(1, "rpc.login", new JsonObject().put("uid", "stuck")) + "\n")
        .getBytes(StandardCharsets.UTF_8));
      assertTrue(new BufferedReader(new InputStreamReader(sleeper.getInputStream(), StandardCharsets.UTF_8))
        .readLine().contains("\"result\""));
      // More than the kernel buffers hold, less than the cap: the gateway keeps some of it queued.
      Clients clients = Clients.create(vertx);
      for (int i = 0; i < 300; i++) {
        clients.notify("stuck", "news", new JsonObject().put("text", TEXT));
      }
      try (TestClient newer = new TestClient(port, Framing.LINE)) {
        Rpc.login(newer, "stuck");
        long t0 = System.nanoTime();
        assertTrue(Poll.until(vertx, WAIT_MS, () -> node.connectionCount() == 1),
          "connections open: " + node.connectionCount());
        System.out.printf("FIGURE a replaced client that does not read was cut %d ms after the newer login%n",
          (System.nanoTime() - t0) / 1_000_000);
      }
    } finally {
      sleeper.close();
    }
  }

  private static String metrics(BusRpcVerticle node) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + node.management().actualPort() + "/metrics")).timeout(TestDefaults.WAIT).build(), HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
