package io.busrpc.protocol.codec;

import io.vertx.core.buffer.Buffer;

/**
 * {@link Framing#LINE}: a stream of JSON texts, newline-delimited, back to back without any
 * delimiter, or several on one line. The end of a text that opens with {@code {} or {@code [} is
 * found by counting brackets outside strings (as Netty's {@code JsonObjectDecoder} does), so the
 * text is returned as soon as its closing bracket arrives, whatever follows.
 *
 * <p>Resynchronisation: a text never spans a newline. A newline inside an unfinished text (outside
 * or inside a string, where JSON does not allow a raw newline) ends it: the bytes up to there, one
 * {@code \r} before the newline dropped, are returned as a frame that the JSON parser rejects. A
 * text that starts with anything else (a scalar such as {@code 1} or {@code "x"}, or garbage) runs
 * to the end of its line and is returned whole, so the parser answers it as today. Whitespace
 * ({@code ' '}, {@code \t}, {@code \r}, {@code \n}) between texts is skipped.
 *
 * <p>Limits: a text longer than the maximum fails with {@link FramingException.Kind#FRAME_TOO_LARGE}
 * as soon as it grows past it (one extra byte is allowed if it is the {@code \r} of a coming
 * {@code \r\n}); whitespace not ended by a newline counts like a text, towards the maximum and as a
 * partial frame, so a stream of spaces cannot hold a connection forever.
 */
final class JsonTextDeframer extends BaseDeframer {

  private enum State { BETWEEN, STRUCTURED, OTHER }

  private State state = State.BETWEEN;
  /** Whitespace bytes since the last newline or text. */
  private int blankRun;
  // The scan of a structured text, kept across chunks.
  private int depth;
  private boolean inString;
  private boolean escaped;

  JsonTextDeframer(int maxFrameSize) {
    super(maxFrameSize);
  }

  @Override
  protected Object decode(int end) {
    while (pos < end) {
      Object frame = switch (state) {
        case BETWEEN -> skipBlanks(end);
        case STRUCTURED -> scanStructured(end);
        case OTHER -> scanToNewline(end);
      };
      if (frame != null) {
        return frame;
      }
    }
    return null;
  }

  @Override
  public boolean hasPartialFrame() {
    return state != State.BETWEEN || blankRun > 0;
  }

  /** @return an error if the blanks are too many, else null with {@code pos} at a text or the end */
  private Object skipBlanks(int end) {
    byte[] a = array;
    int off = arrayOffset;
    int i = pos;
    while (i < end) {
      byte b = a[off + i];
      if (b == '\n') {
        blankRun = 0;
      } else if (b == ' ' || b == '\t' || b == '\r') {
        blankRun++;
      } else {
        break;
      }
      i++;
    }
    int from = pos;
    pos = i;
    if (i > from && (blankRun > maxFrameSize + 1L || (blankRun == maxFrameSize + 1L && a[off + i - 1] != '\r'))) {
      return fail(FramingException.Kind.FRAME_TOO_LARGE, "unterminated line of " + blankRun
          + " bytes exceeds the maximum of " + maxFrameSize);
    }
    if (i < end) {
      blankRun = 0;
      byte b = a[off + i];
      if (b == '{' || b == '[') {
        state = State.STRUCTURED;
        depth = 0;
        inString = false;
        escaped = false;
      } else {
        state = State.OTHER;
      }
    }
    return null;
  }

  /** @return the text once its brackets balance or a newline ends it, an error, or null */
  private Object scanStructured(int end) {
    byte[] a = array;
    int off = arrayOffset;
    int i = pos;
    int d = depth;
    boolean str = inString;
    if (escaped && i < end) {
      // The byte after a backslash that ended the last chunk.
      escaped = false;
      if (a[off + i] == '\n') {
        return endAtNewline(i);
      }
      i++;
    }
    while (i < end) {
      if (str) {
        // Most bytes of a big text are string contents: jump over them eight at a time.
        i = StringScan.nextSpecial(a, off + i, off + end) - off;
        if (i == end) {
          break;
        }
        byte b = a[off + i++];
        if (b == '"') {
          str = false;
        } else if (b == '\\') {
          if (i == end) {
            escaped = true;
            break;
          }
          if (a[off + i] == '\n') {
            return endAtNewline(i);
          }
          i++;
        } else {
          // A newline, which JSON does not allow raw inside a string: a text never spans a newline.
          return endAtNewline(i - 1);
        }
        continue;
      }
      byte b = a[off + i++];
      if (b == '"') {
        str = true;
      } else if (b == '{' || b == '[') {
        d++;
      } else if (b == '}' || b == ']') {
        if (--d == 0) {
          return endText(i);
        }
      } else if (b == '\n') {
        return endAtNewline(i - 1);
      }
    }
    depth = d;
    inString = str;
    return holdRest(end);
  }

  /** @return the rest of a line that does not open with a bracket, an error, or null */
  private Object scanToNewline(int end) {
    int nl = indexOf((byte) '\n', pos, end);
    return nl < 0 ? holdRest(end) : endAtNewline(nl);
  }

  /** The text ends just before {@code textEnd}. */
  private Object endText(int textEnd) {
    long length = (pending == null ? 0 : pending.length()) + (textEnd - pos);
    if (length > maxFrameSize) {
      return failTooLarge(length);
    }
    Buffer frame;
    if (pending == null) {
      frame = input.slice(pos, textEnd);
    } else {
      append(pos, textEnd);
      frame = takePending();
    }
    pos = textEnd;
    state = State.BETWEEN;
    return frame;
  }

  /** A newline at {@code nl} ends what is not a complete text: return it (without a final '\r') for the parser to reject. */
  private Object endAtNewline(int nl) {
    int pendingLength = pending == null ? 0 : pending.length();
    boolean cr = nl > pos ? array[arrayOffset + nl - 1] == '\r' : pending.getByte(pendingLength - 1) == '\r';
    long length = pendingLength + (nl - pos) - (cr ? 1 : 0);
    if (length > maxFrameSize) {
      return failTooLarge(length);
    }
    Buffer frame;
    if (pending == null) {
      frame = input.slice(pos, pos + (int) length);
    } else {
      append(pos, nl);
      frame = takePending();
      if (cr) {
        frame = frame.slice(0, (int) length);
      }
    }
    pos = nl + 1;
    state = State.BETWEEN;
    return frame;
  }

  /** Keeps the unfinished text, unless it has grown past the maximum. */
  private Object holdRest(int end) {
    long length = (pending == null ? 0 : pending.length()) + (end - pos);
    // One extra byte is allowed if it is the '\r' of a coming "\r\n".
    if (length > maxFrameSize + 1L || (length == maxFrameSize + 1L && array[arrayOffset + end - 1] != '\r')) {
      return fail(FramingException.Kind.FRAME_TOO_LARGE, "unterminated text of " + length
          + " bytes exceeds the maximum of " + maxFrameSize);
    }
    append(pos, end);
    pos = end;
    return null;
  }
}
