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

  private static byte[] encodeAll(Framing framing, String... payloads) {
    Buffer b = Buffer.buffer();
    for (String p : payloads) {
      b.appendBuffer(framing.encode(Buffer.buffer(p)));
    }
    return b.getBytes();
  }

  @Test
  void eachFramingDetectedFromItsFirstByte() {
    assertEquals(Framing.LENGTH, new Probe(MAX).feed(encodeAll(Framing.LENGTH, "{}")).decoder.framing());
    assertEquals(Framing.LINE, new Probe(MAX).feed("{}").decoder.framing());
    assertEquals(Framing.LINE, new Probe(MAX).feed("[]").decoder.framing());
    assertEquals(Framing.LSP, new Probe(MAX).feed("content-length: 2\r\n\r\n{}").decoder.framing());
    Probe p = new Probe(MAX).feed("  \r\n\t\n{\"a\":1}\n");
    assertEquals(Framing.LINE, p.decoder.framing());
    assertEquals(List.of("{\"a\":1}"), p.frames);
  }

  @Test
  void pausedDecoderEmitsNothingUntilResumed() {
    List<String> frames = new ArrayList<>();
    FrameDecoder[] d = new FrameDecoder[1];
    d[0] = new FrameDecoder(MAX, frame -> {
      frames.add(frame.toString());
      d[0].pause(); // one frame per resume, as a connection at its maxInFlight
    }, e -> fail(e));
    d[0].handle(Buffer.buffer("{\"a\":1}{\"b\":2}\n[3]"));
    assertEquals(List.of("{\"a\":1}"), frames);
    assertTrue(d[0].isPaused());
    d[0].resume();
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), frames);
    d[0].resume();
    d[0].resume();
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "[3]"), frames);
    assertEquals(0, d[0].bufferedBytes());
  }

  @Test
  void chunkArrivingWhilePausedWaitsBehindTheRest() {
    List<String> frames = new ArrayList<>();
    FrameDecoder d = new FrameDecoder(MAX, frame -> frames.add(frame.toString()), e -> fail(e));
    d.pause();
    d.handle(Buffer.buffer("{\"a\":1}{\"b\""));
    d.handle(Buffer.buffer(":2}"));
    assertTrue(frames.isEmpty());
    d.resume();
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), frames);
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
          char c = (char) (' ' + 1 + random.nextInt(94));
          if (c == '"' || c == '\\') {
            sb.append('\\'); // a valid JSON string, so the stream framing finds its end
          }
          sb.append(c);
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
