package io.busrpc.protocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the next byte that matters inside a JSON string ({@code "}, {@code \} or a newline),
 * reading eight bytes at a time (SWAR, as Netty's {@code ByteBufUtil.indexOf} does for one byte):
 * the stream framing looks at every byte, and most of a big text is string contents.
 */
final class StringScan {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long NEWLINES = '\n' * ONES;

  private StringScan() {
  }

  /** @return the index of the first {@code "}, {@code \} or {@code \n} in {@code a[from, to)}, or {@code to} */
  static int nextSpecial(byte[] a, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(a, i);
      long found = zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES) | zeroBytes(word ^ NEWLINES);
      if (found != 0) {
        // The lowest flag is exact (only flags above a zero byte can be false): little-endian, so it is the first byte.
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      byte b = a[i];
      if (b == '"' || b == '\\' || b == '\n') {
        return i;
      }
    }
    return to;
  }

  /** @return the high bit of every byte of {@code x} that is zero (and possibly of bytes above one) */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }
}
