package io.busrpc.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * What the deframers share: the input not consumed yet, the bytes of a frame that spans chunks,
 * the length-delimited body (LENGTH and LSP), and the one-time error.
 */
abstract class BaseDeframer implements Deframer {

  protected final int maxFrameSize;
  /** Input not consumed yet, from {@link #pos}; null when all is consumed. */
  protected Buffer input;
  protected int pos;
  /** The bytes of {@link #input}: {@code input.getByte(i) == array[arrayOffset + i]}, for fast scans. */
  protected byte[] array;
  protected int arrayOffset;
  /** Bytes of an incomplete frame copied out of earlier chunks; null when none. */
  protected Buffer pending;
  private boolean failed;
  /** Length of the body being read, or -1 when not reading a body. */
  private int bodyLength = -1;

  BaseDeframer(int maxFrameSize) {
    if (maxFrameSize < 0) {
      throw new IllegalArgumentException("maxFrameSize must be >= 0: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
  }

  @Override
  public final void update(Buffer chunk) {
    if (failed || chunk.length() == 0) {
      return;
    }
    if (input == null) {
      input = chunk;
      pos = 0;
    } else {
      // Only when the reader stopped pulling mid-chunk and another chunk came anyway.
      input = input.getBuffer(pos, input.length()).appendBuffer(chunk);
      pos = 0;
    }
    ByteBuf buf = ((BufferInternal) input).getByteBuf();
    if (buf.hasArray()) {
      array = buf.array();
      arrayOffset = buf.arrayOffset() + buf.readerIndex();
    } else {
      array = input.getBytes(); // a direct buffer: scan a copy (Vert.x sockets deliver heap buffers)
      arrayOffset = 0;
      input = Buffer.buffer(array);
    }
  }

  @Override
  public final Object next() {
    if (input == null) {
      return null;
    }
    Object frame = decode(input.length());
    if (input != null && pos >= input.length()) {
      input = null;
      array = null;
    }
    return frame;
  }

  /**
   * Decodes from {@link #pos} up to {@code end} of {@link #input}, advancing {@code pos}.
   *
   * @return the next frame, a {@link FramingException} made by {@link #fail}, or null when the
   *     input is used up
   */
  protected abstract Object decode(int end);

  @Override
  public int bufferedBytes() {
    return (pending == null ? 0 : pending.length()) + (input == null ? 0 : input.length() - pos);
  }

  /** @return the index of the first {@code value} in {@code input[from, to)}, or -1 */
  protected int indexOf(byte value, int from, int to) {
    byte[] a = array;
    int off = arrayOffset;
    for (int i = from; i < to; i++) {
      if (a[off + i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** @return true while the bytes of a length-delimited body are being read */
  protected boolean inBody() {
    return bodyLength >= 0;
  }

  /** Starts a body of {@code length} bytes (at most the maximum); an empty one is returned at once. */
  protected Buffer startBody(int length) {
    if (length == 0) {
      return Buffer.buffer(0);
    }
    bodyLength = length;
    return null;
  }

  /** @return the body once complete, else null with the input used up */
  protected Buffer readBody(int end) {
    int available = end - pos;
    if (pending == null && available >= bodyLength) {
      int frameEnd = pos + bodyLength;
      Buffer frame = input.slice(pos, frameEnd);
      pos = frameEnd;
      bodyLength = -1;
      return frame;
    }
    if (pending == null) {
      // Grow on demand rather than trusting the declared length with a big allocation.
      pending = Buffer.buffer(Math.min(bodyLength, 64 * 1024));
    }
    int take = Math.min(bodyLength - pending.length(), available);
    pending.appendBuffer(input, pos, take);
    pos += take;
    if (pending.length() < bodyLength) {
      return null;
    }
    bodyLength = -1;
    return takePending();
  }

  /** @return the pending bytes, which are no longer pending */
  protected Buffer takePending() {
    Buffer frame = pending;
    pending = null;
    return frame;
  }

  /** Copies {@code input[from, to)} to the pending bytes. */
  protected void append(int from, int to) {
    if (pending == null) {
      pending = Buffer.buffer(Math.max(64, to - from));
    }
    pending.appendBuffer(input, from, to - from);
  }

  protected FramingException failTooLarge(long length) {
    return fail(FramingException.Kind.FRAME_TOO_LARGE,
        "frame of " + length + " bytes exceeds the maximum of " + maxFrameSize);
  }

  /** Drops everything held and ignores all later input. */
  protected FramingException fail(FramingException.Kind kind, String message) {
    failed = true;
    pending = null;
    input = null;
    array = null;
    bodyLength = -1;
    return new FramingException(kind, message);
  }
}
