package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed strings and buffers in the wire form of busrpc's call and answer codecs. A string
 * equal to one the reader passes as the previous is written as a length of {@value #SAME} alone: the
 * calls of a {@link CallBatch} mostly repeat each other's caller, reply address and method, so most
 * of them cost neither an encoding nor a new string.
 */
final class WireStrings {

  /** The length that stands for "the same string as the previous one". */
  static final int SAME = -2;

  private WireStrings() {
  }

  /** Appends the string as its UTF-8 length and bytes; {@code null} as length -1. */
  static void write(Buffer buffer, String value) {
    if (value == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  /** Appends the string, or {@link #SAME} alone when it equals {@code previous}. */
  static void write(Buffer buffer, String value, String previous) {
    if (value != null && value.equals(previous)) {
      buffer.appendInt(SAME);
    } else {
      write(buffer, value);
    }
  }

  /** Appends the buffer as its length and bytes; {@code null} as length -1. */
  static void write(Buffer buffer, Buffer value) {
    if (value == null) {
      buffer.appendInt(-1);
    } else {
      buffer.appendInt(value.length()).appendBuffer(value);
    }
  }

  /** Reads what {@link #write} and the codecs wrote, in order. */
  static final class Reader {

    private final Buffer buffer;
    private int pos;

    Reader(Buffer buffer, int pos) {
      this.buffer = buffer;
      this.pos = pos;
    }

    int readInt() {
      int value = buffer.getInt(pos);
      pos += 4;
      return value;
    }

    long readLong() {
      long value = buffer.getLong(pos);
      pos += 8;
      return value;
    }

    byte readByte() {
      return buffer.getByte(pos++);
    }

    /** @return the string, {@code null} for length -1 */
    String readString() {
      return readString(null);
    }

    /** @return the string, {@code null} for length -1, {@code previous} for {@link #SAME} */
    String readString(String previous) {
      int length = readInt();
      if (length == SAME) {
        return previous;
      }
      if (length < 0) {
        return null;
      }
      String value = buffer.getString(pos, pos + length);
      pos += length;
      return value;
    }

    /**
     * @return the bytes of a length-prefixed buffer, {@code null} for length -1: a slice of the
     *     message's buffer, not a copy (the event bus reads each message into a buffer of its own)
     */
    Buffer readBuffer() {
      int length = readInt();
      if (length < 0) {
        return null;
      }
      Buffer value = buffer.slice(pos, pos + length);
      pos += length;
      return value;
    }
  }
}
