package io.busrpc.gateway.impl;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The counted messages a resumable session sent to its client and keeps until the client
 * acknowledges them (DESIGN §11): numbered 1, 2, 3… in the order they were sent, dropped from the
 * front by {@code rpc.ack}, resent after a resume. It counts the bytes it keeps so that the session
 * can hold it to {@code resumeBufferBytes}.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class ResumeBuffer {

  private final ArrayDeque<Buffer> copies = new ArrayDeque<>();
  private long sent;
  private long bytes;

  /**
   * Keeps a copy of a message sent now.
   *
   * @return the message's number
   */
  long add(Buffer json) {
    // The buffer itself: writing it never changes it (transports write slices of its bytes).
    copies.add(json);
    bytes += json.length();
    return ++sent;
  }

  /** The client has received the messages up to {@code seq}: their copies go. */
  void ack(long seq) {
    long upTo = Math.min(seq, sent);
    while (!copies.isEmpty() && firstKept() <= upTo) {
      bytes -= copies.poll().length();
    }
  }

  /**
   * @return true when the messages after {@code seq} can be resent exactly: {@code seq} is not above
   *     what was sent, nor below the copies already dropped
   */
  boolean canResendAfter(long seq) {
    return seq >= 0 && seq <= sent && seq >= firstKept() - 1;
  }

  /** @return the copies after {@code seq}, in order; drops those up to it */
  List<Buffer> after(long seq) {
    ack(seq);
    return new ArrayList<>(copies);
  }

  /** @return the number of the first copy kept (one past {@link #sent()} when none is kept) */
  private long firstKept() {
    return sent - copies.size() + 1;
  }

  /** @return how many counted messages were sent */
  long sent() {
    return sent;
  }

  /** @return the bytes of the copies kept */
  long bytes() {
    return bytes;
  }

  /** Drops every copy: the session ended. */
  void clear() {
    copies.clear();
    bytes = 0;
  }
}
