package io.busrpc.protocol.codec;

import io.busrpc.protocol.codec.FramingException.Kind;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FrameDecoderTest {

  private static final int MAX = 1024;

  /** A decoder plus everything it emitted. */
  private static final class Probe {
    final List<String> frames = new ArrayList<>();
    final List<FramingException> errors = new ArrayList<>();
    final FrameDecoder decoder;

    Probe(int max) {
      decoder = new FrameDecoder(max, frame -> {
        if (!errors.isEmpty()) {
          fail("frame emitted after an error");
        }
        frames.add(frame.toString(StandardCharsets.UTF_8));
      }, errors::add);
    }

    Probe feed(String s) {
      return feed(bytes(s));
    }

    Probe feed(byte[] b) {
      decoder.handle(Buffer.buffer(b));
      return this;
    }

    FramingException singleError() {
      assertEquals(1, errors.size(), "errors: " + errors);
      return errors.get(0);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }

  private static byte[] encodeAll(Framing framing, String... payloads) {
    Buffer b = Buffer.buffer();
    for (String p : payloads) {
      b.appendBuffer(framing.encode(Buffer.buffer(p)));
    }
    return b.getBytes();
  }

  /**
   * Feeds the stream whole, split into two chunks at every position, and byte by byte; each time
   * the same frames must come out, in order, with no error.
   */
  private static void assertDecodesAllSplits(byte[] stream, Framing framing, List<String> expected) {
    Probe whole = new Probe(MAX).feed(stream);
    assertEquals(expected, whole.frames, "whole");
    assertTrue(whole.errors.isEmpty(), "whole: " + whole.errors);
    assertEquals(framing, whole.decoder.framing());

    for (int split = 1; split < stream.length; split++) {
      Probe p = new Probe(MAX)
          .feed(Arrays.copyOfRange(stream, 0, split))
          .feed(Arrays.copyOfRange(stream, split, stream.length));
      assertEquals(expected, p.frames, "split at " + split);
      assertTrue(p.errors.isEmpty(), "split at " + split + ": " + p.errors);
    }

    Probe single = new Probe(MAX);
    for (byte b : stream) {
      single.feed(new byte[] {b});
    }
    assertEquals(expected, single.frames, "byte by byte");
    assertTrue(single.errors.isEmpty(), "byte by byte: " + single.errors);
    assertFalse(single.decoder.hasPartialFrame());
  }

  private static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  // ---- LENGTH ----

  @Test
  void lengthFramesInAnySplit() {
    List<String> frames = List.of("{\"a\":1}", "[1,2,3]", "", "{\"s\":\"héllo\"}", "{}");
    assertDecodesAllSplits(encodeAll(Framing.LENGTH, frames.toArray(new String[0])),
        Framing.LENGTH, frames);
  }

  @Test
  void lengthZeroEmitsEmptyFrame() {
    Probe p = new Probe(MAX).feed(new byte[] {0, 0, 0, 0});
    assertEquals(List.of(""), p.frames);
    assertFalse(p.decoder.hasPartialFrame());
  }

  @Test
  void lengthUnsignedMaxRejectedFromHeaderAlone() {
    Probe p = new Probe(MAX).feed(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    // A full 0xFFFFFFFF is not a valid first byte for detection, so exercise it mid-stream.
    p = new Probe(MAX).feed(concat(encodeAll(Framing.LENGTH, "{}"),
        new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
    assertEquals(List.of("{}"), p.frames);
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertTrue(p.singleError().getMessage().contains("4294967295"), p.singleError().getMessage());
  }

  @Test
  void lengthOf2Pow31IsTooLargeNotNegative() {
    Probe p = new Probe(Integer.MAX_VALUE).feed(concat(encodeAll(Framing.LENGTH, "[]"),
        new byte[] {(byte) 0x80, 0, 0, 0}));
    assertEquals(List.of("[]"), p.frames);
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
  }

  @Test
  void lengthExactMaxAcceptedAndMaxPlusOneRejected() {
    String exact = "\"" + repeat('x', MAX - 2) + "\"";
    Probe ok = new Probe(MAX).feed(encodeAll(Framing.LENGTH, exact));
    assertEquals(List.of(exact), ok.frames);
    assertTrue(ok.errors.isEmpty());

    Probe tooBig = new Probe(MAX).feed(new byte[] {0, 0, (byte) ((MAX + 1) >> 8), (byte) (MAX + 1)});
    FramingException e = tooBig.singleError();
    assertEquals(Kind.FRAME_TOO_LARGE, e.kind());
    assertEquals("frame of 1025 bytes exceeds the maximum of 1024", e.getMessage());
  }

  @Test
  void errorReportedOnceAndLaterBytesIgnored() {
    Probe p = new Probe(8).feed(new byte[] {0, 0, 0, 9});
    p.feed(encodeAll(Framing.LENGTH, "{}", "[]"));
    p.feed(new byte[] {1, 2, 3});
    assertEquals(1, p.errors.size());
    assertTrue(p.frames.isEmpty());
    assertFalse(p.decoder.hasPartialFrame());
    assertEquals(0, p.decoder.bufferedBytes());
  }

  @Test
  void lengthHasPartialFrame() {
    Probe p = new Probe(MAX);
    assertFalse(p.decoder.hasPartialFrame());
    p.feed(new byte[] {0, 0});
    assertTrue(p.decoder.hasPartialFrame());
    p.feed(new byte[] {0, 2, '{'});
    assertTrue(p.decoder.hasPartialFrame());
    p.feed(new byte[] {'}'});
    assertFalse(p.decoder.hasPartialFrame());
    assertEquals(List.of("{}"), p.frames);
  }

  // ---- LINE ----

  @Test
  void lineFramesInAnySplit() {
    String stream = "{\"a\":1}\n[1,2]\r\n\n  \t\r\n\r\n{\"b\":\"x y\"}\n {\"c\":\"é\"}\n";
    assertDecodesAllSplits(bytes(stream), Framing.LINE,
        List.of("{\"a\":1}", "[1,2]", "{\"b\":\"x y\"}", " {\"c\":\"é\"}"));
  }

  @Test
  void lineDetectedFromLeadingWhitespace() {
    Probe p = new Probe(MAX).feed("  \r\n\t\n{\"a\":1}\n");
    assertEquals(Framing.LINE, p.decoder.framing());
    assertEquals(List.of("{\"a\":1}"), p.frames);
  }

  @Test
  void lineWithoutNewlineNotEmitted() {
    Probe p = new Probe(MAX).feed("{\"a\":1}\n{\"b\":");
    assertEquals(List.of("{\"a\":1}"), p.frames);
    assertTrue(p.decoder.hasPartialFrame());
    p.feed("2}\r\n");
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), p.frames);
    assertFalse(p.decoder.hasPartialFrame());
  }

  @Test
  void lineWhitespaceOnlyCountsAsPartial() {
    Probe p = new Probe(MAX).feed(" \t");
    assertTrue(p.decoder.hasPartialFrame());
    p.feed("\n");
    assertFalse(p.decoder.hasPartialFrame());
    assertTrue(p.frames.isEmpty());
  }

  @Test
  void lineTooLongRejectedBeforeNewline() {
    Probe p = new Probe(MAX).feed("{" + repeat('x', MAX - 1));
    assertTrue(p.errors.isEmpty());
    assertTrue(p.decoder.hasPartialFrame());
    p.feed("x");
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    p.feed("}\n{}\n");
    assertEquals(1, p.errors.size());
    assertTrue(p.frames.isEmpty());
  }

  @Test
  void lineTooLongInOneChunkRejected() {
    Probe p = new Probe(MAX).feed("{}\n[" + repeat('1', MAX) + "]\n{}\n");
    assertEquals(List.of("{}"), p.frames);
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
  }

  @Test
  void lineOfExactMaxWithCrLfAccepted() {
    String line = "[" + repeat('1', MAX - 2) + "]";
    assertDecodesAllSplits(bytes(line + "\r\n" + line + "\n"), Framing.LINE, List.of(line, line));
  }

  // ---- LSP ----

  @Test
  void lspFramesInAnySplit() {
    String a = "{\"a\":1}";
    String b = "{\"s\":\"é€😀\"}"; // multi-byte UTF-8: Content-Length counts bytes
    int bLen = bytes(b).length;
    String stream =
        "Content-Length: 7\r\n\r\n" + a
            + "content-length: " + bLen + "\r\nContent-Type: application/vscode-jsonrpc;"
            + " charset=utf-8\r\n\r\n" + b
            + "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:2\r\n\r\n[]"
            + "Content-Length: 0\r\n\r\n"
            + "Content-Length:  2 \n\n{}";
    assertDecodesAllSplits(bytes(stream), Framing.LSP, List.of(a, b, "[]", "", "{}"));
  }

  @Test
  void lspDetectedFromLowerCaseHeader() {
    Probe p = new Probe(MAX).feed("content-length: 2\r\n\r\n{}");
    assertEquals(Framing.LSP, p.decoder.framing());
    assertEquals(List.of("{}"), p.frames);
  }

  @Test
  void lspContentLengthTooLargeRejectedAfterHeaders() {
    Probe p = new Probe(MAX).feed("Content-Length: " + (MAX + 1) + "\r\n");
    assertTrue(p.errors.isEmpty());
    p.feed("\r\n");
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertEquals(0, p.decoder.bufferedBytes());

    Probe huge = new Probe(MAX).feed("Content-Length: 99999999999999999999999\r\n\r\n");
    assertEquals(Kind.FRAME_TOO_LARGE, huge.singleError().kind());
  }

  @Test
  void lspExactMaxAccepted() {
    String body = "\"" + repeat('x', MAX - 2) + "\"";
    Probe p = new Probe(MAX).feed(encodeAll(Framing.LSP, body));
    assertEquals(List.of(body), p.frames);
    assertTrue(p.errors.isEmpty());
  }

  @Test
  void lspHeaderBlockLimited() {
    Probe p = new Probe(MAX).feed("Content-Length: 2\r\nX-Pad: ");
    p.feed(repeat('a', FrameDecoder.MAX_HEADER_BLOCK));
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertTrue(p.decoder.bufferedBytes() <= FrameDecoder.MAX_HEADER_BLOCK);
  }

  @Test
  void lspBadHeaders() {
    String[] bad = {
        "Content-Length 5\r\n\r\n{}",
        "Content-Type: application/json\r\n\r\n{}",
        "Content-Length: -1\r\n\r\n{}",
        "Content-Length: abc\r\n\r\n{}",
        "Content-Length:\r\n\r\n{}",
        "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        "Content-Length: 2\r\n: x\r\n\r\n{}",
    };
    for (String s : bad) {
      Probe p = new Probe(MAX).feed(s);
      assertEquals(Kind.BAD_HEADER, p.singleError().kind(), s);
      assertTrue(p.frames.isEmpty(), s);
    }
  }

  @Test
  void lspStrayBlankLineBetweenMessagesIsBadHeader() {
    Probe p = new Probe(MAX).feed("Content-Length: 2\r\n\r\n{}\r\n");
    assertEquals(List.of("{}"), p.frames);
    assertEquals(Kind.BAD_HEADER, p.singleError().kind());
  }

  @Test
  void lspHasPartialFrame() {
    Probe p = new Probe(MAX).feed("Content-Len");
    assertTrue(p.decoder.hasPartialFrame());
    p.feed("gth: 2\r\n\r\n{");
    assertTrue(p.decoder.hasPartialFrame());
    p.feed("}");
    assertFalse(p.decoder.hasPartialFrame());
    assertEquals(List.of("{}"), p.frames);
  }

  // ---- detection, slicing, round trips ----

  @Test
  void unknownFirstByteRejected() {
    Probe p = new Probe(MAX).feed("GET / HTTP/1.1\r\n\r\n");
    assertEquals(Kind.UNKNOWN_FRAMING, p.singleError().kind());
    assertNull(p.decoder.framing());
    p.feed("{}\n");
    assertEquals(1, p.errors.size());
    assertTrue(p.frames.isEmpty());
  }

  @Test
  void emptyChunkIsHarmless() {
    Probe p = new Probe(MAX).feed(new byte[0]);
    assertNull(p.decoder.framing());
    assertFalse(p.decoder.hasPartialFrame());
    assertTrue(p.errors.isEmpty());
  }

  @Test
  void rejectsNegativeMax() {
    assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(-1, f -> { }, e -> { }));
  }

  @Test
  void frameInsideOneChunkIsASliceOfIt() {
    List<Buffer> frames = new ArrayList<>();
    FrameDecoder d = new FrameDecoder(MAX, frames::add, e -> fail(e));
    Buffer chunk = Buffer.buffer("{\"a\":1}\n");
    d.handle(chunk);
    chunk.setByte(1, (byte) 'X');
    assertEquals("{Xa\":1}", frames.get(0).toString());
  }

  @Test
  void encodeRoundTripsThroughDecoder() {
    String[] payloads = {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "[1,2,3]",
        "{\"text\":\"ünïcödé ✓ 😀\"}", "{}"};
    Random random = new Random(42);
    for (Framing framing : Framing.values()) {
      byte[] stream = encodeAll(framing, payloads);
      Probe p = new Probe(MAX);
      int pos = 0;
      while (pos < stream.length) {
        int n = Math.min(stream.length - pos, 1 + random.nextInt(16));
        p.feed(Arrays.copyOfRange(stream, pos, pos + n));
        pos += n;
      }
      assertEquals(List.of(payloads), p.frames, framing.toString());
      assertEquals(framing, p.decoder.framing());
      assertTrue(p.errors.isEmpty());
    }
  }

  // ---- randomised ----

  private static final String[] FRAGMENTS = {
      "\n", "\r\n", "\r", " ", "{", "}", "[1]", "Content-Length: ", "content-length:", "12",
      "0", "-3", "Content-Type: x", ":", "\u0000\u0000\u0000\u0005", "\u0000\u0000\u0001\u0000",
      "é", "😀",
  };

  private static byte[] randomStream(Random random) {
    Buffer b = Buffer.buffer();
    switch (random.nextInt(4)) {
      case 0: b.appendByte((byte) 0); break;
      case 1: b.appendByte((byte) '{'); break;
      case 2: b.appendByte((byte) 'C'); break;
      default: b.appendByte((byte) random.nextInt(256)); break;
    }
    int parts = random.nextInt(40);
    for (int i = 0; i < parts; i++) {
      if (random.nextBoolean()) {
        byte[] noise = new byte[random.nextInt(20)];
        random.nextBytes(noise);
        b.appendBytes(noise);
      } else {
        b.appendString(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
    }
    return b.getBytes();
  }

  @Test
  void randomInputNeverThrowsAndStaysBounded() {
    Random random = new Random(20240601L);
    for (int iteration = 0; iteration < 10_000; iteration++) {
      byte[] stream = randomStream(random);
      int max = random.nextInt(64);
      int[] errors = {0};
      boolean[] failed = {false};
      FrameDecoder d = new FrameDecoder(max, frame -> {
        assertFalse(failed[0], "frame after error");
        assertTrue(frame.length() <= max, "frame larger than max");
      }, e -> {
        errors[0]++;
        failed[0] = true;
      });
      long bound = Math.max(max + 1L, FrameDecoder.MAX_HEADER_BLOCK);
      int pos = 0;
      while (pos < stream.length) {
        int n = Math.min(stream.length - pos, 1 + random.nextInt(32));
        d.handle(Buffer.buffer(Arrays.copyOfRange(stream, pos, pos + n)));
        pos += n;
        assertTrue(d.bufferedBytes() <= bound,
            "iteration " + iteration + ": buffered " + d.bufferedBytes() + " > " + bound);
      }
      assertTrue(errors[0] <= 1, "iteration " + iteration + ": errors " + errors[0]);
    }
  }

  @Test
  void randomValidStreamsDecodeExactly() {
    Random random = new Random(7L);
    for (int iteration = 0; iteration < 2_000; iteration++) {
      Framing framing = Framing.values()[random.nextInt(3)];
      int count = 1 + random.nextInt(5);
      String[] payloads = new String[count];
      for (int i = 0; i < count; i++) {
        StringBuilder sb = new StringBuilder("{\"v\":\"");
        int len = random.nextInt(30);
        for (int j = 0; j < len; j++) {
          sb.append((char) (' ' + 1 + random.nextInt(94)));
        }
        payloads[i] = sb.append("\"}").toString();
      }
      byte[] stream = encodeAll(framing, payloads);
      Probe p = new Probe(MAX);
      int pos = 0;
      while (pos < stream.length) {
        int n = Math.min(stream.length - pos, 1 + random.nextInt(40));
        p.feed(Arrays.copyOfRange(stream, pos, pos + n));
        pos += n;
      }
      assertEquals(List.of(payloads), p.frames, "iteration " + iteration);
      assertTrue(p.errors.isEmpty());
      assertFalse(p.decoder.hasPartialFrame());
    }
  }
}
