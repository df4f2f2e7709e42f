package io.busrpc.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers to the calls of {@link CallBatch}es given on one event loop, gathered per gateway
 * reply address until the end of the loop's current turn and sent then: one answer as the
 * {@link HandlerAnswer} it always was, several as one {@link ReplyBatch}. An answer given on another
 * thread, or by a worker handler, is sent at once.
 *
 * <p>Not thread-safe: one per event-loop context, used on that context only.
 */
final class BatchedReplies {

  private final ContextInternal context;
  private final EventBus bus;
  private Map<String, List<HandlerAnswer>> waiting = new LinkedHashMap<>();

  private BatchedReplies(ContextInternal context, EventBus bus) {
    this.context = context;
    this.bus = bus;
  }

  /**
   * @return the gatherer of the event loop running this code (made on first use); off an event
   *     loop (a worker handler), one that sends every answer at once
   */
  static BatchedReplies current(Vertx vertx) {
    ContextInternal context = ContextInternal.current();
    if (context == null || !context.isEventLoopContext() || !context.inThread()) {
      return new BatchedReplies(null, vertx.eventBus());
    }
    return (BatchedReplies) context.contextData().computeIfAbsent(BatchedReplies.class.getName(),
      key -> new BatchedReplies(context, vertx.eventBus()));
  }

  /** Sends the answer to the gateway at {@code replyTo} at the end of this turn, with the others. */
  void add(String replyTo, HandlerAnswer answer) {
    if (context == null || !context.inThread()) {
      bus.send(replyTo, answer);
      return;
    }
    if (waiting.isEmpty()) {
      context.runOnContext(v -> flush());
    }
    waiting.computeIfAbsent(replyTo, key -> new ArrayList<>()).add(answer);
  }

  private void flush() {
    Map<String, List<HandlerAnswer>> due = waiting;
    waiting = new LinkedHashMap<>();
    due.forEach((replyTo, answers) -> bus.send(replyTo, answers.size() == 1 ? answers.get(0) : new ReplyBatch(answers)));
  }
}
