package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Carries a {@link HandlerAnswer}: as it is on one node, in a compact binary form between nodes:
 * the correlation id, a kind byte (0: a result as JSON text; 1: an error in the form of
 * {@link RpcExceptionCodec}, so its code, message and data cross intact) and the length-prefixed
 * bytes.
 */
public final class HandlerAnswerCodec extends SameObjectCodec<HandlerAnswer> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.handler-answer";

  private static final byte RESULT = 0;
  private static final byte ERROR = 1;
  private static final RpcExceptionCodec ERRORS = new RpcExceptionCodec();

  public HandlerAnswerCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, HandlerAnswer answer) {
    write(buffer, answer);
  }

  @Override
  public HandlerAnswer decodeFromWire(int pos, Buffer buffer) {
    return read(new WireStrings.Reader(buffer, pos));
  }

  /** Appends the wire form of an answer (also one answer of a {@link ReplyBatch}). */
  static void write(Buffer buffer, HandlerAnswer answer) {
    buffer.appendLong(answer.correlation());
    if (answer.error() != null) {
      Buffer encoded = Buffer.buffer();
      ERRORS.encodeToWire(encoded, answer.error());
      buffer.appendByte(ERROR);
      WireStrings.write(buffer, encoded);
    } else {
      buffer.appendByte(RESULT);
      WireStrings.write(buffer, answer.result());
    }
  }

  /** Reads what {@link #write} wrote. */
  static HandlerAnswer read(WireStrings.Reader in) {
    long correlation = in.readLong();
    byte kind = in.readByte();
    Buffer bytes = in.readBuffer();
    return kind == ERROR ? HandlerAnswer.failed(correlation, ERRORS.decodeFromWire(0, bytes))
      : HandlerAnswer.of(correlation, bytes);
  }
}
