package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * How busrpc's own handlers answer the gateway.
 *
 * <p>A plain {@code eventBus.request} registers a temporary reply address and sets a timer for every
 * call. For methods of {@code RpcVerticle}s the gateway instead sends the call with two headers, the
 * address of its one reply consumer and a correlation id, and the handler sends its answer there
 * with the same id; the gateway's periodic sweep times calls out. Messages without these headers
 * (from server code, or a plain request) are answered with {@code reply}, as usual.
 */
public final class Replies {

  private static final String REPLY_TO_HEADER = Headers.REPLY_TO;
  private static final String CORRELATION_HEADER = Headers.CORRELATION;

  private static final DeliveryOptions RAW_JSON = new DeliveryOptions().setCodecName(RawJsonCodec.NAME);

  private Replies() {
  }

  /** Answers a call with a result given as JSON text. */
  public static void result(EventBus bus, Message<?> call, Buffer json) {
    if (call instanceof BatchedCall batched) {
      batched.answer(json);
      return;
    }
    String replyTo = call.headers().get(REPLY_TO_HEADER);
    if (replyTo != null) {
      send(bus, replyTo, call.headers().get(CORRELATION_HEADER), json);
    } else if (call.replyAddress() != null) {
      call.reply(json, RAW_JSON);
    }
  }

  /** Answers a call with an error. */
  public static void error(EventBus bus, Message<?> call, RpcException error) {
    if (call instanceof BatchedCall batched) {
      batched.answer(error);
      return;
    }
    String replyTo = call.headers().get(REPLY_TO_HEADER);
    if (replyTo != null) {
      send(bus, replyTo, call.headers().get(CORRELATION_HEADER), error);
    } else if (call.replyAddress() != null) {
      call.reply(error);
    }
  }

  /** Sends one answer, a result as JSON text or an {@link RpcException}, to a gateway's reply address. */
  static void send(EventBus bus, String replyTo, String correlation, Object body) {
    if (body instanceof RpcException error) {
      bus.send(replyTo, error, new DeliveryOptions().addHeader(CORRELATION_HEADER, correlation));
    } else {
      bus.send(replyTo, body, new DeliveryOptions(RAW_JSON).addHeader(CORRELATION_HEADER, correlation));
    }
  }
}
