package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Carries a {@link ReplyBatch} between nodes: the number of answers, then each answer as
 * {@link HandlerAnswerCodec} writes it. On local delivery the batch is passed as it is.
 */
public final class ReplyBatchCodec extends SameObjectCodec<ReplyBatch> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.reply-batch";

  public ReplyBatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, ReplyBatch batch) {
    buffer.appendInt(batch.answers().size());
    for (HandlerAnswer answer : batch.answers()) {
      HandlerAnswerCodec.write(buffer, answer);
    }
  }

  @Override
  public ReplyBatch decodeFromWire(int pos, Buffer buffer) {
    WireStrings.Reader in = new WireStrings.Reader(buffer, pos);
    int count = in.readInt();
    List<HandlerAnswer> answers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      answers.add(HandlerAnswerCodec.read(in));
    }
    return new ReplyBatch(answers);
  }
}
