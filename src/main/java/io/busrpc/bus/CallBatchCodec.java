package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Carries a {@link CallBatch} between nodes: the number of calls, then each call as
 * {@link HandlerCallCodec} writes it. On local delivery the batch is passed as it is.
 */
public final class CallBatchCodec implements MessageCodec<CallBatch, CallBatch> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.call-batch";

  @Override
  public void encodeToWire(Buffer buffer, CallBatch batch) {
    buffer.appendInt(batch.calls().size());
    for (HandlerCall call : batch.calls()) {
      HandlerCallCodec.write(buffer, call);
    }
  }

  @Override
  public CallBatch decodeFromWire(int pos, Buffer buffer) {
    WireStrings.Reader in = new WireStrings.Reader(buffer, pos);
    int count = in.readInt();
    List<HandlerCall> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      calls.add(HandlerCallCodec.read(in));
    }
    return new CallBatch(calls);
  }
  @Override
  public CallBatch transform(CallBatch batch) {
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
