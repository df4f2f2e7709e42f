package io.busrpc.protocol.codec;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Splits the bytes arriving on one connection into JSON payloads.
 *
 * <p>Feed every chunk read from the socket to {@link #handle(Buffer)}, in order. Chunks may be
 * split anywhere and may hold several frames. The {@link Framing} is detected from the first byte
 * of the stream; each complete payload, without its framing bytes, is passed to the frame handler
 * in order.
 *
 * <p>The maximum frame size is enforced before a body is buffered: a too-large length prefix or
 * {@code Content-Length} is rejected as soon as it has been read, and an unterminated line is
 * rejected as soon as it grows past the maximum. The decoder therefore never holds more than about
 * {@code maxFrameSize} bytes (plus at most {@value #MAX_HEADER_BLOCK} bytes of LSP headers).
 *
 * <p>Per framing:
 * <ul>
 *   <li>LENGTH: a zero length emits an empty buffer; a length above the maximum (including any
 *       length of 2^31 or more) fails with {@link FramingException.Kind#FRAME_TOO_LARGE} as soon as
 *       the 4-byte prefix is read.</li>
 *   <li>LINE: one {@code \r} before the {@code \n} is stripped; lines that are empty or hold only
 *       spaces, tabs and {@code \r} are skipped, other lines are emitted untrimmed. Every line,
 *       whitespace-only ones included, counts against the maximum; an unterminated line fails with
 *       {@code FRAME_TOO_LARGE} as soon as it is longer than the maximum (one extra byte is allowed
 *       if it is a {@code \r}). A final line without {@code \n} is never emitted.</li>
 *   <li>LSP: header names are case-insensitive, lines may end in {@code \r\n} or {@code \n},
 *       headers other than {@code Content-Length} are ignored. A header block longer than
 *       {@value #MAX_HEADER_BLOCK} bytes fails with {@code FRAME_TOO_LARGE}; a header line without
 *       {@code ':'}, a missing, conflicting or non-numeric {@code Content-Length}, or a blank line
 *       where headers are expected (e.g. a stray {@code \r\n} between messages) fail with
 *       {@link FramingException.Kind#BAD_HEADER}.</li>
 * </ul>
 *
 * <p>On the first error the error handler is called once and every later byte is ignored; the
 * caller is expected to close the connection.
 *
 * <p>Payloads that lie entirely inside one chunk are emitted as slices of that chunk, without
 * copying. The frame handler must therefore consume the payload before returning, or copy it if it
 * needs to keep it. Frames spanning chunks are copied into a fresh buffer.
 *
 * <p>Not thread-safe and not re-entrant: use it from the connection's event loop and do not call
 * {@link #handle(Buffer)} from inside the handlers.
 */
public final class FrameDecoder implements Handler<Buffer> {

  /** Maximum size of one LSP header block, including line terminators and the blank line. */
  public static final int MAX_HEADER_BLOCK = 8192;

  private static final String CONTENT_LENGTH = "Content-Length";

  private enum State {
    /** Nothing received yet. */
    DETECT,
    /** LENGTH: reading the 4-byte prefix. */
    LENGTH_PREFIX,
    /** LINE: reading up to the next '\n'. */
    LINE,
    /** LSP: reading header lines up to the blank line. */
    LSP_HEADERS,
    /** LENGTH or LSP: reading {@code bodyLength} payload bytes. */
    BODY,
    /** An error was reported; all input is ignored. */
    FAILED
  }

  private final int maxFrameSize;
  private final Handler<Buffer> frameHandler;
  private final Handler<FramingException> errorHandler;

  private Framing framing;
  private State state = State.DETECT;

  /** Bytes of an incomplete body, line or header line that spans chunks; null when none. */
  private Buffer pending;

  // LENGTH prefix split across chunks.
  private long prefix;
  private int prefixBytes;

  // BODY
  private int bodyLength;

  // LSP header block
  private int headerBlockBytes;
  private long contentLength = -1;

  // Backpressure: while paused no frame is emitted; the rest of the current chunk waits here.
  private boolean paused;
  private Buffer held;

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
   * completes. After an error has been reported, does nothing.
   *
   * <p>Framing problems are reported to the error handler, never thrown. Exceptions thrown by
   * the handlers propagate to the caller.
   *
   * @param chunk the bytes received; not modified, and may be reused once this method returns
   *     (provided the frame handler did not keep emitted slices)
   * @throws NullPointerException if {@code chunk} is null
   */
  @Override
  public void handle(Buffer chunk) {
    int pos = 0;
    int end = chunk.length();
    while (pos < end) {
      if (paused) {
        held = chunk.getBuffer(pos, end);
        return;
      }
      switch (state) {
        case DETECT:
          detect(chunk.getByte(pos)); // does not consume the byte
          break;
        case LENGTH_PREFIX:
          pos = readPrefix(chunk, pos, end);
          break;
        case BODY:
          pos = readBody(chunk, pos, end);
          break;
        case LINE:
          pos = readLine(chunk, pos, end);
          break;
        case LSP_HEADERS:
          pos = readHeaderLine(chunk, pos, end);
          break;
        case FAILED:
          return;
        default:
          throw new AssertionError(state);
      }
    }
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
    Buffer rest = held;
    held = null;
    if (rest != null) {
      handle(rest);
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
   * Useful for a timeout on slow or stalled frames. For LINE framing a buffered line that is only
   * whitespace so far also counts.
   *
   * @return true if an incomplete frame is buffered; false between frames and after an error
   */
  public boolean hasPartialFrame() {
    switch (state) {
      case LENGTH_PREFIX:
        return prefixBytes > 0;
      case BODY:
        return true;
      case LINE:
        return pending != null;
      case LSP_HEADERS:
        return headerBlockBytes > 0;
      default:
        return false;
    }
  }

  /** Number of bytes currently copied into the accumulation buffer (for tests). */
  int bufferedBytes() {
    return (pending == null ? 0 : pending.length()) + (held == null ? 0 : held.length());
  }

  private void detect(byte first) {
    framing = Framing.detect(first);
    if (framing == null) {
      fail(FramingException.Kind.UNKNOWN_FRAMING, String.format(
          "unrecognised first byte 0x%02x; expected 0x00 (len), '{', '[' or whitespace (line),"
              + " or 'C' (lsp)", first & 0xFF));
      return;
    }
    state = initialState();
  }

  private State initialState() {
    switch (framing) {
      case LENGTH:
        return State.LENGTH_PREFIX;
      case LINE:
        return State.LINE;
      case LSP:
        return State.LSP_HEADERS;
      default:
        throw new AssertionError(framing);
    }
  }

  // ---- LENGTH ----

  private int readPrefix(Buffer chunk, int pos, int end) {
    long length;
    if (prefixBytes == 0 && end - pos >= 4) {
      length = chunk.getUnsignedInt(pos);
      pos += 4;
    } else {
      while (prefixBytes < 4 && pos < end) {
        prefix = (prefix << 8) | (chunk.getByte(pos++) & 0xFF);
        prefixBytes++;
      }
      if (prefixBytes < 4) {
        return pos;
      }
      length = prefix;
      prefix = 0;
      prefixBytes = 0;
    }
    // length is unsigned 32-bit in a long, so >= 2^31 cannot turn negative here.
    if (length > maxFrameSize) {
      failTooLarge(length);
      return pos;
    }
    startBody((int) length);
    return pos;
  }

  // ---- BODY (LENGTH and LSP) ----

  private void startBody(int length) {
    if (length == 0) {
      state = initialState();
      frameHandler.handle(Buffer.buffer(0));
    } else {
      bodyLength = length;
      state = State.BODY;
    }
  }

  private int readBody(Buffer chunk, int pos, int end) {
    int available = end - pos;
    if (pending == null && available >= bodyLength) {
      int frameEnd = pos + bodyLength;
      state = initialState();
      frameHandler.handle(chunk.slice(pos, frameEnd));
      return frameEnd;
    }
    if (pending == null) {
      // Grow on demand rather than trusting the declared length with a big allocation.
      pending = Buffer.buffer(Math.min(bodyLength, 64 * 1024));
    }
    int take = Math.min(bodyLength - pending.length(), available);
    pending.appendBuffer(chunk, pos, take);
    if (pending.length() == bodyLength) {
      Buffer frame = pending;
      pending = null;
      state = initialState();
      frameHandler.handle(frame);
    }
    return pos + take;
  }

  // ---- LINE ----

  private int readLine(Buffer chunk, int pos, int end) {
    int nl = indexOfNewline(chunk, pos, end);
    long pendingLength = bufferedBytes();
    if (nl < 0) {
      long length = pendingLength + (end - pos);
      // One extra byte is allowed if it is the '\r' of a coming "\r\n".
      if (length > maxFrameSize + 1L
          || (length == maxFrameSize + 1L && chunk.getByte(end - 1) != '\r')) {
        fail(FramingException.Kind.FRAME_TOO_LARGE, "unterminated line of " + length
            + " bytes exceeds the maximum of " + maxFrameSize);
        return end;
      }
      append(chunk, pos, end);
      return end;
    }
    long length = pendingLength + (nl - pos);
    if (length > 0 && lastByteBefore(chunk, pos, nl) == '\r') {
      length--;
    }
    if (length > maxFrameSize) {
      failTooLarge(length);
      return end;
    }
    Buffer line;
    if (pending == null) {
      line = chunk.slice(pos, pos + (int) length);
    } else {
      pending.appendBuffer(chunk, pos, nl - pos);
      line = pending.length() == length ? pending : pending.slice(0, (int) length);
      pending = null;
    }
    if (!isBlank(line)) {
      frameHandler.handle(line);
    }
    return nl + 1;
  }

  /** The byte just before {@code nl}, which may sit at the end of {@code pending}. */
  private byte lastByteBefore(Buffer chunk, int pos, int nl) {
    return nl > pos ? chunk.getByte(nl - 1) : pending.getByte(pending.length() - 1);
  }

  private static boolean isBlank(Buffer line) {
    int n = line.length();
    for (int i = 0; i < n; i++) {
      byte b = line.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  // ---- LSP ----

  private int readHeaderLine(Buffer chunk, int pos, int end) {
    int nl = indexOfNewline(chunk, pos, end);
    int segmentEnd = nl < 0 ? end : nl + 1;
    if (headerBlockBytes + (long) (segmentEnd - pos) > MAX_HEADER_BLOCK) {
      fail(FramingException.Kind.FRAME_TOO_LARGE,
          "LSP header block exceeds the maximum of " + MAX_HEADER_BLOCK + " bytes");
      return end;
    }
    headerBlockBytes += segmentEnd - pos;
    if (nl < 0) {
      append(chunk, pos, end);
      return end;
    }
    String line;
    if (pending == null) {
      line = chunk.getString(pos, nl, "ISO-8859-1");
    } else {
      pending.appendBuffer(chunk, pos, nl - pos);
      line = pending.toString(StandardCharsets.ISO_8859_1);
      pending = null;
    }
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      endOfHeaders();
    } else {
      parseHeader(line);
    }
    return nl + 1;
  }

  private void parseHeader(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      fail(FramingException.Kind.BAD_HEADER, "malformed LSP header line: '" + line + "'");
      return;
    }
    String name = line.substring(0, colon).trim();
    if (!name.equalsIgnoreCase(CONTENT_LENGTH)) {
      return; // e.g. Content-Type: ignored
    }
    long value = parseNonNegative(line.substring(colon + 1).trim());
    if (value < 0) {
      fail(FramingException.Kind.BAD_HEADER,
          "Content-Length is not a non-negative integer: '" + line + "'");
    } else if (contentLength >= 0 && contentLength != value) {
      fail(FramingException.Kind.BAD_HEADER, "conflicting Content-Length headers");
    } else {
      contentLength = value;
    }
  }

  /**
   * Parses ASCII digits; returns -1 if the text is empty or has a non-digit. Values above
   * {@code Integer.MAX_VALUE} saturate at {@code Integer.MAX_VALUE + 1}, which is always too large.
   */
  private static long parseNonNegative(String text) {
    if (text.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = Math.min(value * 10 + (c - '0'), Integer.MAX_VALUE + 1L);
    }
    return value;
  }

  private void endOfHeaders() {
    if (contentLength < 0) {
      fail(FramingException.Kind.BAD_HEADER, "LSP header block has no Content-Length");
      return;
    }
    long length = contentLength;
    contentLength = -1;
    headerBlockBytes = 0;
    if (length > maxFrameSize) {
      failTooLarge(length);
      return;
    }
    startBody((int) length);
  }

  // ---- helpers ----

  private static int indexOfNewline(Buffer chunk, int from, int end) {
    for (int i = from; i < end; i++) {
      if (chunk.getByte(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void append(Buffer chunk, int from, int end) {
    if (pending == null) {
      pending = Buffer.buffer(Math.max(64, end - from));
    }
    pending.appendBuffer(chunk, from, end - from);
  }

  private void failTooLarge(long length) {
    fail(FramingException.Kind.FRAME_TOO_LARGE,
        "frame of " + length + " bytes exceeds the maximum of " + maxFrameSize);
  }

  private void fail(FramingException.Kind kind, String message) {
    state = State.FAILED;
    pending = null;
    errorHandler.handle(new FramingException(kind, message));
  }
}
