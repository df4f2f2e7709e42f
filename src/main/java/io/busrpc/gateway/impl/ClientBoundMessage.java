package io.busrpc.gateway.impl;

import io.busrpc.bus.Headers;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A call or notification for a client, as it arrives at the client address: its method, its params
 * as JSON text, whether they came as such, and how long the caller waits. Two forms: {@code Clients}
 * sends the params as bytes (the raw JSON codec, empty for no params) with the method in the
 * {@link Headers#METHOD} header, and the bytes go to the client as they are; the plain bus sends
 * {@code {"method": ..., "params": ...}}.
 */
record ClientBoundMessage(String method, Buffer params, boolean raw, String timeoutHeader) {

  /** @throws RpcException -32600 or -32602 when the message is neither form */
  static ClientBoundMessage of(Message<Object> message) {
    Object body = message.body();
    String timeout = message.headers().get(Headers.TIMEOUT);
    if (body instanceof Buffer json) {
      String method = message.headers().get(Headers.METHOD);
      if (method == null || method.isEmpty()) {
        throw new RpcException(ErrorCode.INVALID_REQUEST, "a call to a client in bytes names its method in the " + Headers.METHOD + " header");
      }
      if (json.length() == 0) {
        return new ClientBoundMessage(method, null, true, timeout);
      }
      // Not parsed: the first byte only tells params from something else sent by mistake.
      byte first = json.getByte(0);
      if (first != '[' && first != '{') {
        throw new RpcException(ErrorCode.INVALID_PARAMS, "params must be an array or an object");
      }
      return new ClientBoundMessage(method, json, true, timeout);
    }
    if (!(body instanceof JsonObject json) || !(json.getValue("method") instanceof String method)) {
      throw new RpcException(ErrorCode.INVALID_REQUEST, "a call to a client is {\"method\": ..., \"params\": ...}");
    }
    Object params = json.getValue("params");
    if (params != null && !(params instanceof JsonArray) && !(params instanceof JsonObject)) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params must be an array or an object");
    }
    return new ClientBoundMessage(method, params == null ? null : JsonRpcWriter.encodeValue(params), false, timeout);
  }

  /** @return the gateway's call timeout, or the caller's when it waits less */
  long timeout(long callTimeout) {
    try {
      return timeoutHeader == null ? callTimeout : Math.max(1, Math.min(callTimeout, Long.parseLong(timeoutHeader)));
    } catch (NumberFormatException e) {
      return callTimeout;
    }
  }
}
