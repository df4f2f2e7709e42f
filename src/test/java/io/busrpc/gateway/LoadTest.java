package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Correctness under load, on real sockets: many pipelined calls on one connection and many
 * connections at once. Nothing here asserts timings; every call must be answered exactly once with
 * the right result.
 */
@ExtendWith(VertxExtension.class)
class LoadTest {


  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    LoadTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
  }

  /**
   * 20,000 calls written without waiting for answers. A background thread writes them in chunks
   * while this thread reads, so neither side's socket buffers can deadlock the other.
   */
  @ParameterizedTest
  @EnumSource(Framing.class)
  void twentyThousandPipelinedCallsOnOneConnection(Framing framing) throws Exception {
    int calls = 20_000;
    try (TestClient client = new TestClient(port, framing)) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          ByteArrayOutputStream chunk = new ByteArrayOutputStream();
          for (int i = 0; i < calls; i++) {
            String call = "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[" + i + ",1],\"id\":" + i + "}";
            chunk.writeBytes(framing.encode(Buffer.buffer(call)).getBytes());
            if (chunk.size() > 32 * 1024 || i == calls - 1) {
              client.sendRaw(chunk.toByteArray());
              chunk.reset();
            }
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      boolean[] answered = new boolean[calls];
      for (int n = 0; n < calls; n++) {
        JsonNode answer = MAPPER.readTree(client.receive());
        int id = answer.path("id").asInt(-1);
        assertTrue(id >= 0 && id < calls, "unknown id: " + answer);
        assertFalse(answered[id], "answered twice: " + answer);
        answered[id] = true;
        assertEquals(id + 1, answer.path("result").asInt(), answer.toString());
      }
      writer.get(30, TimeUnit.SECONDS);
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":0}",
        client.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":0}"),
        "nothing but the 20,000 answers came before the pong");
    }
  }

  /** 500 connections open together; each makes a call and gets its own answer. */
  @Test
  void fiveHundredConnectionsAtOnce() throws Exception {
    int connections = 500;
    Framing[] framings = Framing.values();
    List<TestClient> clients = new ArrayList<>(connections);
    try {
      for (int i = 0; i < connections; i++) {
        clients.add(new TestClient(port, framings[i % framings.length]));
      }
      for (int i = 0; i < connections; i++) {
        clients.get(i).send("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"minuend\":" + i
          + ",\"subtrahend\":1},\"id\":\"c" + i + "\"}");
      }
      for (int i = 0; i < connections; i++) {
        JsonNode answer = MAPPER.readTree(clients.get(i).receive());
        assertEquals("c" + i, answer.path("id").asText(), answer.toString());
        assertEquals(i - 1, answer.path("result").asInt(), answer.toString());
      }
    } finally {
      for (TestClient client : clients) {
        client.close();
      }
    }
  }
}
