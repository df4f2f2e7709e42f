package io.busrpc.protocol.codec;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * Reads the frames of one connection: detects the {@link Framing} from the first byte of the
 * stream (once, as Netty's port unification handler does), installs that framing's
 * {@link Deframer}, and pulls frames out of it while it is not paused. Flow control lives here
 * and only here: while paused, no frame is taken, also in the middle of a chunk.
 *
 * <p>Feed every chunk read from the socket to {@link #handle(Buffer)}, in order. Chunks may be
 * split anywhere and may hold several frames; each complete payload, without its framing bytes,
 * is passed to the frame handler in order. See the deframers for each framing's rules and limits:
 * {@link Framing#LENGTH}, {@link Framing#LINE} (a stream of JSON texts) and {@link Framing#LSP}.
 *
 * <p>On the first error the error handler is called once and every later byte is ignored; the
 * caller is expected to close the connection.
 *
 * <p>Payloads that lie entirely inside one chunk are emitted as slices of that chunk, without
 * copying. The frame handler must therefore consume the payload before returning, or copy it if it
 * needs to keep it. The decoder keeps a reference to a chunk until its frames have been taken, so
 * do not modify a chunk after passing it in.
 *
 * <p>Not thread-safe and not re-entrant: use it from the connection's event loop and do not call
 * {@link #handle(Buffer)} from inside the handlers.
 */
public final class FrameDecoder implements Handler<Buffer> {

  /** Maximum size of one LSP header block, including line terminators and the blank line. */
  public static final int MAX_HEADER_BLOCK = Deframer.MAX_HEADER_BLOCK;

  private final int maxFrameSize;
  private final Handler<Buffer> frameHandler;
  private final Handler<FramingException> errorHandler;

  private Framing framing;
  private Deframer deframer;
  private boolean failed;
  private boolean paused;

  /**
   * Creates a decoder for one connection.
   *
   * @param maxFrameSize the largest payload accepted, in bytes; must be non-negative
   * @param frameHandler receives each complete payload, in order
   * @param errorHandler receives the first framing error, at most once
   * @throws IllegalArgumentException if {@code maxFrameSize} is negative
   * @throws NullPointerException if a handler is null
   */
  public FrameDecoder(int maxFrameSize, Handler<Buffer> frameHandler,
      Handler<FramingException> errorHandler) {
    if (maxFrameSize < 0) {
      throw new IllegalArgumentException("maxFrameSize must be >= 0: " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    this.frameHandler = Objects.requireNonNull(frameHandler, "frameHandler");
    this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
  }

  /**
   * Consumes the next chunk of bytes received on the connection, emitting every frame it
   * completes unless paused. After an error has been reported, does nothing.
   *
   * <p>Framing problems are reported to the error handler, never thrown. Exceptions thrown by
   * the handlers propagate to the caller.
   *
   * @param chunk the bytes received; not to be modified afterwards
   * @throws NullPointerException if {@code chunk} is null
   */
  @Override
  public void handle(Buffer chunk) {
    if (failed || chunk.length() == 0) {
      return;
    }
    if (deframer == null) {
      framing = Framing.detect(chunk.getByte(0));
      if (framing == null) {
        fail(new FramingException(FramingException.Kind.UNKNOWN_FRAMING, String.format(
            "unrecognised first byte 0x%02x; expected 0x00 (len), '{', '[' or whitespace (line),"
                + " or 'C' (lsp)", chunk.getByte(0) & 0xFF)));
        return;
      }
      deframer = Deframer.create(framing, maxFrameSize);
    }
    deframer.update(chunk);
    pull();
  }

  /** Takes frames while not paused and the deframer has them. */
  private void pull() {
    while (!paused && !failed) {
      Object next = deframer.next();
      if (next == null) {
        return;
      }
      if (next instanceof FramingException e) {
        fail(e);
        return;
      }
      frameHandler.handle((Buffer) next);
    }
  }

  private void fail(FramingException e) {
    failed = true;
    errorHandler.handle(e);
  }

  /**
   * Stops emitting frames, also in the middle of a chunk: the caller has enough work in flight.
   * Bytes that arrive meanwhile wait (the caller pauses its socket too, so at most one chunk does).
   */
  public void pause() {
    paused = true;
  }

  /** Emits the frames held back while paused, then carries on; may be paused again by a handler. */
  public void resume() {
    paused = false;
    if (deframer != null) {
      pull();
    }
  }

  /** @return true while paused */
  public boolean isPaused() {
    return paused;
  }

  /**
   * Returns the framing detected from the first byte of the stream.
   *
   * @return the framing, or {@code null} if no byte has been received yet or the first byte was
   *     not recognised
   */
  public Framing framing() {
    return framing;
  }

  /**
   * Tells whether part of a frame (or of its header) has been received but not yet emitted.
   * Useful for a timeout on slow or stalled frames. For LINE framing whitespace not yet ended by
   * a newline also counts.
   *
   * @return true if an incomplete frame is buffered; false between frames and after an error
   */
  public boolean hasPartialFrame() {
    return deframer != null && !failed && deframer.hasPartialFrame();
  }

  /** Number of bytes held: a partial frame plus input not taken yet while paused (for tests). */
  int bufferedBytes() {
    return deframer == null || failed ? 0 : deframer.bufferedBytes();
  }
}
