package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts the bytes of one connection into frames in one {@link Framing}: chunks go in with
 * {@link #update(Buffer)}, frames come out with {@link #next()}, one at a time, so the reader
 * decides how many it takes (flow control stays with the reader, as in vertx-grpc's
 * {@code GrpcMessageDeframer}).
 *
 * <p>Every deframer enforces the maximum frame size before buffering a body: it never holds more
 * than about {@code maxFrameSize} bytes of a frame (plus, for LSP, {@value #MAX_HEADER_BLOCK}
 * bytes of headers) besides the input it has not looked at yet.
 *
 * <p>Not thread-safe: use it from the connection's event loop.
 */
public interface Deframer {

  /** Maximum size of one LSP header block, including line terminators and the blank line. */
  int MAX_HEADER_BLOCK = 8192;

  /**
   * Creates the deframer of a framing.
   *
   * @param framing the framing of the stream
   * @param maxFrameSize the largest payload accepted, in bytes; must be non-negative
   * @return a new deframer, holding nothing
   * @throws IllegalArgumentException if {@code maxFrameSize} is negative
   */
  static Deframer create(Framing framing, int maxFrameSize) {
    return switch (framing) {
      case LENGTH -> new LengthDeframer(maxFrameSize);
      case LINE -> new JsonTextDeframer(maxFrameSize);
      case LSP -> new LspDeframer(maxFrameSize);
    };
  }

  /**
   * Adds the next chunk received, after any input not yet consumed. The deframer keeps a
   * reference to the chunk until {@link #next()} has consumed it: do not modify it meanwhile.
   * After an error, does nothing.
   *
   * @param chunk the bytes received, in order
   */
  void update(Buffer chunk);

  /**
   * Takes the next complete frame out of the input.
   *
   * @return a {@link Buffer} with the payload (without framing bytes; a slice of the input when
   *     the frame lies in one chunk, so consume or copy it before changing that chunk), a
   *     {@link FramingException} once when the stream violates its framing (the stream cannot be
   *     resynchronised: from then on nothing is buffered and {@code null} is returned), or
   *     {@code null} when more input is needed
   */
  Object next();

  /**
   * Tells whether part of a frame has been received but not yet returned (for a timeout on slow
   * frames). Input not yet looked at by {@link #next()} does not count.
   *
   * @return true if an incomplete frame is buffered
   */
  boolean hasPartialFrame();

  /** @return the bytes held: a partial frame plus input not yet consumed */
  int bufferedBytes();
}
