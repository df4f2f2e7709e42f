package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.Map;

/**
 * The groups one logged-in session is in, at most {@code maxGroupsPerConnection}: what is published
 * to a group's address reaches the session while it is a member.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class Groups {

  private final Vertx vertx;
  private final Addresses addresses;
  private final int maxGroups;
  private final Handler<Message<Object>> onMessage;
  private final Map<String, MessageConsumer<Object>> groups = new HashMap<>();

  /** @param onMessage gets what is sent to a group of the session */
  Groups(GatewayServices services, Handler<Message<Object>> onMessage) {
    this.vertx = services.vertx;
    this.addresses = services.addresses;
    this.maxGroups = services.options.getMaxGroupsPerConnection();
    this.onMessage = onMessage;
  }

  /**
   * Joins a group; completes once the membership is registered (across the cluster, when clustered),
   * so a publish made after the join is acknowledged reaches this session. Fails with -32011 when
   * the session is in {@code maxGroupsPerConnection} groups already.
   */
  Future<Void> join(String group) {
    MessageConsumer<Object> consumer = groups.get(group);
    if (consumer == null && groups.size() >= maxGroups) {
      return Future.failedFuture(new RpcException(ErrorCode.TOO_MANY_GROUPS,
        "the client is in " + maxGroups + " groups already, the most gateway.maxGroupsPerConnection allows"));
    }
    if (consumer == null) {
      consumer = vertx.eventBus().consumer(addresses.group(group), onMessage);
      groups.put(group, consumer);
    }
    return consumer.completion();
  }

  /** Leaves a group; true when the session was a member. */
  Future<Boolean> leave(String group) {
    MessageConsumer<Object> consumer = groups.remove(group);
    if (consumer == null) {
      return Future.succeededFuture(false);
    }
    return consumer.unregister().map(true).otherwise(true);
  }

  /** Leaves every group. */
  void leaveAll() {
    groups.values().forEach(MessageConsumer::unregister);
    groups.clear();
  }
}
