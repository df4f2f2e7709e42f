package io.busrpc.gateway.impl;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections over the limits are refused at the acceptor, whatever their transport: no session,
 * one -32009 answer, then the close; one that sends nothing is closed by the sweep.
 */
@ExtendWith(VertxExtension.class)
class RefusedConnectionTest {

  private Vertx vertx;
  private InMemoryGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    gateway = InMemoryGateway.start(vertx, new GatewayOptions().setMaxConnections(1).setPublicMethods(List.of("*")));
  }

  @Test
  void theConnectionOverTheLimitGetsOneRefusalAndIsClosed() throws Exception {
    InMemoryTransport first = gateway.connect();
    InMemoryTransport second = gateway.connect();
    second.send(Rpc.PING);
    JsonObject refusal = (JsonObject) second.next();
    assertEquals(ErrorCode.TOO_MANY_CONNECTIONS.code(), refusal.getJsonObject("error").getInteger("code"), refusal::encode);
    assertTrue(Poll.until(vertx, 5_000, second::ended));
    first.send(Rpc.PING);
    assertEquals(new JsonObject(Rpc.PONG), first.next(), "the connection within the limit is served");
    assertFalse(first.ended());
  }

  @Test
  void aSilentRefusedConnectionLingersASecondThenClosesAndIsCutOffAfterThePingTimeoutIfItDoesNotRead() {
    long t0 = 1_000_000_000L;
    InMemoryTransport silent = new InMemoryTransport(gateway.context());
    long pingTimeout = 2_000_000_000L;
    RefusedConnection refused = new RefusedConnection(silent, t0, pingTimeout, () -> { });
    refused.sweep(t0 + 1_000_000_000L);
    assertFalse(silent.ended(), "a second to send its first message");
    refused.sweep(t0 + 1_000_000_001L);
    assertTrue(silent.ended());
    assertFalse(silent.aborted(), "closed after what was written");
    refused.sweep(t0 + 1_000_000_001L + pingTimeout);
    assertFalse(silent.aborted(), "pingTimeout to read it");
    refused.sweep(t0 + 1_000_000_002L + pingTimeout);
    assertTrue(silent.aborted(), "a client that does not read its close is cut off");
  }

  @Test
  void aRefusedConnectionThatSendsNothingIsClosedBySweep() {
    gateway.connect();
    InMemoryTransport silent = gateway.connect();
    assertEquals(2, gateway.acceptor().size(), "kept until closed");
    // The sweep closes it once it has lingered for a second.
    assertTrue(Poll.until(vertx, 5_000, () -> {
      gateway.onContext(() -> {
        gateway.acceptor().sweep();
        return Future.succeededFuture();
      });
      return silent.ended();
    }));
    assertTrue(Poll.until(vertx, 5_000, () -> gateway.acceptor().size() == 1));
  }
}
