package io.busrpc.gateway.impl;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

/**
 * The bytes on their way to one client, bounded. JSON texts produced in one event-loop turn are
 * gathered into one flush of the transport; every byte counts from the moment it is queued until
 * the transport has handed it to the operating system (the flush's future completes then, or fails
 * when the connection closes), which covers Vert.x's own write queue and Netty's outbound buffer:
 * the real memory a client that does not read makes the node hold.
 *
 * <p>A text that would take the queue past the cap is not queued: the outbox reports the overflow
 * once and drops everything after it. A text larger than the cap still goes out when nothing else
 * is queued, so one big answer does not cost a client that reads its connection.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class Outbox {

  private final SessionTransport transport;
  private final Context context;
  private final GatewayMetrics.Transport metrics;
  private final long cap;
  private final Runnable onOverflow;
  private final Runnable onWriteQueueFull;
  private boolean gathering;
  private int gathered;
  private long unwritten;
  private boolean overflowed;
  private boolean closed;

  Outbox(SessionTransport transport, Context context, GatewayMetrics metrics, long cap, Runnable onOverflow,
         Runnable onWriteQueueFull) {
    this.transport = transport;
    this.context = context;
    this.metrics = metrics.transport(transport.name());
    this.cap = cap;
    this.onOverflow = onOverflow;
    this.onWriteQueueFull = onWriteQueueFull;
  }

  /**
   * Queues a JSON text.
   *
   * @param moreComing true when more texts are expected in this event-loop turn (calls in flight),
   *                   so the text waits to be written with them
   */
  void send(Buffer json, boolean moreComing) {
    if (closed || overflowed) {
      return;
    }
    long queued = queued();
    if (queued > 0 && queued + json.length() > cap) {
      overflowed = true;
      gathering = false;
      gathered = 0;
      onOverflow.run();
      return;
    }
    gathered += transport.write(json);
    if (gathering) {
      return; // flushed with the others at the end of this turn
    }
    if (!moreComing) {
      flush(); // no other answer is on its way: no reason to wait
    } else {
      gathering = true;
      context.runOnContext(v -> flush());
    }
  }

  /** Writes what was gathered. */
  void flush() {
    gathering = false;
    int length = gathered;
    gathered = 0;
    if (length == 0 || closed) {
      return;
    }
    metrics.bytesOut(length);
    unwritten += length;
    transport.flush().onComplete(ar -> unwritten -= length);
    if (transport.writeQueueFull()) {
      onWriteQueueFull.run();
    }
  }

  /** @return bytes queued and not yet handed to the operating system */
  long queued() {
    return unwritten + gathered;
  }

  /** @return true once a text did not fit */
  boolean overflowed() {
    return overflowed;
  }

  /** The connection closed: nothing more is written. */
  void close() {
    closed = true;
    gathered = 0;
  }
}
