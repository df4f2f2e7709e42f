package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.bus.Addresses;
import io.busrpc.handler.Clients;
import io.busrpc.testing.Lines;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broadcast to thousands of logged-in sessions on one node: each gets it once, in order, and the
 * broadcast address has one consumer per gateway instance, not one per session (a consumer per
 * session made closing them all at once cost O(N²) on the event loop: docs/BENCHMARKS.md). The
 * consumers are counted through Vert.x's event-bus metrics SPI, a structural property instead of a
 * timing.
 */
class BroadcastFanoutTest {

  private static final int SESSIONS = 3_000;
  private static final int INSTANCES = 2;

  /** Vert.x's event-bus metrics, counting the consumers registered per address. */
  private static final class ConsumerCounts implements VertxMetrics {
    final Map<String, AtomicInteger> current = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> ever = new ConcurrentHashMap<>();

    @Override
    public EventBusMetrics<String> createEventBusMetrics() {
      return new EventBusMetrics<>() {
        @Override
        public String handlerRegistered(String address) {
          current.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
          ever.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
          return address;
        }

        @Override
        public void handlerUnregistered(String address) {
          current.get(address).decrementAndGet();
        }
      };
    }

    int current(String address) {
      AtomicInteger count = current.get(address);
      return count == null ? 0 : count.get();
    }

    int ever(String address) {
      AtomicInteger count = ever.get(address);
      return count == null ? 0 : count.get();
    }
  }

  private final ConsumerCounts consumers = new ConsumerCounts();
  private Vertx vertx;

  @BeforeEach
  void start() {
    // A Vert.x of its own, built with the counting metrics (VertxExtension's has none).
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)))
      .withMetrics(options -> consumers).build();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void everySessionGetsEachBroadcastOnceThroughOneConsumerPerGatewayInstance() throws Exception {
    BusRpcOptions options = TestNode.demoOptions();
    // No pings: a session reads only its login answer and the broadcasts.
    options.getGateway().setInstances(INSTANCES).setMaxConnectionsPerAddress(10_000).setPingInterval(0);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    int port = node.gateway().actualPort();
    String broadcast = Addresses.of(options.getGateway().getAddressPrefix()).broadcast();
    List<Socket> sockets = new ArrayList<>(SESSIONS);
    List<InputStream> inputs = new ArrayList<>(SESSIONS);
    try {
      for (int i = 0; i < SESSIONS; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        sockets.add(socket);
        inputs.add(new BufferedInputStream(socket.getInputStream()));
        socket.getOutputStream().write(("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":{\"uid\":\"fan" + i
          + "\"},\"id\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < SESSIONS; i++) {
        JsonNode answer = MAPPER.readTree(Lines.read(inputs.get(i)));
        assertEquals("fan" + i, answer.path("result").path("uid").asText(), answer.toString());
      }
      assertEquals(INSTANCES, consumers.current(broadcast),
        "consumers of the broadcast address with " + SESSIONS + " sessions logged in");

      Clients clients = Clients.create(vertx);
      clients.broadcast("news", List.of(1));
      clients.broadcast("news", List.of(2));
      // A last, different one: what comes before it is all a session got of the first two.
      clients.broadcast("end", List.of());
      for (int i = 0; i < SESSIONS; i++) {
        List<String> got = new ArrayList<>();
        for (String method = ""; !method.equals("end"); ) {
          JsonNode notification = MAPPER.readTree(Lines.read(inputs.get(i)));
          method = notification.path("method").asText();
          got.add(method + " " + notification.path("params"));
        }
        assertEquals(List.of("news [1]", "news [2]", "end []"), got, "session " + i);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    assertTrue(Poll.until(vertx, 60_000, () -> node.connectionCount() == 0), node.connectionCount() + " connections still open");
    assertTrue(Poll.until(vertx, 10_000, () -> consumers.current(broadcast) == 0), "the last session of each instance unregisters its consumer");
    assertEquals(INSTANCES, consumers.ever(broadcast),
      "consumers ever registered at the broadcast address by " + SESSIONS + " sessions");
  }

}
