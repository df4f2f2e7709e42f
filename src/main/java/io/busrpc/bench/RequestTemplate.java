package io.busrpc.bench;

import io.busrpc.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * Pre-encodes the one request the load generator sends over and over, so that a call costs one
 * buffer copy and the digits of its id. The id comes last in the JSON text: everything before and
 * after it is fixed bytes.
 *
 * <p>JSON-RPC: {@code {"jsonrpc":"2.0","method":M,"params":P,"id":N}}. Bridge:
 * {@code {"type":"send","address":A,"body":P,"replyAddress":"N"}}, where A is
 * {@code Addresses.DEFAULT.method(M)}, the address busrpc's handlers of M consume.
 */
final class RequestTemplate {

  private final Wire wire;
  private final byte[] head;
  private final byte[] tail;
  /** LSP headers by the number of digits of the id (1..19): the only part of the length that varies. */
  private final byte[][] lspHeaders = new byte[20][];

  /**
   * @param params the params as compact JSON text (no newline), or null for none
   */
  RequestTemplate(Wire wire, String method, String params) {
    this.wire = wire;
    String m = Json.encode(method);
    String h;
    String t;
    if (wire == Wire.BRIDGE) {
      h = "{\"type\":\"send\",\"address\":" + Json.encode(Addresses.DEFAULT.method(method))
        + (params == null ? "" : ",\"body\":" + params) + ",\"replyAddress\":\"";
      t = "\"}";
    } else {
      h = "{\"jsonrpc\":\"2.0\",\"method\":" + m + (params == null ? "" : ",\"params\":" + params) + ",\"id\":";
      t = "}";
    }
    head = h.getBytes(StandardCharsets.UTF_8);
    tail = t.getBytes(StandardCharsets.UTF_8);
    if (wire == Wire.LINE && (contains(head, (byte) '\n'))) {
      throw new IllegalArgumentException("params must not contain a newline for line framing");
    }
    for (int d = 1; d < lspHeaders.length; d++) {
      int length = head.length + d + tail.length;
      lspHeaders[d] = ("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** @return the framed request with the given id (non-negative), ready to write */
  Buffer encode(long id) {
    int digits = digits(id);
    int json = head.length + digits + tail.length;
    Buffer out;
    switch (wire) {
      case LEN, BRIDGE -> {
        out = Buffer.buffer(4 + json);
        out.appendInt(json);
      }
      case LINE -> out = Buffer.buffer(json + 1);
      case WS -> out = Buffer.buffer(json);
      case LSP -> {
        byte[] header = lspHeaders[digits];
        out = Buffer.buffer(header.length + json);
        out.appendBytes(header);
      }
      default -> throw new AssertionError(wire);
    }
    out.appendBytes(head);
    appendDigits(out, id, digits);
    out.appendBytes(tail);
    if (wire == Wire.LINE) {
      out.appendByte((byte) '\n');
    }
    return out;
  }

  static int digits(long v) {
    int n = 1;
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  private static void appendDigits(Buffer out, long v, int digits) {
    int start = out.length();
    for (int i = 0; i < digits; i++) {
      out.appendByte((byte) '0');
    }
    for (int i = start + digits - 1; i >= start; i--) {
      out.setByte(i, (byte) ('0' + (v % 10)));
      v /= 10;
    }
  }

  private static boolean contains(byte[] bytes, byte b) {
    for (byte x : bytes) {
      if (x == b) {
        return true;
      }
    }
    return false;
  }
}
