package io.busrpc.protocol.codec;

import io.busrpc.protocol.codec.FramingException.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.busrpc.protocol.codec.DeframerProbe.assertDecodesAllSplits;
import static io.busrpc.protocol.codec.DeframerProbe.assertSameAtEverySplit;
import static io.busrpc.protocol.codec.DeframerProbe.concat;
import static io.busrpc.protocol.codec.DeframerProbe.encodeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LengthDeframerTest {

  private static final int MAX = 1024;

  private static DeframerProbe probe(int max) {
    return new DeframerProbe(Framing.LENGTH, max);
  }

  @Test
  void framesInAnySplitAndGlued() {
    List<String> frames = List.of("{\"a\":1}", "[1,2,3]", "", "{\"s\":\"héllo\"}", "{}");
    assertDecodesAllSplits(Framing.LENGTH, MAX, encodeAll(Framing.LENGTH, frames.toArray(new String[0])), frames);
  }

  @Test
  void zeroLengthIsAnEmptyFrame() {
    DeframerProbe p = probe(MAX).feed(new byte[] {0, 0, 0, 0});
    assertEquals(List.of(""), p.frames);
    assertFalse(p.deframer.hasPartialFrame());
  }

  @Test
  void unsignedMaxRejectedFromPrefixAlone() {
    DeframerProbe p = probe(MAX).feed(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    p = probe(MAX).feed(concat(encodeAll(Framing.LENGTH, "{}"), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
    assertEquals(List.of("{}"), p.frames);
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertTrue(p.singleError().getMessage().contains("4294967295"), p.singleError().getMessage());
  }

  @Test
  void lengthOf2Pow31IsTooLargeNotNegative() {
    DeframerProbe p = probe(Integer.MAX_VALUE).feed(concat(encodeAll(Framing.LENGTH, "[]"), new byte[] {(byte) 0x80, 0, 0, 0}));
    assertEquals(List.of("[]"), p.frames);
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
  }

  @Test
  void exactMaxAcceptedAndMaxPlusOneRejected() {
    String exact = "\"" + "x".repeat(MAX - 2) + "\"";
    DeframerProbe ok = probe(MAX).feed(encodeAll(Framing.LENGTH, exact));
    assertEquals(List.of(exact), ok.frames);
    assertTrue(ok.errors.isEmpty());

    DeframerProbe tooBig = probe(MAX).feed(new byte[] {0, 0, (byte) ((MAX + 1) >> 8), (byte) (MAX + 1)});
    assertEquals(Kind.FRAME_TOO_LARGE, tooBig.singleError().kind());
    assertEquals("frame of 1025 bytes exceeds the maximum of 1024", tooBig.singleError().getMessage());
  }

  @Test
  void oversizeRejectedAtEverySplitBeforeTheBodyIsBuffered() {
    byte[] stream = concat(encodeAll(Framing.LENGTH, "{}"), new byte[] {0, 0, 0x04, 0x01}, "x".repeat(MAX + 1).getBytes());
    assertSameAtEverySplit(Framing.LENGTH, MAX, stream, List.of("{}"), Kind.FRAME_TOO_LARGE);
  }

  @Test
  void errorReportedOnceAndLaterBytesIgnored() {
    DeframerProbe p = probe(8).feed(new byte[] {0, 0, 0, 9});
    p.feed(encodeAll(Framing.LENGTH, "{}", "[]"));
    p.feed(new byte[] {1, 2, 3});
    assertEquals(1, p.errors.size());
    assertTrue(p.frames.isEmpty());
    assertFalse(p.deframer.hasPartialFrame());
    assertEquals(0, p.deframer.bufferedBytes());
  }

  @Test
  void hasPartialFrame() {
    DeframerProbe p = probe(MAX);
    assertFalse(p.deframer.hasPartialFrame());
    p.feed(new byte[] {0, 0});
    assertTrue(p.deframer.hasPartialFrame());
    p.feed(new byte[] {0, 2, '{'});
    assertTrue(p.deframer.hasPartialFrame());
    p.feed(new byte[] {'}'});
    assertFalse(p.deframer.hasPartialFrame());
    assertEquals(List.of("{}"), p.frames);
  }

  @Test
  void rejectsNegativeMax() {
    assertThrows(IllegalArgumentException.class, () -> Deframer.create(Framing.LENGTH, -1));
  }
}
