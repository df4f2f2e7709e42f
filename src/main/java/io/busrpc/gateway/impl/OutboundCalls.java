package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The calls the server makes to one client: ids from the connection's own sequence, the answers
 * matched back by id, a bound on how many wait at once and a timeout for each.
 */
final class OutboundCalls {

  private final Consumer<Buffer> writer;
  private final int maxPending;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long sequence;

  private record Pending(Promise<Buffer> promise, long deadline, long timeout) {
  }

  OutboundCalls(Consumer<Buffer> writer, int maxPending) {
    this.writer = writer;
    this.maxPending = maxPending;
  }

  /**
   * Sends a request to the client.
   *
   * @return the client's result as JSON text; fails with the client's error, with the timeout code
   *     when it does not answer in time, or with the too-many-pending code
   */
  Future<Buffer> call(String method, Buffer params, long timeout) {
    if (pending.size() >= maxPending) {
      return Future.failedFuture(new RpcException(ErrorCode.TOO_MANY_PENDING_CALLS,
        "the client already has " + maxPending + " calls waiting for answers"));
    }
    long id = ++sequence;
    Promise<Buffer> promise = Promise.promise();
    // No timer per call: the gateway's periodic sweep times calls out (see sweep).
    pending.put(id, new Pending(promise, System.nanoTime() + timeout * 1_000_000, timeout));
    writer.accept(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, params));
    return promise.future();
  }

  /** Completes the call a response from the client answers; responses to unknown ids are dropped. */
  void onResponse(JsonRpcMessage response) {
    Long id = idOf(response.id());
    Pending call = id == null ? null : pending.remove(id);
    if (call == null) {
      return;
    }
    if (response.error() != null) {
      call.promise().fail(toException(response.error()));
    } else {
      call.promise().complete(response.result());
    }
  }

  /** Fails the calls whose answer is overdue; called by the gateway's periodic sweep. */
  void sweep(long now) {
    List<Pending> expired = null;
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending call = it.next();
      if (now - call.deadline() > 0) {
        it.remove();
        (expired == null ? expired = new ArrayList<>() : expired).add(call);
      }
    }
    if (expired != null) {
      expired.forEach(call -> call.promise().fail(new RpcException(ErrorCode.TIMEOUT,
        "the client did not answer within " + call.timeout() + " ms")));
    }
  }

  /** Fails every waiting call, e.g. with "client offline" when the connection goes away. */
  void failAll(RpcException failure) {
    List<Pending> calls = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending call : calls) {
      call.promise().fail(failure);
    }
  }

  private static Long idOf(Buffer id) {
    try {
      return id == null ? null : Long.parseLong(id.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The client's error object, with its code, message and data kept. */
  private static RpcException toException(Buffer error) {
    try {
      JsonObject json = (JsonObject) Json.decodeValue(error);
      Object code = json.getValue("code");
      Object message = json.getValue("message");
      return new RpcException(code instanceof Number n ? n.intValue() : ErrorCode.INTERNAL_ERROR.code(),
        message instanceof String s ? s : "", json.getValue("data"));
    } catch (DecodeException | ClassCastException e) {
      return new RpcException(ErrorCode.INTERNAL_ERROR, "the client sent an unreadable error");
    }
  }
}
