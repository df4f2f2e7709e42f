package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The ways a JSON-RPC payload can be delimited on a TCP stream.
 *
 * <ul>
 *   <li>{@link #LENGTH}: a 4-byte unsigned big-endian byte count followed by the payload.</li>
 *   <li>{@link #LINE}: the payload followed by {@code \n} (newline-delimited JSON).</li>
 *   <li>{@link #LSP}: {@code Content-Length: N\r\n\r\n} followed by N payload bytes, as in the
 *       Language Server Protocol base protocol.</li>
 * </ul>
 *
 * A connection uses one framing for its whole life; the server recognises it from the first byte
 * the client sends (see {@link #detect(byte)}).
 */
public enum Framing {

  /** 4-byte unsigned big-endian length prefix, then the payload. */
  LENGTH("len"),

  /** Payload terminated by {@code \n}; an optional {@code \r} before it is ignored. */
  LINE("line"),

  /** LSP base protocol: header block with {@code Content-Length}, blank line, then the payload. */
  LSP("lsp");

  private final String wireName;

  Framing(String wireName) {
    this.wireName = wireName;
  }

  /**
   * Recognises the framing from the first byte of a stream.
   *
   * <p>{@code 0x00} is the high byte of any sane length prefix; JSON text starts with
   * {@code {}, {@code [} or whitespace; LSP headers start with {@code Content-Length}
   * (in any case).
   *
   * @param firstByte the first byte received on the connection
   * @return the framing, or {@code null} if the byte matches none (the caller should close the
   *     connection); never throws
   */
  public static Framing detect(byte firstByte) {
    switch (firstByte) {
      case 0x00:
        return LENGTH;
      case '{':
      case '[':
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        return LINE;
      case 'C':
      case 'c':
        return LSP;
      default:
        return null;
    }
  }

  /**
   * Wraps one JSON payload in this framing, ready to be written to the socket.
   *
   * <p>The payload is copied; the argument is not modified.
   *
   * @param json the serialised JSON payload
   * @return a new buffer holding the framed payload
   * @throws NullPointerException if {@code json} is null
   * @throws IllegalArgumentException for {@link #LINE} if the payload contains a {@code \n}
   *     byte (compact JSON never does), since the peer would split it into two frames
   */
  public Buffer encode(Buffer json) {
    return appendTo(Buffer.buffer(json.length() + 32), json);
  }

  /**
   * Appends one JSON payload in this framing to {@code out}, which grows as needed: several frames
   * gathered for one socket write cost no buffer of their own each.
   *
   * @param out  where the frame goes; left as it was when the payload cannot be framed
   * @param json the serialised JSON payload
   * @return {@code out}
   * @throws IllegalArgumentException for {@link #LINE} if the payload contains a {@code \n} byte
   */
  public Buffer appendTo(Buffer out, Buffer json) {
    int n = json.length();
    switch (this) {
      case LENGTH:
        return out.appendUnsignedInt(n).appendBuffer(json);
      case LINE:
        for (int i = 0; i < n; i++) {
          if (json.getByte(i) == '\n') {
            throw new IllegalArgumentException(
                "payload contains a newline at byte " + i + " and cannot be line-framed");
          }
        }
        return out.appendBuffer(json).appendByte((byte) '\n');
      case LSP:
        byte[] header = ("Content-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return out.appendBytes(header).appendBuffer(json);
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Returns the short name of this framing used in CLI flags and configuration.
   *
   * @return {@code "len"}, {@code "line"} or {@code "lsp"}; never fails
   */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks a framing up by its {@link #wireName() wire name}, ignoring case.
   *
   * @param name the wire name, e.g. {@code "lsp"}
   * @return the matching framing
   * @throws IllegalArgumentException if {@code name} is null or matches no framing; the message
   *     lists the valid names
   */
  public static Framing fromWireName(String name) {
    if (name != null) {
      String lower = name.trim().toLowerCase(Locale.ROOT);
      for (Framing f : values()) {
        if (f.wireName.equals(lower)) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown framing '" + name + "'; valid names: len, line, lsp");
  }
}
