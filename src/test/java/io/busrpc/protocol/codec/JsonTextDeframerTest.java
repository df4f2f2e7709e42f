package io.busrpc.protocol.codec;

import io.busrpc.protocol.codec.FramingException.Kind;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.busrpc.protocol.codec.DeframerProbe.assertDecodesAllSplits;
import static io.busrpc.protocol.codec.DeframerProbe.assertSameAtEverySplit;
import static io.busrpc.protocol.codec.DeframerProbe.bytes;
import static io.busrpc.protocol.codec.DeframerProbe.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON-text stream framing (the {@code line} framing): where each text ends, whatever the chunks. */
class JsonTextDeframerTest {

  private static final int MAX = 1024;

  private static DeframerProbe probe() {
    return new DeframerProbe(Framing.LINE, MAX);
  }

  private static void assertFrames(String stream, String... frames) {
    assertDecodesAllSplits(Framing.LINE, MAX, bytes(stream), List.of(frames));
  }

  @Test
  void newlineDelimitedInAnySplit() {
    assertFrames("{\"a\":1}\n[1,2]\r\n\n  \t\r\n\r\n{\"b\":\"x y\"}\n {\"c\":\"é\"}\n",
        "{\"a\":1}", "[1,2]", "{\"b\":\"x y\"}", "{\"c\":\"é\"}");
  }

  @Test
  void backToBackWithoutAnyDelimiter() {
    assertFrames("{\"a\":1}{\"b\":[1,{\"c\":2}]}[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}]{}[]",
        "{\"a\":1}", "{\"b\":[1,{\"c\":2}]}", "[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}]", "{}", "[]");
  }

  @Test
  void severalOnOneLine() {
    assertFrames("{\"a\":1} {\"b\":2}\t[3]\r\n{\"c\":4}\n", "{\"a\":1}", "{\"b\":2}", "[3]", "{\"c\":4}");
  }

  @Test
  void bracketsQuotesAndEscapesInsideStrings() {
    assertFrames("{\"s\":\"}]{[\"}{\"q\":\"a\\\"}\"}{\"b\":\"\\\\\"}[\"\\\\\\\"]\"]{\"n\":\"line\\nbreak\"}",
        "{\"s\":\"}]{[\"}", "{\"q\":\"a\\\"}\"}", "{\"b\":\"\\\\\"}", "[\"\\\\\\\"]\"]", "{\"n\":\"line\\nbreak\"}");
  }

  @Test
  void stringsOfEveryLengthWithAnEscapeAtEveryPlace() {
    // The scan jumps over string contents eight bytes at a time: quotes and backslashes must be
    // found wherever they fall in those eight.
    for (int length = 0; length <= 19; length++) {
      for (int at = 0; at <= length; at++) {
        for (String escape : List.of("\\\"", "\\\\", "\\n")) {
          String text = "{\"s\":\"" + "x".repeat(at) + escape + "y".repeat(length - at) + "\",\"t\":[\"]\"]}";
          assertFrames(text + text + "\n", text, text);
        }
      }
    }
  }

  @Test
  void aChunkThatIsASliceIsScannedOnlyWithinItsBounds() {
    // Socket chunks may be views into a bigger array; what lies around them must not be read.
    byte[] around = bytes("\"\"\"\"\"\"\"\"\"\n\"\\");
    String text = "{\"s\":\"" + "z".repeat(37) + "\"}";
    for (int cut = 1; cut < text.length(); cut++) {
      DeframerProbe p = probe();
      p.deframer.update(Buffer.buffer(concat(around, bytes(text.substring(0, cut)), around)).slice(around.length, around.length + cut));
      assertNull(p.deframer.next());
      p.feed(text.substring(cut));
      assertEquals(List.of(text), p.frames, "cut at " + cut);
    }
  }

  @Test
  void utf8AndDeepNesting() {
    String deep = "[".repeat(200) + "\"😀€\"" + "]".repeat(200);
    assertFrames(deep + deep + "\n", deep, deep);
  }

  @Test
  void unfinishedTextEndsAtTheNewlineForTheParserToReject() {
    // The spec's "batch, invalid JSON" example: the brackets never balance.
    String batch = "[{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},{\"jsonrpc\": \"2.0\", \"method\"";
    assertFrames(batch + "\r\n{\"a\":1}\n", batch, "{\"a\":1}");
    // A string left open: JSON has no raw newline inside a string.
    assertFrames("{\"a\":\"b\n{\"c\":1}\n", "{\"a\":\"b", "{\"c\":1}");
    // Also right after a backslash: a text never spans a newline.
    assertFrames("{\"a\":\"b\\\n{\"c\":1}\n", "{\"a\":\"b\\", "{\"c\":1}");
  }

