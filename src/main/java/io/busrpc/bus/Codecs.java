package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/** Registers busrpc's message codecs on a Vert.x instance, once. */
public final class Codecs {

  private Codecs() {
  }

  /**
   * Registers the codecs unless this Vert.x instance has them already. Every busrpc verticle calls
   * it in {@code start()}, so the order of deployment does not matter.
   */
  public static void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    synchronized (bus) {
      if (vertx.sharedData().getLocalMap("busrpc.codecs").putIfAbsent("registered", Boolean.TRUE) != null) {
        return;
      }
      bus.registerCodec(new RawJsonCodec());
      bus.registerDefaultCodec(RpcException.class, new RpcExceptionCodec());
      bus.registerDefaultCodec(HandlerCall.class, new HandlerCallCodec());
      bus.registerDefaultCodec(HandlerAnswer.class, new HandlerAnswerCodec());
      bus.registerDefaultCodec(CallBatch.class, new CallBatchCodec());
      bus.registerDefaultCodec(ReplyBatch.class, new ReplyBatchCodec());
    }
  }
}
