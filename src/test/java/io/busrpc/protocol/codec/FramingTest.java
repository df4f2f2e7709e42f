package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramingTest {

  @Test
  void detectsFramingFromFirstByte() {
    assertEquals(Framing.LENGTH, Framing.detect((byte) 0));
    for (char c : new char[] {'{', '[', ' ', '\t', '\r', '\n'}) {
      assertEquals(Framing.LINE, Framing.detect((byte) c), "byte " + (int) c);
    }
    assertEquals(Framing.LSP, Framing.detect((byte) 'C'));
    assertEquals(Framing.LSP, Framing.detect((byte) 'c'));
    for (char c : new char[] {'G', 'P', '"', '1', 0x01, 0x16}) {
      assertNull(Framing.detect((byte) c), "byte " + (int) c);
    }
    assertNull(Framing.detect((byte) 0xFF));
  }

  @Test
  void encodesLength() {
    Buffer framed = Framing.LENGTH.encode(Buffer.buffer("{}"));
    assertArrayEquals(new byte[] {0, 0, 0, 2, '{', '}'}, framed.getBytes());
  }

  @Test
  void encodesLine() {
    assertEquals("[1]\n", Framing.LINE.encode(Buffer.buffer("[1]")).toString());
  }

  @Test
  void lineEncodingRejectsEmbeddedNewline() {
    assertThrows(IllegalArgumentException.class,
        () -> Framing.LINE.encode(Buffer.buffer("{\n}")));
  }

  @Test
  void encodesLspWithByteLength() {
    Buffer framed = Framing.LSP.encode(Buffer.buffer("\"é\""));
    assertEquals("Content-Length: 4\r\n\r\n\"é\"", framed.toString());
  }

  @Test
  void framesGatheredInOneBufferAreTheFramesOneAfterAnother() {
    Buffer first = Buffer.buffer("{\"a\":1}");
    Buffer second = Buffer.buffer("[\"é\"]");
    for (Framing framing : Framing.values()) {
      Buffer gathered = framing.appendTo(framing.appendTo(Buffer.buffer(1), first), second);
      assertEquals(framing.encode(first).copy().appendBuffer(framing.encode(second)), gathered, framing.name());
    }
    Buffer out = Buffer.buffer("kept");
    assertThrows(IllegalArgumentException.class, () -> Framing.LINE.appendTo(out, Buffer.buffer("{\n}")));
    assertEquals(Buffer.buffer("kept"), out, "a payload that cannot be framed leaves the gathered bytes alone");
  }

  @Test
  void wireNamesRoundTrip() {
    assertEquals("len", Framing.LENGTH.wireName());
    assertEquals("line", Framing.LINE.wireName());
    assertEquals("lsp", Framing.LSP.wireName());
    for (Framing f : Framing.values()) {
      assertEquals(f, Framing.fromWireName(f.wireName()));
    }
    assertEquals(Framing.LSP, Framing.fromWireName("LSP"));
  }

  @Test
  void unknownWireNameListsValidNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Framing.fromWireName("json"));
    assertTrue(e.getMessage().contains("len, line, lsp"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Framing.fromWireName(null));
  }
}
