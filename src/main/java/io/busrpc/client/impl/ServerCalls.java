package io.busrpc.client.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The server's calls and notifications to the client: the application's handlers by method, the
 * answers (counted, but for {@code rpc.ping}'s), and the gateway's own {@code rpc.ack}.
 */
final class ServerCalls {

  private final Map<String, Function<Object, Object>> handlers = new ConcurrentHashMap<>();
  private final Outbox outbox;
  private volatile BiFunction<String, Object, Object> fallback;

  ServerCalls(Outbox outbox) {
    this.outbox = outbox;
  }

  void register(String method, Function<Object, Object> handler) {
    handlers.put(method, handler);
  }

  void fallback(BiFunction<String, Object, Object> handler) {
    this.fallback = handler;
  }

  /** Runs the handler of the request, and answers it if it is a call. */
  void handle(JsonRpcMessage request) {
    Buffer id = request.id();
    if (id == null && "rpc.ack".equals(request.method())) {
      outbox.session().acknowledged(Counting.ackedSeq(request.params()));
      return;
    }
    Future<Object> result = invoke(request.method(), request.params());
    if (id == null) {
      return;
    }
    boolean ping = "rpc.ping".equals(request.method());
    result.onComplete(ar -> {
      Buffer answer = ar.succeeded() ? JsonRpcWriter.result(id, JsonRpcWriter.encodeValue(ar.result()))
        : JsonRpcWriter.error(id, ar.cause() instanceof RpcException rpc ? rpc : new RpcException(ErrorCode.INTERNAL_ERROR));
      if (ping) {
        outbox.sendUncounted(answer); // it answers this connection's liveness check only
      } else if (outbox.canSend()) {
        outbox.send(answer);
      }
    });
  }

  /** Runs the handler of {@code method}; the gateway's {@code rpc.ping} is answered here. */
  @SuppressWarnings("unchecked")
  private Future<Object> invoke(String method, Buffer params) {
    if (method.equals("rpc.ping")) {
      return Future.succeededFuture("pong");
    }
    Function<Object, Object> handler = handlers.get(method);
    BiFunction<String, Object, Object> fallbackHandler = fallback;
    if (handler == null && fallbackHandler == null) {
      return Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND));
    }
    try {
      Object decoded = params == null ? null : Json.decodeValue(params);
      Object result = handler != null ? handler.apply(decoded) : fallbackHandler.apply(method, decoded);
      return result instanceof Future<?> f ? (Future<Object>) f : Future.succeededFuture(result);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
