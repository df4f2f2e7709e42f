package io.busrpc.bench;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The reference servers' methods, with the demo's JSON-RPC semantics: {@code sum} of any numbers,
 * {@code subtract} by position or by name, {@code echo} of one value. Params and results are in
 * their Vert.x JSON form, as a plain event-bus consumer sees them.
 */
final class MathFunctions {

  /** The methods every reference server answers. */
  static final String[] METHODS = {"sum", "subtract", "echo"};

  private MathFunctions() {
  }

  /**
   * @param params a JsonArray, a JsonObject or null
   * @return the result in its Vert.x JSON form (Long, Double, String, JsonObject, ...)
   * @throws RpcException -32601 for another method, -32602 for params that do not fit
   */
  static Object call(String method, Object params) {
    switch (method) {
      case "sum" -> {
        if (!(params instanceof JsonArray values)) {
          throw new RpcException(ErrorCode.INVALID_PARAMS, "sum takes an array of numbers");
        }
        return add(values);
      }
      case "subtract" -> {
        Object a;
        Object b;
        if (params instanceof JsonArray array && array.size() == 2) {
          a = array.getValue(0);
          b = array.getValue(1);
        } else if (params instanceof JsonObject named) {
          a = named.getValue("minuend");
          b = named.getValue("subtrahend");
        } else {
          throw new RpcException(ErrorCode.INVALID_PARAMS, "subtract takes minuend and subtrahend");
        }
        if (!(a instanceof Number x) || !(b instanceof Number y)) {
          throw new RpcException(ErrorCode.INVALID_PARAMS, "subtract takes two numbers");
        }
        if (integral(x) && integral(y)) {
          return Math.subtractExact(x.longValue(), y.longValue());
        }
        return x.doubleValue() - y.doubleValue();
      }
      case "echo" -> {
        if (params instanceof JsonArray array && array.size() == 1) {
          return array.getValue(0);
        }
        if (params instanceof JsonObject named && named.size() == 1 && named.containsKey("value")) {
          return named.getValue("value");
        }
        throw new RpcException(ErrorCode.INVALID_PARAMS, "echo takes one value");
      }
      default -> throw new RpcException(ErrorCode.METHOD_NOT_FOUND, "Method not found: " + method);
    }
  }

  private static Object add(JsonArray values) {
    long total = 0;
    double doubles = 0;
    boolean anyDouble = false;
    for (int i = 0; i < values.size(); i++) {
      Object v = values.getValue(i);
      if (!(v instanceof Number n)) {
        throw new RpcException(ErrorCode.INVALID_PARAMS, "sum takes numbers, not " + v);
      }
      if (integral(n)) {
        total = Math.addExact(total, n.longValue());
      } else {
        anyDouble = true;
        doubles += n.doubleValue();
      }
    }
    return anyDouble ? (Object) (total + doubles) : (Object) total;
  }

  private static boolean integral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
  }
}
