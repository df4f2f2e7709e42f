package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Carries a {@link CallBatch} between nodes: the number of calls, then each call as
 * {@link HandlerCallCodec} writes it after the one before it (what repeats the previous call's is
 * written as "the same"). On local delivery the batch is passed as it is.
 */
public final class CallBatchCodec extends SameObjectCodec<CallBatch> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.call-batch";

  public CallBatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, CallBatch batch) {
    buffer.appendInt(batch.calls().size());
    HandlerCall previous = null;
    for (HandlerCall call : batch.calls()) {
      HandlerCallCodec.write(buffer, call, previous);
      previous = call;
    }
  }

  @Override
  public CallBatch decodeFromWire(int pos, Buffer buffer) {
    WireStrings.Reader in = new WireStrings.Reader(buffer, pos);
    int count = in.readInt();
    List<HandlerCall> calls = new ArrayList<>(count);
    HandlerCall previous = null;
    for (int i = 0; i < count; i++) {
      previous = HandlerCallCodec.read(in, previous);
      calls.add(previous);
    }
    return new CallBatch(calls);
  }
}
