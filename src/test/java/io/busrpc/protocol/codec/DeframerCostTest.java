package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What cutting frames costs per framing, printed as {@code FIGURE} lines (no timed assertion): the
 * stream framing looks at every byte of a text, the length framing at four per frame. Each figure is
 * the fastest of 20 passes over 2 MB of texts in 64 KiB chunks, as sockets deliver them, so the
 * JIT has compiled the scan and a busy machine shows in the slower passes, not in the figure.
 */
class DeframerCostTest {

  private static final int PASSES = 20;
  private static final int CHUNK = 64 * 1024;

  @Test
  void costPerFrameOfTheStreamAndTheLengthFraming() {
    for (String params : List.of("[1,2]", "[\"" + "x".repeat(4096) + "\"]")) {
      String text = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + params + ",\"id\":12345}";
      int frames = 2_000_000 / text.length();
      Buffer line = Buffer.buffer();
      Buffer length = Buffer.buffer();
      for (int i = 0; i < frames; i++) {
        line.appendString(text).appendByte((byte) '\n');
        length.appendInt(text.length()).appendString(text);
      }
      double stream = Double.MAX_VALUE;
      double prefixed = Double.MAX_VALUE;
      for (int pass = 0; pass < PASSES; pass++) {
        stream = Math.min(stream, nanosPerFrame(Framing.LINE, chunks(line), frames, text.length()));
        prefixed = Math.min(prefixed, nanosPerFrame(Framing.LENGTH, chunks(length), frames, text.length()));
      }
      System.out.printf("FIGURE deframing a %d-byte text: stream (line) framing %.0f ns, length framing %.0f ns%n",
        text.length(), stream, prefixed);
    }
  }

  private static List<Buffer> chunks(Buffer all) {
    List<Buffer> chunks = new ArrayList<>();
    for (int i = 0; i < all.length(); i += CHUNK) {
      chunks.add(all.getBuffer(i, Math.min(all.length(), i + CHUNK)));
    }
    return chunks;
  }

  private static double nanosPerFrame(Framing framing, List<Buffer> chunks, int frames, int textLength) {
    Deframer deframer = Deframer.create(framing, 1 << 20);
    int seen = 0;
    long start = System.nanoTime();
    for (Buffer chunk : chunks) {
      deframer.update(chunk);
      Object next;
      while ((next = deframer.next()) != null) {
        assertEquals(textLength, ((Buffer) next).length());
        seen++;
      }
    }
    long elapsed = System.nanoTime() - start;
    assertEquals(frames, seen);
    return (double) elapsed / frames;
  }
}
