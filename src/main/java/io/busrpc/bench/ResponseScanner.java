package io.busrpc.bench;

import io.vertx.core.buffer.Buffer;

/**
 * Finds, without building any JSON tree, what the load generator needs from an answer: the id of
 * the call it answers and whether it is an error.
 *
 * <p>The scanner walks the top-level members of the object, skipping values structurally (strings
 * with their escapes, nested objects and arrays), so member order does not matter and a result that
 * contains an {@code "id"} of its own cannot be mistaken for the answer's id. It is correct for
 * every well-formed answer to the tool's own requests (numeric ids); anything else is reported as
 * {@link #kind()} {@code OTHER}.
 *
 * <ul>
 *   <li>JSON-RPC: {@code id} must be a non-negative integer; an {@code error} member makes it an
 *       error answer; a {@code method} member makes it a request or notification from the server
 *       (kind {@code OTHER}).</li>
 *   <li>Bridge: {@code "type":"message"} or {@code "type":"err"}; the id is the decimal
 *       {@code address} (the reply address the tool sent).</li>
 * </ul>
 *
 * <p>Not thread-safe: one per connection.
 */
final class ResponseScanner {

  /** What an answer turned out to be. */
  enum Kind { RESULT, ERROR, OTHER }

  private static final byte[] ID = {'i', 'd'};
  private static final byte[] RESULT = {'r', 'e', 's', 'u', 'l', 't'};
  private static final byte[] ERROR = {'e', 'r', 'r', 'o', 'r'};
  private static final byte[] METHOD = {'m', 'e', 't', 'h', 'o', 'd'};
  private static final byte[] TYPE = {'t', 'y', 'p', 'e'};
  private static final byte[] ADDRESS = {'a', 'd', 'd', 'r', 'e', 's', 's'};
  private static final byte[] MESSAGE = {'m', 'e', 's', 's', 'a', 'g', 'e'};
  private static final byte[] ERR = {'e', 'r', 'r'};

  private final boolean bridge;
  private Buffer buf;
  private int end;
  private long id;
  private Kind kind;

  ResponseScanner(boolean bridge) {
    this.bridge = bridge;
  }

  /** @return the id of the last scanned answer, or -1 when it had none the tool could have sent */
  long id() {
    return id;
  }

  /** @return the kind of the last scanned answer */
  Kind kind() {
    return kind;
  }

  /**
   * Scans one frame's JSON text.
   *
   * @return the kind; {@link #id()} holds the id
   */
  Kind scan(Buffer frame) {
    buf = frame;
    end = frame.length();
    id = -1;
    kind = Kind.OTHER;
    try {
      walk();
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      kind = Kind.OTHER;
      id = -1;
    }
    buf = null;
    return kind;
  }

  private void walk() {
    int i = ws(0);
    if (buf.getByte(i) != '{') {
      return;
    }
    boolean hasResult = false;
    boolean hasError = false;
    boolean hasMethod = false;
    boolean typeMessage = false;
    boolean typeErr = false;
    i = ws(i + 1);
    if (buf.getByte(i) == '}') {
      return;
    }
    while (true) {
      if (buf.getByte(i) != '"') {
        throw new IllegalStateException();
      }
      int keyStart = i + 1;
      i = skipString(i);
      int keyEnd = i - 1;
      i = ws(i);
      if (buf.getByte(i) != ':') {
        throw new IllegalStateException();
      }
      i = ws(i + 1);
      if (bridge) {
        if (is(keyStart, keyEnd, TYPE)) {
          if (buf.getByte(i) == '"') {
            int next = skipString(i);
            typeMessage = is(i + 1, next - 1, MESSAGE);
            typeErr = is(i + 1, next - 1, ERR);
            i = next;
          } else {
            i = skipValue(i);
          }
        } else if (is(keyStart, keyEnd, ADDRESS) && buf.getByte(i) == '"') {
          int next = skipString(i);
          id = digits(i + 1, next - 1);
          i = next;
        } else {
          i = skipValue(i);
        }
      } else {
        if (is(keyStart, keyEnd, ID)) {
          byte b = buf.getByte(i);
          if (b >= '0' && b <= '9') {
            int next = skipValue(i);
            id = digits(i, next);
            i = next;
          } else {
            i = skipValue(i);
          }
        } else {
          if (is(keyStart, keyEnd, RESULT)) {
            hasResult = true;
          } else if (is(keyStart, keyEnd, ERROR)) {
            hasError = true;
          } else if (is(keyStart, keyEnd, METHOD)) {
            hasMethod = true;
          }
          i = skipValue(i);
        }
      }
      i = ws(i);
      byte b = buf.getByte(i);
      if (b == '}') {
        break;
      }
      if (b != ',') {
        throw new IllegalStateException();
      }
      i = ws(i + 1);
    }
    if (bridge) {
      kind = typeMessage ? Kind.RESULT : typeErr ? Kind.ERROR : Kind.OTHER;
    } else if (hasMethod || hasResult == hasError) {
      kind = Kind.OTHER;
    } else {
      kind = hasError ? Kind.ERROR : Kind.RESULT;
    }
    if (id < 0) {
      kind = Kind.OTHER;
    }
  }

  /** Parses [from, to) as a non-negative decimal long; -1 if it is not one. */
  private long digits(int from, int to) {
    if (to <= from || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int k = from; k < to; k++) {
      byte b = buf.getByte(k);
      if (b < '0' || b > '9') {
        return -1;
      }
      v = v * 10 + (b - '0');
    }
    return v;
  }

  private boolean is(int from, int to, byte[] word) {
    if (to - from != word.length) {
      return false;
    }
    for (int k = 0; k < word.length; k++) {
      if (buf.getByte(from + k) != word[k]) {
        return false;
      }
    }
    return true;
  }

  private int ws(int i) {
    while (i < end) {
      byte b = buf.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return i;
      }
      i++;
    }
    throw new IllegalStateException();
  }

  /** @param i the index of the opening quote; returns the index after the closing quote */
  private int skipString(int i) {
    i++;
    while (true) {
      byte b = buf.getByte(i);
      if (b == '"') {
        return i + 1;
      }
      i += b == '\\' ? 2 : 1;
    }
  }

  /** @return the index just after the value starting at {@code i} */
  private int skipValue(int i) {
    byte b = buf.getByte(i);
    if (b == '"') {
      return skipString(i);
    }
    if (b == '{' || b == '[') {
      int depth = 0;
      while (true) {
        b = buf.getByte(i);
        if (b == '"') {
          i = skipString(i);
          continue;
        }
        if (b == '{' || b == '[') {
          depth++;
        } else if (b == '}' || b == ']') {
          if (--depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
    }
    while (i < end) {
      b = buf.getByte(i);
      if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        return i;
      }
      i++;
    }
    return i;
  }
}
