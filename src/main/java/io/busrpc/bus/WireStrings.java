package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** Length-prefixed strings and buffers in the wire form of busrpc's batch codecs. */
final class WireStrings {

  private WireStrings() {
  }

  /** Appends the string as its UTF-8 length and bytes. */
  static void write(Buffer buffer, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  /** Reads what {@link #write} and {@code appendInt(length).appendBuffer(...)} wrote, in order. */
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

    byte readByte() {
      return buffer.getByte(pos++);
    }

    String readString() {
      int length = readInt();
      String value = buffer.getString(pos, pos + length, "UTF-8");
      pos += length;
      return value;
    }

    /** @return the bytes of a length-prefixed buffer, {@code null} for length -1 */
    Buffer readBuffer() {
      int length = readInt();
      if (length < 0) {
        return null;
      }
      Buffer value = buffer.getBuffer(pos, pos + length);
      pos += length;
      return value;
    }
  }
}
