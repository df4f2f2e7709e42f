package io.busrpc.gateway;

import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    port = TestNode.start(vertx, TestNode.demoOptions());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void sum() throws Exception {
    try (TestClient c = new TestClient(port, Framing.LINE)) {
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":7,\"id\":\"x\"}", c.call("{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"x\"}"));
    }
  }
}
