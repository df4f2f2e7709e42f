package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;

/**
 * {@link Framing#LENGTH}: a 4-byte unsigned big-endian length, then that many bytes. A zero length
 * is an empty frame; a length above the maximum (any length of 2^31 or more included) fails with
 * {@link FramingException.Kind#FRAME_TOO_LARGE} as soon as the prefix is read.
 */
final class LengthDeframer extends BaseDeframer {

  // A prefix split across chunks.
  private long prefix;
  private int prefixBytes;

  LengthDeframer(int maxFrameSize) {
    super(maxFrameSize);
  }

  @Override
  protected Object decode(int end) {
    while (pos < end) {
      if (inBody()) {
        Buffer body = readBody(end);
        if (body != null) {
          return body;
        }
        continue;
      }
      long length;
      if (prefixBytes == 0 && end - pos >= 4) {
        length = input.getUnsignedInt(pos);
        pos += 4;
      } else {
        while (prefixBytes < 4 && pos < end) {
          prefix = (prefix << 8) | (input.getByte(pos++) & 0xFF);
          prefixBytes++;
        }
        if (prefixBytes < 4) {
          return null;
        }
        length = prefix;
        prefix = 0;
        prefixBytes = 0;
      }
      // length is unsigned 32-bit in a long, so >= 2^31 cannot turn negative here.
      if (length > maxFrameSize) {
        return failTooLarge(length);
      }
      Buffer empty = startBody((int) length);
      if (empty != null) {
        return empty;
      }
    }
    return null;
  }

  @Override
  public boolean hasPartialFrame() {
    return prefixBytes > 0 || inBody();
  }
}
