package io.busrpc.gateway.impl;

import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * {@code rpc.resume {"token", "seq"}} as a new connection's first message (DESIGN §11): finds the
 * session the token names among the node's {@link ResumableSessions}, asks it, on its own event
 * loop, to take the connection over, and then hands the connection to it. The connection reads
 * nothing meanwhile. When the session refuses (-32010) the connection stays as it is, a fresh one
 * on which the client may log in; a failed attempt does nothing to the session.
 */
final class ResumeAttempt {

  /** How long the gateway instance that holds a session on another node may take to answer, in ms. */
  private static final long REMOTE_TIMEOUT = 5_000;

  private final SessionCore core;
  private final Connection connection;
  private final JsonRpcMessage request;

  /** @return the error of a resume that cannot be honoured */
  static RpcException expired(String reason) {
    return new RpcException(ErrorCode.SESSION_EXPIRED.code(), ErrorCode.SESSION_EXPIRED.message(), reason);
  }

  /**
   * @param core       the fresh session of the new connection
   * @param connection the new connection
   * @param request    its first message, {@code rpc.resume}
   */
  ResumeAttempt(SessionCore core, Connection connection, JsonRpcMessage request) {
    this.core = core;
    this.connection = connection;
    this.request = request;
  }

  /** Starts the attempt; {@code core} holds reading until it is over. */
  void start() {
    connection.updateReading();
    String token;
    long seq;
    try {
      JsonObject params = new JsonObject(request.params() == null ? Buffer.buffer("{}") : request.params());
      Object tokenValue = params.getValue("token");
      Object seqValue = params.getValue("seq");
      if (!(tokenValue instanceof String) || !(seqValue instanceof Integer || seqValue instanceof Long)
        || ((Number) seqValue).longValue() < 0) {
        throw new ClassCastException();
      }
      token = (String) tokenValue;
      seq = ((Number) seqValue).longValue();
    } catch (DecodeException | ClassCastException e) {
      fail(new RpcException(ErrorCode.INVALID_PARAMS.code(), ErrorCode.INVALID_PARAMS.message(),
        "rpc.resume takes {\"token\": string, \"seq\": whole number >= 0}"));
      return;
    }
    ResumeTokens.Parsed parsed = ResumeTokens.Parsed.of(token);
    SessionCore target = parsed == null ? null : core.services().resumables.get(parsed.connectionId());
    if (target == null && parsed != null && !parsed.instanceId().equals(core.services().instanceId)) {
      elsewhere(parsed, seq); // perhaps on another node
      return;
    }
    if (target == null || target == core) {
      fail(expired("the token is unknown, used or expired"));
      return;
    }
    RelayedTransport relay = new RelayedTransport(connection.transport(), core.context());
    String host = connection.transport().remoteHost();
    Buffer requestId = request.id();
    target.context().runOnContext(v -> {
      Future<Void> taken;
      try {
        taken = target.resumeSide().takeOver(parsed.secret(), seq, requestId, relay, host);
      } catch (RuntimeException e) {
        taken = Future.failedFuture(e);
      }
      taken.onComplete(ar -> core.context().runOnContext(w -> done(ar, relay)));
    });
  }

  /**
   * The session is not on this node: asks the gateway instance the token names, wherever it is, to
   * take the connection over through a {@link RemoteSession} relay. No answer (its node is gone) is
   * -32010.
   */
  private void elsewhere(ResumeTokens.Parsed parsed, long seq) {
    GatewayServices services = core.services();
    RemoteSession relay = new RemoteSession(services, connection.transport());
    JsonObject body = relay.info().put("connection", parsed.connectionId())
      .put("secret", new String(parsed.secret(), StandardCharsets.US_ASCII)).put("seq", seq).put("id", request.id().toString());
    relay.listen()
      .compose(v -> services.vertx.eventBus().<Object>request(services.addresses.internal("gateway." + parsed.instanceId()), body,
        new DeliveryOptions().addHeader(Headers.CONTROL, ControlMessage.RESUME.value()).setSendTimeout(REMOTE_TIMEOUT)))
      .onComplete(ar -> {
        Object reply = ar.succeeded() ? ar.result().body() : null;
        if (!(reply instanceof JsonObject json) || !(json.getValue("events") instanceof String events)) {
          relay.close();
          if (relay.instructed()) {
            // The session took the connection over (its answer to rpc.resume may be with the client
            // already), then its node went before its reply reached us: a -32010 now would be a second
            // answer. Close instead; the client resumes again and learns that the session is gone.
            connection.transport().abort();
            return;
          }
          fail(reply instanceof RpcException e ? e : expired("the session's node did not answer"));
          return;
        }
        relay.connected(events);
        connection.relayTo(relay);
        core.end().handedOver(); // the relay keeps this node's place in the connection limits until the connection closes
        if (connection.isClosed()) {
          relay.closed();
        } else {
          relay.writable();
        }
      });
  }

  private void done(AsyncResult<Void> taken, RelayedTransport relay) {
    if (taken.failed()) {
      fail(Forwarder.toRpcException(taken.cause()));
      return;
    }
    // The session owns the connection, and its place in the connection limits, from now on.
    connection.relayTo(relay);
    core.end().handedOver();
    if (connection.isClosed()) {
      relay.closed();
    } else {
      relay.writable(); // the session may start reading
    }
  }

  private void fail(RpcException error) {
    connection.send(JsonRpcWriter.error(request.id(), error), false);
    core.resumeFailed(connection);
  }
}
