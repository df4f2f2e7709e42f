package io.busrpc.gateway.impl;

import io.busrpc.bus.Codecs;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.testing.Poll;
import io.busrpc.testing.Rpc;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.function.Supplier;

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
  private Context context;
  private ConnectionAcceptor acceptor;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    Codecs.register(vertx);
    context = vertx.getOrCreateContext();
    GatewayOptions options = new GatewayOptions().setMaxConnections(1).setPublicMethods(List.of("*"));
    acceptor = onContext(() -> {
      ConnectionAcceptor created = new ConnectionAcceptor(vertx, options);
      return created.start().map(created);
    });
  }

  private <T> T onContext(Supplier<Future<T>> work) {
    Promise<T> outcome = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(outcome));
    return Rpc.await(outcome.future());
  }

  private InMemoryTransport connect() {
    InMemoryTransport transport = new InMemoryTransport(context);
    onContext(() -> {
      acceptor.accept(transport);
      return Future.succeededFuture();
    });
    return transport;
  }

  @Test
  void theConnectionOverTheLimitGetsOneRefusalAndIsClosed() throws Exception {
    InMemoryTransport first = connect();
    InMemoryTransport second = connect();
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
    InMemoryTransport silent = new InMemoryTransport(context);
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
    connect();
    InMemoryTransport silent = connect();
    assertEquals(2, acceptor.size(), "kept until closed");
    // The sweep closes it once it has lingered for a second.
    assertTrue(Poll.until(vertx, 5_000, () -> {
      onContext(() -> {
        acceptor.sweep();
        return Future.succeededFuture();
      });
      return silent.ended();
    }));
    assertTrue(Poll.until(vertx, 5_000, () -> acceptor.size() == 1));
  }
}
