package io.busrpc.gateway.impl;

import io.busrpc.protocol.RpcException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One consumer of a bus address shared by the sessions of one event loop that listen there (the
 * broadcast address, a group's address), instead of a consumer per session: Vert.x keeps an
 * address's consumers in a copy-on-write array, so N sessions registering and unregistering one
 * each would cost O(N²), and closing thousands of them at once would hold the event loop for
 * seconds. A message is read once and handed to every member as a notification for its client.
 *
 * <p>A message published to many members is handed out {@link #SLICE} members per event-loop turn,
 * so the loop that also serves calls is never held long. Messages are handed out in the order they
 * arrive, each to the members it had when it arrived that are still members, once; a message
 * {@code send} to the address (point to point) goes to one member, in turn.
 *
 * <p>Not thread-safe: created and used on its event loop only.
 */
final class AddressFanout {

  /** Members handed a message per event-loop turn. */
  static final int SLICE = 256;

  private static final Logger log = LoggerFactory.getLogger(AddressFanout.class);

  /** One message on its way to the members it had when it arrived. */
  private static final class Delivery {
    final String method;
    final Buffer params;
    final ClientLink[] targets;
    int next;

    Delivery(String method, Buffer params, ClientLink[] targets) {
      this.method = method;
      this.params = params;
      this.targets = targets;
    }
  }

  private final String address;
  private final Context context;
  private final MessageConsumer<Object> consumer;
  private final Set<ClientLink> members = new LinkedHashSet<>();
  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  private boolean draining;
  private int turn;

  /** Registers the consumer, on the calling event loop. */
  AddressFanout(Vertx vertx, String address) {
    this.address = address;
    this.context = vertx.getOrCreateContext();
    this.consumer = vertx.eventBus().consumer(address, this::onMessage);
  }

  /**
   * Adds a member.
   *
   * @return completes once the consumer is registered (across the cluster, when clustered), so a
   *     message published after that reaches the member
   */
  Future<Void> add(ClientLink member) {
    members.add(member);
    return consumer.completion();
  }

  /**
   * Removes a member; it gets nothing more, also of the messages still being handed out. The last
   * one to go unregisters the consumer: this fan-out is done then.
   *
   * @return completes once the member gets nothing more from the address
   */
  Future<Void> remove(ClientLink member) {
    if (!members.remove(member) || !members.isEmpty()) {
      return Future.succeededFuture();
    }
    queue.clear();
    return consumer.unregister();
  }

  /** @return true when it has no member left */
  boolean isEmpty() {
    return members.isEmpty();
  }

  private void onMessage(Message<Object> message) {
    ClientBoundMessage notification;
    try {
      notification = ClientBoundMessage.of(message);
    } catch (RpcException e) {
      log.debug("Dropped a message to {}: {}", address, e.getMessage());
      return;
    }
    if (members.isEmpty()) {
      return;
    }
    queue.add(new Delivery(notification.method(), notification.params(), message.isSend() ? nextInTurn() : members.toArray(new ClientLink[0])));
    if (!draining) {
      drain();
    }
  }

  /** @return the member whose turn it is to get a message sent point to point */
  private ClientLink[] nextInTurn() {
    turn = (turn + 1) % members.size();
    return new ClientLink[] {members.stream().skip(turn).findFirst().orElseThrow()};
  }

  /** Hands out what is queued, {@link #SLICE} members at the most; the rest in a later turn. */
  private void drain() {
    int budget = SLICE;
    while (!queue.isEmpty()) {
      Delivery delivery = queue.peek();
      while (delivery.next < delivery.targets.length) {
        if (budget == 0) {
          draining = true;
          context.runOnContext(v -> drain());
          return;
        }
        ClientLink member = delivery.targets[delivery.next++];
        if (members.contains(member)) {
          budget--;
          notify(member, delivery);
        }
      }
      queue.poll();
    }
    draining = false;
  }

  private void notify(ClientLink member, Delivery delivery) {
    try {
      member.notify(delivery.method, delivery.params);
    } catch (RuntimeException e) {
      log.warn("Handing a message to {} to one of its members failed", address, e); // the others still get it
    }
  }
}
