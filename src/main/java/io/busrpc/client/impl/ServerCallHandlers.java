package io.busrpc.client.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The application's handlers of the server's calls and notifications, by method. */
final class ServerCallHandlers {

  private final Map<String, Function<Object, Object>> handlers = new ConcurrentHashMap<>();
  private volatile BiFunction<String, Object, Object> fallback;

  void register(String method, Function<Object, Object> handler) {
    handlers.put(method, handler);
  }

  void fallback(BiFunction<String, Object, Object> handler) {
    this.fallback = handler;
  }

  /** Runs the handler of {@code method}; the gateway's {@code rpc.ping} is answered here. */
  @SuppressWarnings("unchecked")
  Future<Object> invoke(String method, Buffer params) {
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
