package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;

import java.util.function.Consumer;

/**
 * Pings a client when its {@link Deadlines} say so: with the transport's own ping when it has one
 * (WebSocket ping frames), else with a JSON-RPC {@code rpc.ping} request; a client that stays
 * silent is closed.
 */
final class Liveness {

  private final SessionTransport transport;
  private final OutboundCalls outbound;
  private final Deadlines deadlines;
  private final long pingTimeout;
  private final Consumer<String> close;

  /** @param close closes the connection, for the reason given */
  Liveness(SessionTransport transport, OutboundCalls outbound, Deadlines deadlines, long pingTimeout,
           Consumer<String> close) {
    this.transport = transport;
    this.outbound = outbound;
    this.deadlines = deadlines;
    this.pingTimeout = pingTimeout;
    this.close = close;
  }

  /** Sends a ping now. */
  void ping(long now) {
    deadlines.pingSent(now);
    Future<?> answered = transport.pingsItself() ? transport.ping() : outbound.call("rpc.ping", null, pingTimeout);
    answered.onComplete(ar -> {
      deadlines.pingDone();
      // Only silence means dead: an error answer (-32601 from a peer without an rpc.ping handler,
      // as vscode-jsonrpc sends) proves the client is alive.
      if (ar.failed() && ar.cause() instanceof RpcException e && e.code() == ErrorCode.TIMEOUT.code()) {
        close.accept("no answer to ping");
      }
    });
  }
}
