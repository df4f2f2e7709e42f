package io.busrpc.gateway.impl;

import io.busrpc.bus.CallBatch;
import io.busrpc.bus.HandlerCall;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls to handlers on other nodes, gathered per handler address until the end of the event loop's
 * current turn (every client socket read in it) and sent then: one call as the message it always
 * was, several as one {@link CallBatch}. A message between nodes costs a wire encoding, a socket
 * write and read and a hand-off on each side whatever its size, so pipelined calls cross the
 * cluster in far fewer messages. Nothing waits longer than the turn, and a turn holds no more calls
 * than the connections' in-flight limits let in, so nothing queues here without bound.
 *
 * <p>Not thread-safe: one per gateway instance, used on its event loop only.
 */
final class RemoteCalls {

  private final EventBus bus;
  private final ContextInternal context;
  private Map<String, List<HandlerCall>> waiting = new LinkedHashMap<>();

  RemoteCalls(EventBus bus, ContextInternal context) {
    this.bus = bus;
    this.context = context;
  }

  /** Sends the call to {@code address} at the end of this turn, in order with the others. */
  void send(String address, HandlerCall call) {
    if (!context.inThread()) {
      bus.send(address, call); // not from a client's socket read
      return;
    }
    if (waiting.isEmpty()) {
      context.runOnContext(v -> flush());
    }
    waiting.computeIfAbsent(address, key -> new ArrayList<>()).add(call);
  }

  private void flush() {
    Map<String, List<HandlerCall>> due = waiting;
    waiting = new LinkedHashMap<>();
    due.forEach(this::sendNow);
  }

  private void sendNow(String address, List<HandlerCall> calls) {
    bus.send(address, calls.size() == 1 ? calls.get(0) : new CallBatch(calls));
  }
}
