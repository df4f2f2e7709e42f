package io.busrpc.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;

import java.math.BigDecimal;
import java.util.List;

/**
 * The methods of the JSON-RPC 2.0 specification's examples section, plus {@code echo}. The demo
 * configuration deploys it; {@code foobar} deliberately does not exist.
 */
public class SpecExamplesVerticle extends RpcVerticle {

  private static final int MAX_SCALE = 1000;

  /** {@code subtract [42, 23]} or {@code {"minuend": 42, "subtrahend": 23}} → 19. */
  @RpcMethod(summary = "minuend - subtrahend",
    description = "The specification's first example: `[42, 23]` or `{\"minuend\": 42, \"subtrahend\": 23}` gives 19.")
  public long subtract(long minuend, long subtrahend) {
    return minuend - subtrahend;
  }

  /** {@code sum [1, 2, 4]} → 7: any number of numbers. */
  @RpcMethod(summary = "The sum of any number of numbers",
    description = "`[1, 2, 4]` gives 7 (by position, each number one param), as does `{\"values\": [1, 2, 4]}`. "
      + "Exponents are limited to 1000.")
  public BigDecimal sum(BigDecimal... values) {
    BigDecimal total = BigDecimal.ZERO;
    for (BigDecimal value : values) {
      if (value == null) {
        throw new RpcException(ErrorCode.INVALID_PARAMS, "sum takes numbers, not null");
      }
      // 1e-5000000 + 1 has five million digits: bound the exponent so one call cannot hog the loop.
      if (Math.abs(value.scale()) > MAX_SCALE) {
        throw new RpcException(ErrorCode.INVALID_PARAMS, "sum takes numbers with exponents up to " + MAX_SCALE);
      }
      total = total.add(value);
    }
    return total;
  }

  /** {@code get_data} → {@code ["hello", 5]}. */
  @RpcMethod(value = "get_data", summary = "Always [\"hello\", 5]", description = "A fixed answer of mixed types.")
  public List<Object> getData() {
    return List.of("hello", 5);
  }

  /** {@code update [1, 2, 3, 4, 5]}: the specification sends it as a notification. */
  @RpcMethod(summary = "Takes any number of integers and answers \"updated\"",
    description = "The specification sends it as a notification, `[1, 2, 3, 4, 5]`; nothing is stored.")
  public String update(int... values) {
    return "updated";
  }

  /** {@code notify_hello [7]}: a notification in the specification. */
  @RpcMethod(value = "notify_hello", summary = "Answers \"hello <value>\"",
    description = "The specification sends it as a notification, `[7]`.")
  public String notifyHello(int value) {
    return "hello " + value;
  }

  /** {@code notify_sum [1, 2, 4]}: a notification in the specification; as a call it sums. */
  @RpcMethod(value = "notify_sum", summary = "Like sum",
    description = "The specification sends it as a notification, `[1, 2, 4]`; called, it answers the sum.")
  public BigDecimal notifySum(BigDecimal... values) {
    return sum(values);
  }

  /** {@code echo [value]} → value, unchanged. */
  @RpcMethod(summary = "Answers its param unchanged", description = "`[\"x\"]` gives `\"x\"`; any JSON value.")
  public JsonNode echo(JsonNode value) {
    return value;
  }
}
