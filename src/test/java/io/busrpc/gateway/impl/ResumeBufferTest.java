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
    String second = tokens.resumed();
    assertNotEquals(first, second);
    assertTrue(tokens.accepts(firstSecret), "the answer may have been lost: the used token may be tried again");
    tokens.confirmed();
    assertFalse(tokens.accepts(firstSecret));
    assertTrue(tokens.accepts(ResumeTokens.Parsed.of(second).secret()));
    assertEquals(null, ResumeTokens.Parsed.of("no-dot"));
  }

  /**
   * Tokens issued while the client confirms none all stay good (a late resume from an older
   * connection may have taken the session from under the newest one), up to
   * {@link ResumeTokens#MAX_UNCONFIRMED} before the newest; confirming leaves the newest only.
   */
  @Test
  void unconfirmedTokensStayGoodUpToTheBound() {
    ResumeTokens tokens = new ResumeTokens("node-1", "instance");
    List<byte[]> issued = new java.util.ArrayList<>();
    issued.add(ResumeTokens.Parsed.of(tokens.current()).secret());
    for (int i = 0; i < ResumeTokens.MAX_UNCONFIRMED + 1; i++) {
      issued.add(ResumeTokens.Parsed.of(tokens.resumed()).secret());
    }
    assertFalse(tokens.accepts(issued.get(0)), "the oldest, past the bound");
    for (int i = 1; i < issued.size(); i++) {
      assertTrue(tokens.accepts(issued.get(i)), "token " + i);
    }
    tokens.confirmed();
    for (int i = 0; i < issued.size() - 1; i++) {
      assertFalse(tokens.accepts(issued.get(i)), "token " + i + " after the newest was confirmed");
    }
    assertTrue(tokens.accepts(issued.get(issued.size() - 1)));
  }
}
