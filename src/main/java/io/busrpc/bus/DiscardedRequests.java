package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

import java.util.function.Supplier;

/**
 * Requests that reach a consumer while it is being unregistered: the event bus drops them
 * ("Discarding message since the consumer is not registered") without an answer, and their
 * senders would wait for their whole timeout. A consumer set up here answers each with an error.
 */
public final class DiscardedRequests {

  private DiscardedRequests() {
  }

  /**
   * Makes {@code consumer} answer every request it discards with {@code error}; a discarded
   * notification (no reply address) is dropped as before.
   *
   * @return the consumer
   */
  public static <T> MessageConsumer<T> answer(MessageConsumer<T> consumer, Supplier<RpcException> error) {
    // Vert.x's hook for dropped messages; every consumer of its event bus, clustered or not, is a
    // MessageConsumerImpl.
    if (consumer instanceof MessageConsumerImpl<T> impl) {
      impl.discardHandler(message -> {
        if (message.replyAddress() != null) {
          message.reply(error.get());
        }
      });
    }
    return consumer;
  }
}
