package io.busrpc.gateway.impl;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The copies a resumable session keeps ({@link ResumeBuffer}) and its tokens ({@link ResumeTokens}). */
class ResumeBufferTest {

  private static List<String> texts(List<Buffer> buffers) {
    return buffers.stream().map(Buffer::toString).toList();
  }

  @Test
  void copiesAreNumberedDroppedByAcksAndResentAfterASeq() {
    ResumeBuffer buffer = new ResumeBuffer();
    for (String text : List.of("a", "bb", "ccc", "dddd")) {
      buffer.add(Buffer.buffer(text));
    }
    assertEquals(4, buffer.sent());
    assertEquals(10, buffer.bytes());
    buffer.ack(2);
    assertEquals(7, buffer.bytes());
    assertFalse(buffer.canResendAfter(1), "copy 2 is gone");
    assertTrue(buffer.canResendAfter(2));
    assertTrue(buffer.canResendAfter(4));
    assertFalse(buffer.canResendAfter(5), "nothing numbered 5 was sent");
    assertFalse(buffer.canResendAfter(-1));
    assertEquals(List.of("dddd"), texts(buffer.after(3)));
    assertEquals(4, buffer.bytes());
    buffer.ack(99); // an ack past what was sent drops what there is, no more
    assertEquals(0, buffer.bytes());
    assertTrue(buffer.canResendAfter(4));
    buffer.add(Buffer.buffer("e"));
    assertEquals(List.of("e"), texts(buffer.after(4)));
  }

  @Test
  void aTokenIsAcceptedUntilItsSuccessorIsConfirmed() {
    ResumeTokens tokens = new ResumeTokens("node-1", "instance");
    String first = tokens.current();
    assertTrue(first.startsWith("node-1.instance."));
    byte[] firstSecret = ResumeTokens.Parsed.of(first).secret();
    assertTrue(tokens.accepts(firstSecret));
    assertFalse(tokens.accepts("AAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII)));
    String second = tokens.resumed(firstSecret);
    assertNotEquals(first, second);
    assertTrue(tokens.accepts(firstSecret), "the answer may have been lost: the used token may be tried again");
    tokens.confirmed();
    assertFalse(tokens.accepts(firstSecret));
    assertTrue(tokens.accepts(ResumeTokens.Parsed.of(second).secret()));
    assertEquals(null, ResumeTokens.Parsed.of("no-dot"));
  }
}
