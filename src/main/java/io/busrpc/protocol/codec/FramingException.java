package io.busrpc.protocol.codec;

/**
 * Reports that an incoming byte stream violates its framing. The stream cannot be
 * resynchronised after this, so the connection should be closed.
 */
public final class FramingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The first byte of the stream matches no known {@link Framing}. */
    UNKNOWN_FRAMING,
    /**
     * A declared length, an LSP {@code Content-Length}, an LSP header block or an unterminated
     * line exceeds the allowed maximum.
     */
    FRAME_TOO_LARGE,
    /**
     * An LSP header block is malformed: a header line without {@code ':'}, a missing or
     * conflicting {@code Content-Length}, or one that is not a non-negative integer.
     */
    BAD_HEADER
  }

  private final Kind kind;

  /**
   * Creates an exception.
   *
   * @param kind what went wrong; must not be null
   * @param message human-readable description
   * @throws NullPointerException if {@code kind} is null
   */
  public FramingException(Kind kind, String message) {
    // No stack trace: this is an expected outcome of bad client input, not a bug.
    super(message, null, false, false);
    if (kind == null) {
      throw new NullPointerException("kind");
    }
    this.kind = kind;
  }

  /**
   * Returns what went wrong.
   *
   * @return the kind, never null
   */
  public Kind kind() {
    return kind;
  }
}
