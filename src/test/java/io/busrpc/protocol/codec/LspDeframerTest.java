package io.busrpc.protocol.codec;

import io.busrpc.protocol.codec.FramingException.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.busrpc.protocol.codec.DeframerProbe.assertDecodesAllSplits;
import static io.busrpc.protocol.codec.DeframerProbe.assertSameAtEverySplit;
import static io.busrpc.protocol.codec.DeframerProbe.bytes;
import static io.busrpc.protocol.codec.DeframerProbe.encodeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LspDeframerTest {

  private static final int MAX = 1024;

  private static DeframerProbe probe() {
    return new DeframerProbe(Framing.LSP, MAX);
  }

  @Test
  void framesInAnySplitAndGlued() {
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
    assertDecodesAllSplits(Framing.LSP, MAX, bytes(stream), List.of(a, b, "[]", "", "{}"));
  }

  @Test
  void lowerCaseHeader() {
    assertEquals(List.of("{}"), probe().feed("content-length: 2\r\n\r\n{}").frames);
  }

  @Test
  void contentLengthTooLargeRejectedAfterHeaders() {
    DeframerProbe p = probe().feed("Content-Length: " + (MAX + 1) + "\r\n");
    assertTrue(p.errors.isEmpty());
    p.feed("\r\n");
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertEquals(0, p.deframer.bufferedBytes());

    DeframerProbe huge = probe().feed("Content-Length: 99999999999999999999999\r\n\r\n");
    assertEquals(Kind.FRAME_TOO_LARGE, huge.singleError().kind());
  }

  @Test
  void oversizeRejectedAtEverySplit() {
    String stream = "Content-Length: 2\r\n\r\n{}Content-Length: " + (MAX + 1) + "\r\n\r\n" + "x".repeat(MAX + 1);
    assertSameAtEverySplit(Framing.LSP, MAX, bytes(stream), List.of("{}"), Kind.FRAME_TOO_LARGE);
  }

  @Test
  void exactMaxAccepted() {
    String body = "\"" + "x".repeat(MAX - 2) + "\"";
    DeframerProbe p = probe().feed(encodeAll(Framing.LSP, body));
    assertEquals(List.of(body), p.frames);
    assertTrue(p.errors.isEmpty());
  }

  @Test
  void headerBlockLimited() {
    DeframerProbe p = probe().feed("Content-Length: 2\r\nX-Pad: ");
    p.feed("a".repeat(Deframer.MAX_HEADER_BLOCK));
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertTrue(p.deframer.bufferedBytes() <= Deframer.MAX_HEADER_BLOCK);
  }

  @Test
  void badHeaders() {
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
      assertSameAtEverySplit(Framing.LSP, MAX, bytes(s), List.of(), Kind.BAD_HEADER);
    }
  }

  @Test
  void strayBlankLineBetweenMessagesIsBadHeader() {
    assertSameAtEverySplit(Framing.LSP, MAX, bytes("Content-Length: 2\r\n\r\n{}\r\n"), List.of("{}"), Kind.BAD_HEADER);
  }

  @Test
  void hasPartialFrame() {
    DeframerProbe p = probe().feed("Content-Len");
    assertTrue(p.deframer.hasPartialFrame());
    p.feed("gth: 2\r\n\r\n{");
    assertTrue(p.deframer.hasPartialFrame());
    p.feed("}");
    assertFalse(p.deframer.hasPartialFrame());
    assertEquals(List.of("{}"), p.frames);
  }
}
