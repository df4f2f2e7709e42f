package io.busrpc.gateway.impl;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * The bytes on their way to one client, bounded. Frames produced in one event-loop turn are
 * gathered into one write; every byte counts from the moment it is queued until the socket has
 * handed it to the operating system (the write's future completes then, or fails when the socket
 * closes), which covers Vert.x's own write queue and Netty's outbound buffer: the real memory a
 * client that does not read makes the node hold.
 *
 * <p>A frame that would take the queue past the cap is not queued: the outbox reports the overflow
 * once and drops everything after it. A frame larger than the cap still goes out when nothing else
 * is queued, so one big answer does not cost a client that reads its connection.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class Outbox {

  private final NetSocket socket;
  private final Context context;
  private final GatewayMetrics metrics;
  private final long cap;
  private final Runnable onOverflow;
  private final Runnable onWriteQueueFull;
  private Buffer gathered;
  private long unwritten;
  private boolean overflowed;
  private boolean closed;

  Outbox(NetSocket socket, Context context, GatewayMetrics metrics, long cap, Runnable onOverflow,
         Runnable onWriteQueueFull) {
    this.socket = socket;
    this.context = context;
    this.metrics = metrics;
    this.cap = cap;
    this.onOverflow = onOverflow;
    this.onWriteQueueFull = onWriteQueueFull;
  }

  /**
   * Queues a frame.
   *
   * @param moreComing true when more frames are expected in this event-loop turn (calls in flight),
   *                   so the frame waits to be written with them
   */
  void send(Buffer frame, boolean moreComing) {
    if (closed || overflowed) {
      return;
    }
    long queued = queued();
    if (queued > 0 && queued + frame.length() > cap) {
      overflowed = true;
      gathered = null;
      onOverflow.run();
      return;
    }
    if (gathered != null) {
      gathered.appendBuffer(frame);
    } else if (!moreComing) {
      write(frame); // no other answer is on its way: no reason to wait
    } else {
      gathered = Buffer.buffer(Math.max(4096, 2 * frame.length())).appendBuffer(frame);
      context.runOnContext(v -> flush());
    }
  }

  /** Writes what was gathered. */
  void flush() {
    Buffer pending = gathered;
    gathered = null;
    if (pending != null && !closed) {
      write(pending);
    }
  }

  /** @return bytes queued and not yet handed to the operating system */
  long queued() {
    return unwritten + (gathered == null ? 0 : gathered.length());
  }

  /** @return true once a frame did not fit */
  boolean overflowed() {
    return overflowed;
  }

  /** The socket closed: nothing more is written. */
  void close() {
    closed = true;
    gathered = null;
  }

  private void write(Buffer frames) {
    int length = frames.length();
    metrics.bytesOut(length);
    unwritten += length;
    socket.write(frames).onComplete(ar -> unwritten -= length);
    if (socket.writeQueueFull()) {
      onWriteQueueFull.run();
    }
  }
}
