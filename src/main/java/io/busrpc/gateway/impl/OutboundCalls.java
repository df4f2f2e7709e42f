package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcErrors;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.PendingCalls;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the server sends to one client: its calls (ids from the connection's own table, the answers
 * matched back by id, a bound on how many wait at once and a timeout for each), its notifications
 * and the notice of a replacement. This is the {@link ClientLink} a {@link Session} uses.
 */
final class OutboundCalls implements ClientLink {

  private final Consumer<Buffer> writer;
  private final Consumer<Buffer> pingWriter;
  private final Runnable end;
  private final int maxPending;
  // The ids of the gateway's rpc.ping requests waiting for answers: a resumable session counts neither.
  private final Set<Long> pings = new HashSet<>();
  private final PendingCalls<Buffer> pending = new PendingCalls<>(timeout -> new RpcException(ErrorCode.TIMEOUT,
    "the client did not answer within " + timeout + " ms"));

  /**
   * @param writer     writes one JSON text to the client
   * @param pingWriter writes an {@code rpc.ping} request to the client, not counted for resume
   * @param end        closes the connection once what was written is sent
   */
  OutboundCalls(Consumer<Buffer> writer, Consumer<Buffer> pingWriter, Runnable end, int maxPending) {
    this.writer = writer;
    this.pingWriter = pingWriter;
    this.end = end;
    this.maxPending = maxPending;
  }

  /**
   * Sends a request to the client.
   *
   * @return the client's result as JSON text; fails with the client's error, with the timeout code
   *     when it does not answer in time, or with the too-many-pending code
   */
  @Override
  public Future<Buffer> call(String method, Buffer params, long timeout) {
    if (pending.size() >= maxPending) {
      return Future.failedFuture(new RpcException(ErrorCode.TOO_MANY_PENDING_CALLS,
        "the client already has " + maxPending + " calls waiting for answers"));
    }
    Promise<Buffer> promise = Promise.promise();
    // No timer per call: the gateway's periodic sweep times calls out (see sweep).
    long id = pending.register(promise, timeout, null);
    writer.accept(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, params));
    return promise.future();
  }

  /**
   * Sends an {@code rpc.ping} request.
   *
   * @return completes with the client's answer; fails as {@link #call} does (without sending
   *     anything when the client has {@code maxPendingClientCalls} calls waiting)
   */
  Future<Buffer> ping(long timeout) {
    if (pending.size() >= maxPending) {
      // The slots are the server's calls': no ping now, and no reason to close the client.
      return Future.failedFuture(new RpcException(ErrorCode.TOO_MANY_PENDING_CALLS,
        "the client already has " + maxPending + " calls waiting for answers"));
    }
    Promise<Buffer> promise = Promise.promise();
    long id = pending.register(promise, timeout, null);
    pings.add(id);
    pingWriter.accept(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), "rpc.ping", null));
    return promise.future().andThen(ar -> pings.remove(id));
  }

  /** @return true when {@code response} answers a ping of the gateway that is still waiting */
  boolean isPingAnswer(JsonRpcMessage response) {
    return pings.contains(PendingCalls.idOf(response.id()));
  }

  @Override
  public void notify(String method, Buffer params) {
    writer.accept(JsonRpcWriter.request(null, method, params));
  }

  @Override
  public void replaced(String reason) {
    notify("rpc.replaced", new JsonObject().put("reason", reason).toBuffer());
    end.run(); // once the notification is written
  }

  @Override
  public void offline() {
    failAll(new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
  }

  /** Completes the call a response from the client answers; responses to unknown ids are dropped. */
  void onResponse(JsonRpcMessage response) {
    long id = PendingCalls.idOf(response.id());
    if (response.error() != null) {
      pending.fail(id, toException(response.error()));
    } else {
      pending.complete(id, response.result());
    }
  }

  /** Fails the calls whose answer is overdue; called by the gateway's periodic sweep. */
  void sweep(long now) {
    pending.sweep(now);
  }

  /** Fails every waiting call, e.g. with "client offline" when the connection goes away. */
  void failAll(RpcException failure) {
    pending.failAll(failure);
  }

  /**
   * The client's error object, with its code, message and data kept; an error with a reserved code
   * becomes {@link ErrorCode#CLIENT_RESERVED_ERROR} with the client's error object as data.
   */
  private static RpcException toException(Buffer error) {
    Object decoded;
    try {
      decoded = error == null ? null : Json.decodeValue(error);
    } catch (DecodeException e) {
      decoded = null;
    }
    if (decoded instanceof JsonObject json && json.getValue("code") instanceof Number code
      && code.doubleValue() >= -32768 && code.doubleValue() <= -32000) {
      // Server code must be able to trust that -32000 is the gateway's timeout, -32003 its
      // "offline", and so on: a client's use of these codes is passed on as what it is.
      return new RpcException(ErrorCode.CLIENT_RESERVED_ERROR.code(), ErrorCode.CLIENT_RESERVED_ERROR.message(), json);
    }
    return JsonRpcErrors.read(error);
  }

}
