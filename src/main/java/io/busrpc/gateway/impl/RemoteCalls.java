package io.busrpc.gateway.impl;

import io.busrpc.bus.CallBatch;
import io.busrpc.bus.RawJsonCodec;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
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
  private Map<String, List<CallBatch.Call>> waiting = new LinkedHashMap<>();

  RemoteCalls(EventBus bus, ContextInternal context) {
    this.bus = bus;
    this.context = context;
  }

  /** Sends the call to {@code address} at the end of this turn, in order with the others. */
  void send(String address, MultiMap headers, Buffer params) {
    if (!context.inThread()) {
      sendNow(address, List.of(new CallBatch.Call(headers, params))); // not from a client's socket read
      return;
    }
    if (waiting.isEmpty()) {
      context.runOnContext(v -> flush());
    }
    waiting.computeIfAbsent(address, key -> new ArrayList<>()).add(new CallBatch.Call(headers, params));
  }

  private void flush() {
    Map<String, List<CallBatch.Call>> due = waiting;
    waiting = new LinkedHashMap<>();
    due.forEach(this::sendNow);
  }

  private void sendNow(String address, List<CallBatch.Call> calls) {
    if (calls.size() == 1) {
      CallBatch.Call call = calls.get(0);
      DeliveryOptions options = call.params() == null ? new DeliveryOptions() : new DeliveryOptions().setCodecName(RawJsonCodec.NAME);
      bus.send(address, call.params(), options.setHeaders(call.headers()));
    } else {
      bus.send(address, new CallBatch(calls));
    }
  }
}
