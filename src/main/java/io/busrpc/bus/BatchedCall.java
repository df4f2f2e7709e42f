package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of a {@link CallBatch}, handed to a handler as if it had come as a message of its own.
 * {@link Replies} sends its answer together with the other answers of this event-loop turn to the
 * same gateway ({@link BatchedReplies}).
 */
public final class BatchedCall implements Message<Object> {

  private final String address;
  private final CallBatch.Call call;
  private final BatchedReplies replies;

  private BatchedCall(String address, CallBatch.Call call, BatchedReplies replies) {
    this.address = address;
    this.call = call;
    this.replies = replies;
  }

  /**
   * @param vertx   the handler's Vert.x instance; called on the event loop that took the batch
   * @param address the address the batch was sent to
   * @return the calls of the batch, each answered through this event loop's {@link BatchedReplies}
   */
  public static List<Message<Object>> unpack(Vertx vertx, String address, CallBatch batch) {
    BatchedReplies replies = BatchedReplies.current(vertx);
    List<Message<Object>> calls = new ArrayList<>(batch.calls().size());
    for (CallBatch.Call call : batch.calls()) {
      calls.add(new BatchedCall(address, call, replies));
    }
    return calls;
  }

  /** Sends the answer, a result as JSON text or an {@link RpcException}, to the calling gateway. */
  void answer(Object body) {
    String replyTo = call.headers().get(Headers.REPLY_TO);
    if (replyTo != null) {
      replies.add(replyTo, call.headers().get(Headers.CORRELATION), body);
    }
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public MultiMap headers() {
    return call.headers();
  }

  @Override
  public Object body() {
    return call.params();
  }

  @Override
  public String replyAddress() {
    return null; // answered at the gateway's reply address of its headers, not by a reply
  }

  @Override
  public boolean isSend() {
    return true;
  }

  /** Answers with a result as JSON text ({@link Buffer}) or an {@link RpcException}, as {@link Replies} does. */
  @Override
  public void reply(Object message, DeliveryOptions options) {
    if (!(message instanceof Buffer || message instanceof RpcException)) {
      throw new IllegalArgumentException("a batched call is answered with JSON text or an RpcException");
    }
    answer(message);
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    return Future.failedFuture(new UnsupportedOperationException("a batched call takes no reply to its answer"));
  }
}
