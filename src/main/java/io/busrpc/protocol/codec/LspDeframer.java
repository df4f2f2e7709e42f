package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * {@link Framing#LSP}: {@code Content-Length: N} headers, a blank line, then N bytes (the Language
 * Server Protocol's base protocol). Header names are case-insensitive, lines may end in
 * {@code \r\n} or {@code \n}, headers other than {@code Content-Length} are ignored.
 *
 * <p>Fails with {@link FramingException.Kind#FRAME_TOO_LARGE} for a header block longer than
 * {@value #MAX_HEADER_BLOCK} bytes or a {@code Content-Length} above the maximum (before the body
 * is buffered), and with {@link FramingException.Kind#BAD_HEADER} for a header line without
 * {@code ':'}, a missing, conflicting or non-numeric {@code Content-Length}, or a blank line where
 * headers are expected (e.g. a stray {@code \r\n} between messages).
 */
final class LspDeframer extends BaseDeframer {

  private static final String CONTENT_LENGTH = "Content-Length";

  private int headerBlockBytes;
  private long contentLength = -1;

  LspDeframer(int maxFrameSize) {
    super(maxFrameSize);
  }

  @Override
  protected Object decode(int end) {
    while (pos < end) {
      if (inBody()) {
        Buffer body = readBody(end);
        if (body != null) {
          return body;
        }
        continue;
      }
      Object result = readHeaderLine(end);
      if (result != null) {
        return result;
      }
    }
    return null;
  }

  @Override
  public boolean hasPartialFrame() {
    return headerBlockBytes > 0 || inBody();
  }

  /** @return an empty frame, an error, or null when the line (if complete) was a header */
  private Object readHeaderLine(int end) {
    int nl = indexOf((byte) '\n', pos, end);
    int segmentEnd = nl < 0 ? end : nl + 1;
    if (headerBlockBytes + (long) (segmentEnd - pos) > MAX_HEADER_BLOCK) {
      return fail(FramingException.Kind.FRAME_TOO_LARGE,
          "LSP header block exceeds the maximum of " + MAX_HEADER_BLOCK + " bytes");
    }
    headerBlockBytes += segmentEnd - pos;
    if (nl < 0) {
      append(pos, end);
      pos = end;
      return null;
    }
    String line;
    if (pending == null) {
      line = input.getString(pos, nl, "ISO-8859-1");
    } else {
      append(pos, nl);
      line = takePending().toString(StandardCharsets.ISO_8859_1);
    }
    pos = nl + 1;
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return line.isEmpty() ? endOfHeaders() : parseHeader(line);
  }

  private FramingException parseHeader(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      return fail(FramingException.Kind.BAD_HEADER, "malformed LSP header line: '" + line + "'");
    }
    String name = line.substring(0, colon).trim();
    if (!name.equalsIgnoreCase(CONTENT_LENGTH)) {
      return null; // e.g. Content-Type: ignored
    }
    long value = parseNonNegative(line.substring(colon + 1).trim());
    if (value < 0) {
      return fail(FramingException.Kind.BAD_HEADER, "Content-Length is not a non-negative integer: '" + line + "'");
    }
    if (contentLength >= 0 && contentLength != value) {
      return fail(FramingException.Kind.BAD_HEADER, "conflicting Content-Length headers");
    }
    contentLength = value;
    return null;
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

  /** @return an empty frame, an error, or null when a body starts */
  private Object endOfHeaders() {
    if (contentLength < 0) {
      return fail(FramingException.Kind.BAD_HEADER, "LSP header block has no Content-Length");
    }
    long length = contentLength;
    contentLength = -1;
    headerBlockBytes = 0;
    if (length > maxFrameSize) {
      return failTooLarge(length);
    }
    return startBody((int) length);
  }
}
