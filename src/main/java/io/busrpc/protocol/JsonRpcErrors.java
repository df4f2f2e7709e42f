package io.busrpc.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Reads the error objects of JSON-RPC responses sent by the other party. */
public final class JsonRpcErrors {

  private JsonRpcErrors() {
  }

  /**
   * Reads an error object as the other party sent it, whatever its types: a code that is not an
   * integer in the int range becomes -32603, a message that is not a string becomes empty, and
   * {@code data} is kept as it is.
   *
   * @param error the JSON text of the {@code error} member
   * @return the error; an error that is not a JSON object at all is -32603 "unreadable error"
   */
  public static RpcException read(Buffer error) {
    Object decoded;
    try {
      decoded = error == null ? null : Json.decodeValue(error);
    } catch (DecodeException e) {
      decoded = null;
    }
    if (!(decoded instanceof JsonObject json)) {
      return new RpcException(ErrorCode.INTERNAL_ERROR, "the other party sent an unreadable error");
    }
    Object code = json.getValue("code");
    Object message = json.getValue("message");
    return new RpcException(isInt(code) ? ((Number) code).intValue() : ErrorCode.INTERNAL_ERROR.code(),
      message instanceof String s ? s : "", json.getValue("data"));
  }

  private static boolean isInt(Object code) {
    if (!(code instanceof Number n)) {
      return false;
    }
    double value = n.doubleValue();
    return value == Math.rint(value) && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
  }
}
