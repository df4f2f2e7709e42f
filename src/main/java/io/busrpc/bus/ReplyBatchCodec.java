package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Carries a {@link ReplyBatch} between nodes: the number of answers, then per answer its
 * correlation id, a kind byte (0: a result as JSON text; 1: an error in the form of
 * {@link RpcExceptionCodec}) and the length-prefixed bytes. On local delivery the batch is passed
 * as it is.
 */
public final class ReplyBatchCodec implements MessageCodec<ReplyBatch, ReplyBatch> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.reply-batch";

  private static final byte RESULT = 0;
  private static final byte ERROR = 1;
  private static final RpcExceptionCodec ERRORS = new RpcExceptionCodec();

  @Override
  public void encodeToWire(Buffer buffer, ReplyBatch batch) {
    buffer.appendInt(batch.replies().size());
    for (ReplyBatch.Reply reply : batch.replies()) {
      WireStrings.write(buffer, reply.correlation());
      if (reply.body() instanceof RpcException error) {
        Buffer encoded = Buffer.buffer();
        ERRORS.encodeToWire(encoded, error);
        buffer.appendByte(ERROR).appendInt(encoded.length()).appendBuffer(encoded);
      } else if (reply.body() == null) {
        buffer.appendByte(RESULT).appendInt(-1);
      } else {
        Buffer json = (Buffer) reply.body();
        buffer.appendByte(RESULT).appendInt(json.length()).appendBuffer(json);
      }
    }
  }

  @Override
  public ReplyBatch decodeFromWire(int pos, Buffer buffer) {
    WireStrings.Reader in = new WireStrings.Reader(buffer, pos);
    int count = in.readInt();
    List<ReplyBatch.Reply> replies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String correlation = in.readString();
      byte kind = in.readByte();
      Buffer bytes = in.readBuffer();
      Object body = kind == ERROR ? ERRORS.decodeFromWire(0, bytes) : bytes;
      replies.add(new ReplyBatch.Reply(correlation, body));
    }
    return new ReplyBatch(replies);
  }

  @Override
  public ReplyBatch transform(ReplyBatch batch) {
    return batch;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