  @Test
  void garbageAndScalarsRunToTheEndOfTheirLine() {
    assertFrames("hello {\"a\":1}\n1\n\"x\"\r\n{\"b\":2}\n", "hello {\"a\":1}", "1", "\"x\"", "{\"b\":2}");
    // The spec's "invalid JSON" example balances early; what follows on its line is a piece of its own.
    assertFrames("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]\n",
        "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]");
    assertFrames("{\"a\":1]] x\n{}\n", "{\"a\":1]", "] x", "{}");
  }

  @Test
  void aBareTextIsCompleteWithoutNewline() {
    DeframerProbe p = probe().feed("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}");
    assertEquals(List.of("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}"), p.frames);
    assertFalse(p.deframer.hasPartialFrame());
  }

  @Test
  void unfinishedTextIsHeldAndPartial() {
    DeframerProbe p = probe().feed("{\"a\":1}\n{\"b\":");
    assertEquals(List.of("{\"a\":1}"), p.frames);
    assertTrue(p.deframer.hasPartialFrame());
    p.feed("2}\r\n");
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), p.frames);
    assertFalse(p.deframer.hasPartialFrame());
  }

  @Test
  void whitespaceWithoutNewlineCountsAsPartial() {
    DeframerProbe p = probe().feed(" \t");
    assertTrue(p.deframer.hasPartialFrame());
    p.feed("\n");
    assertFalse(p.deframer.hasPartialFrame());
    assertTrue(p.frames.isEmpty());
  }

  @Test
  void whitespaceRunCountsAgainstTheMaximum() {
    DeframerProbe p = probe().feed(" ".repeat(MAX));
    assertTrue(p.errors.isEmpty());
    p.feed(" ");
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    assertSameAtEverySplit(Framing.LINE, MAX, bytes(" ".repeat(MAX) + "\r\n" + " ".repeat(MAX + 1)), List.of(), Kind.FRAME_TOO_LARGE);
  }

  @Test
  void tooLongRejectedBeforeItEnds() {
    DeframerProbe p = probe().feed("{" + "x".repeat(MAX - 1));
    assertTrue(p.errors.isEmpty());
    assertTrue(p.deframer.hasPartialFrame());
    p.feed("x");
    assertEquals(Kind.FRAME_TOO_LARGE, p.singleError().kind());
    p.feed("}\n{}\n");
    assertEquals(1, p.errors.size());
    assertTrue(p.frames.isEmpty());
    assertEquals(0, p.deframer.bufferedBytes());
  }

  @Test
  void tooLongRejectedAtEverySplit() {
    assertSameAtEverySplit(Framing.LINE, MAX, bytes("{}\n[" + "1".repeat(MAX) + "]\n{}\n"), List.of("{}"), Kind.FRAME_TOO_LARGE);
    assertSameAtEverySplit(Framing.LINE, MAX, bytes("[]" + "x".repeat(MAX + 1) + "\n{}"), List.of("[]"), Kind.FRAME_TOO_LARGE);
    assertSameAtEverySplit(Framing.LINE, MAX, bytes("{\"s\":\"" + "y".repeat(MAX) + "\"}"), List.of(), Kind.FRAME_TOO_LARGE);
    // Never finished: rejected while it grows, not only once it ends.
    assertSameAtEverySplit(Framing.LINE, MAX, bytes("{}[" + "1,".repeat(MAX)), List.of("{}"), Kind.FRAME_TOO_LARGE);
    assertSameAtEverySplit(Framing.LINE, MAX, bytes("{}\nabc" + "x".repeat(MAX)), List.of("{}"), Kind.FRAME_TOO_LARGE);
  }

  @Test
  void exactMaxAcceptedWithOrWithoutCrLf() {
    String text = "[" + "1".repeat(MAX - 2) + "]";
    assertFrames(text + "\r\n" + text + "\n" + text, text, text, text);
    String garbage = "x".repeat(MAX);
    assertFrames(garbage + "\r\n" + garbage + "\n", garbage, garbage);
  }
}
