package io.busrpc.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries a {@link CallBatch} between nodes: the number of calls, then per call its headers (count,
 * then length-prefixed UTF-8 names and values) and its params (length-prefixed, -1 for none). On
 * local delivery the batch is passed as it is.
 */
public final class CallBatchCodec implements MessageCodec<CallBatch, CallBatch> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.call-batch";

  @Override
  public void encodeToWire(Buffer buffer, CallBatch batch) {
    buffer.appendInt(batch.calls().size());
    for (CallBatch.Call call : batch.calls()) {
      List<Map.Entry<String, String>> headers = call.headers().entries();
      buffer.appendInt(headers.size());
      for (Map.Entry<String, String> header : headers) {
        WireStrings.write(buffer, header.getKey());
        WireStrings.write(buffer, header.getValue());
      }
      if (call.params() == null) {
        buffer.appendInt(-1);
      } else {
        buffer.appendInt(call.params().length()).appendBuffer(call.params());
      }
    }
  }

  @Override
  public CallBatch decodeFromWire(int pos, Buffer buffer) {
    WireStrings.Reader in = new WireStrings.Reader(buffer, pos);
    int count = in.readInt();
    List<CallBatch.Call> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int headerCount = in.readInt();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (int h = 0; h < headerCount; h++) {
        headers.add(in.readString(), in.readString());
      }
      calls.add(new CallBatch.Call(headers, in.readBuffer()));
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
