package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A deframer plus everything it returned, and the every-split-point checks the deframer tests share. */
final class DeframerProbe {

  final List<String> frames = new ArrayList<>();
  final List<FramingException> errors = new ArrayList<>();
  final Deframer deframer;

  DeframerProbe(Framing framing, int max) {
    deframer = Deframer.create(framing, max);
  }

  DeframerProbe feed(String s) {
    return feed(bytes(s));
  }

  /** Adds the bytes and takes every frame they complete. */
  DeframerProbe feed(byte[] b) {
    deframer.update(Buffer.buffer(b));
    Object next;
    while ((next = deframer.next()) != null) {
      if (!errors.isEmpty()) {
        fail("something returned after an error: " + next);
      }
      if (next instanceof FramingException e) {
        errors.add(e);
      } else {
        frames.add(((Buffer) next).toString(StandardCharsets.UTF_8));
      }
    }
    return this;
  }

  FramingException singleError() {
    assertEquals(1, errors.size(), "errors: " + errors);
    return errors.get(0);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    Buffer b = Buffer.buffer();
    for (byte[] p : parts) {
      b.appendBytes(p);
    }
    return b.getBytes();
  }

  static byte[] encodeAll(Framing framing, String... payloads) {
    Buffer b = Buffer.buffer();
    for (String p : payloads) {
      b.appendBuffer(framing.encode(Buffer.buffer(p)));
    }
    return b.getBytes();
  }

  /**
   * Feeds the stream whole, split into two chunks at every position, byte by byte, and glued to
   * itself; each time the same frames must come out, in order, with no error, and nothing left
   * partial at the end.
   */
  static void assertDecodesAllSplits(Framing framing, int max, byte[] stream, List<String> expected) {
    assertSameAtEverySplit(framing, max, stream, expected, null);
    List<String> twice = new ArrayList<>(expected);
    twice.addAll(expected);
    DeframerProbe glued = new DeframerProbe(framing, max).feed(concat(stream, stream));
    assertEquals(twice, glued.frames, "glued");
    assertTrue(glued.errors.isEmpty(), "glued: " + glued.errors);
    assertFalse(glued.deframer.hasPartialFrame(), "glued: partial frame left");
  }

  /**
   * Feeds the stream whole, split in two at every position and byte by byte: each time the same
   * frames come out and then the given error (or none), and the deframer never holds more than
   * the maximum plus the header block plus the chunk at hand.
   */
  static void assertSameAtEverySplit(Framing framing, int max, byte[] stream, List<String> expected,
      FramingException.Kind error) {
    List<DeframerProbe> runs = new ArrayList<>();
    runs.add(new DeframerProbe(framing, max).feed(stream));
    for (int split = 1; split < stream.length; split++) {
      DeframerProbe p = new DeframerProbe(framing, max).feed(Arrays.copyOfRange(stream, 0, split));
      assertBounded(p, max, split);
      runs.add(p.feed(Arrays.copyOfRange(stream, split, stream.length)));
    }
    DeframerProbe single = new DeframerProbe(framing, max);
    for (byte b : stream) {
      single.feed(new byte[] {b});
      assertBounded(single, max, 1);
    }
    runs.add(single);
    for (int i = 0; i < runs.size(); i++) {
      DeframerProbe p = runs.get(i);
      String where = i == 0 ? "whole" : i == runs.size() - 1 ? "byte by byte" : "split at " + i;
      assertEquals(expected, p.frames, where);
      if (error == null) {
        assertTrue(p.errors.isEmpty(), where + ": " + p.errors);
        assertFalse(p.deframer.hasPartialFrame(), where + ": partial frame left");
      } else {
        assertEquals(error, p.singleError().kind(), where);
        assertEquals(0, p.deframer.bufferedBytes(), where + ": bytes kept after the error");
      }
    }
  }

  private static void assertBounded(DeframerProbe p, int max, int chunk) {
    long bound = Math.max(max + 1L, Deframer.MAX_HEADER_BLOCK) + chunk;
    assertTrue(p.deframer.bufferedBytes() <= bound, "buffered " + p.deframer.bufferedBytes() + " > " + bound);
  }
}
