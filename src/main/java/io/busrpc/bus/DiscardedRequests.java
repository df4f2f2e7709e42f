package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

import java.util.function.Supplier;

/**
 * Calls that reach a consumer while it is being unregistered: the event bus discards them
 * ("Discarding message since the consumer is not registered"). A plain request then gets a timeout
 * failure at once, which says the wrong thing; a call answered at a reply-to address (see
 * {@link Replies}) gets nothing, and its caller waits for its whole timeout. A consumer set up here
 * answers each with an error instead.
 */
public final class DiscardedRequests {

  private DiscardedRequests() {
  }

  /**
   * Makes {@code consumer} answer every call it discards with {@code error}, as {@link Replies}
   * answers: at the caller's reply-to address (a call that Vert.x would drop without any answer)
   * or at the reply address of a plain request (which Vert.x would answer with a timeout
   * failure). A discarded notification is dropped as before.
   *
   * @return the consumer
   */
  public static <T> MessageConsumer<T> answer(EventBus bus, MessageConsumer<T> consumer, Supplier<RpcException> error) {
    // Vert.x's hook for dropped messages; every consumer of its event bus, clustered or not, is a
    // MessageConsumerImpl.
    if (consumer instanceof MessageConsumerImpl<T> impl) {
      impl.discardHandler(message -> Replies.error(bus, message, error.get()));
    }
    return consumer;
  }
}
