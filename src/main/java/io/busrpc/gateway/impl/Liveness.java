package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;

import java.util.function.BiConsumer;

/**
 * Pings a client when its connection's {@link Deadlines} say so: with the transport's own ping when
 * it has one (WebSocket ping frames), else with a JSON-RPC {@code rpc.ping} request, which a
 * resumable session does not count; a connection that stays silent is closed.
 */
final class Liveness {

  private final OutboundCalls outbound;
  private final long pingTimeout;
  private final BiConsumer<Connection, String> close;

  /** @param close closes the connection, for the reason given, if the session still uses it */
  Liveness(OutboundCalls outbound, long pingTimeout, BiConsumer<Connection, String> close) {
    this.outbound = outbound;
    this.pingTimeout = pingTimeout;
    this.close = close;
  }

  /** Pings the client on {@code connection} now. */
  void ping(Connection connection, long now) {
    Deadlines deadlines = connection.deadlines();
    SessionTransport transport = connection.transport();
    deadlines.pingSent(now);
    Future<?> answered = transport.pingsItself() ? transport.ping() : outbound.ping(pingTimeout);
    answered.onComplete(ar -> {
      deadlines.pingDone();
      // Only silence means dead: an error answer (-32601 from a peer without an rpc.ping handler,
      // as vscode-jsonrpc sends) proves the client is alive.
      if (ar.failed() && ar.cause() instanceof RpcException e && e.code() == ErrorCode.TIMEOUT.code()) {
        close.accept(connection, Deadlines.NO_PING_ANSWER);
      }
    });
  }
}
