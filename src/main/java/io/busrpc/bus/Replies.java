package io.busrpc.bus;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * How busrpc's own handlers answer.
 *
 * <p>A plain {@code eventBus.request} registers a temporary reply address and sets a timer for every
 * call. For methods of {@code RpcVerticle}s the gateway instead sends a {@link HandlerCall} that
 * names the address of its one reply consumer and a correlation id, and the handler sends a
 * {@link HandlerAnswer} there with the same id; the gateway's periodic sweep times calls out. Calls
 * to clients made through {@code Clients} carry the same two things as the headers
 * {@link Headers#REPLY_TO} and {@link Headers#CORRELATION}. Messages without them (from server
 * code, or a plain request) are answered with {@code reply}, as usual.
 */
public final class Replies {

  private static final String REPLY_TO_HEADER = Headers.REPLY_TO;
  private static final String CORRELATION_HEADER = Headers.CORRELATION;

  private static final DeliveryOptions RAW_JSON = new DeliveryOptions().setCodecName(RawJsonCodec.NAME);

  private Replies() {
  }

  /** Answers a gateway's {@link HandlerCall} at its reply address with the result, or the failure (an {@link RpcException}). */
  public static void answer(EventBus bus, HandlerCall call, AsyncResult<Buffer> result) {
    bus.send(call.replyTo(), answerOf(call, result));
  }

  /**
   * Answers a {@link HandlerCall} that came in a {@link CallBatch}: with the other answers of this
   * event-loop turn to the same gateway, in one {@link ReplyBatch} when there are several.
   */
  public static void answerGathered(Vertx vertx, HandlerCall call, AsyncResult<Buffer> result) {
    BatchedReplies.current(vertx).add(call.replyTo(), answerOf(call, result));
  }

  private static HandlerAnswer answerOf(HandlerCall call, AsyncResult<Buffer> result) {
    return result.succeeded() ? HandlerAnswer.of(call.correlation(), result.result())
      : HandlerAnswer.failed(call.correlation(), result.cause() instanceof RpcException e ? e
        : new RpcException(ErrorCode.INTERNAL_ERROR));
  }

  /** Answers a call with a result given as JSON text. */
  public static void result(EventBus bus, Message<?> call, Buffer json) {
    String replyTo = call.headers().get(REPLY_TO_HEADER);
    if (replyTo != null) {
      send(bus, replyTo, call.headers().get(CORRELATION_HEADER), json);
    } else if (call.replyAddress() != null) {
      call.reply(json, RAW_JSON);
    }
  }

  /** Answers a call with an error. */
  public static void error(EventBus bus, Message<?> call, RpcException error) {
    String replyTo = call.headers().get(REPLY_TO_HEADER);
    if (replyTo != null) {
      send(bus, replyTo, call.headers().get(CORRELATION_HEADER), error);
    } else if (call.replyAddress() != null) {
      call.reply(error);
    }
  }

  /** Sends one answer, a result as JSON text or an {@link RpcException}, to a caller's reply address. */
  private static void send(EventBus bus, String replyTo, String correlation, Object body) {
    if (body instanceof RpcException error) {
      bus.send(replyTo, error, new DeliveryOptions().addHeader(CORRELATION_HEADER, correlation));
    } else {
      bus.send(replyTo, body, new DeliveryOptions(RAW_JSON).addHeader(CORRELATION_HEADER, correlation));
    }
  }
}
