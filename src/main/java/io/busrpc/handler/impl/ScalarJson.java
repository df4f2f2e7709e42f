package io.busrpc.handler.impl;

import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reads the commonest small answers of clients, {@code true}, {@code false}, {@code null} and integers,
 * without a JSON parser: setting one up costs more than the rest of a call's decoding; and writes
 * handlers' results of those kinds (and {@code BigDecimal}s) without a JSON generator, as
 * busrpc's mapper would. Gives the
 * values Vert.x's {@code Json.decodeValue} gives (an {@code Integer} when the value fits, else a
 * {@code Long}); anything else is left to the parser.
 */
final class ScalarJson {

  /** Returned for JSON text this class does not read. */
  static final Object NOT_SCALAR = new Object();

  private static final int MAX_DIGITS = 18; // fits a long without overflow checks

  private ScalarJson() {
  }

  /**
   * @return the JSON text of a {@code null}, boolean, integral number or {@code BigDecimal} result,
   *     exactly as busrpc's Jackson mapper writes it; {@code null} for any other value
   */
  static Buffer write(Object value) {
    if (value == null) {
      return Buffer.buffer(4).appendString("null");
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
      || value instanceof Boolean || value instanceof BigInteger) {
      return Buffer.buffer(value.toString());
    }
    if (value instanceof BigDecimal decimal) {
      return Buffer.buffer(decimal.toString()); // Jackson's form unless WRITE_BIGDECIMAL_AS_PLAIN, which is off
    }
    return null;
  }

  /** @return the value of {@code json}, or {@link #NOT_SCALAR} */
  static Object read(Buffer json) {
    int length = json.length();
    if (length == 0 || length > MAX_DIGITS + 1) {
      return NOT_SCALAR;
    }
    switch (json.getByte(0)) {
      case 't':
        return is(json, "true") ? Boolean.TRUE : NOT_SCALAR;
      case 'f':
        return is(json, "false") ? Boolean.FALSE : NOT_SCALAR;
      case 'n':
        return is(json, "null") ? null : NOT_SCALAR;
      default:
        return integer(json, length);
    }
  }

  private static Object integer(Buffer json, int length) {
    boolean negative = json.getByte(0) == '-';
    int start = negative ? 1 : 0;
    int digits = length - start;
    if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && json.getByte(start) == '0')) {
      return NOT_SCALAR; // leading zeros are not JSON: let the parser say so
    }
    long value = 0;
    for (int i = start; i < length; i++) {
      byte b = json.getByte(i);
      if (b < '0' || b > '9') {
        return NOT_SCALAR;
      }
      value = value * 10 + (b - '0');
    }
    value = negative ? -value : value;
    return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
  }

  private static boolean is(Buffer json, String literal) {
    if (json.length() != literal.length()) {
      return false;
    }
    for (int i = 0; i < literal.length(); i++) {
      if (json.getByte(i) != literal.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
