package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.HashSet;
import java.util.Set;

/**
 * The groups one logged-in session is in, at most {@code maxGroupsPerConnection}: what is published
 * to a group's address reaches the session while it is a member. The sessions of one gateway
 * instance in a group share one consumer of its address ({@link AddressFanout}).
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class Groups {

  private final Fanouts fanouts;
  private final Addresses addresses;
  private final int maxGroups;
  private final Context context;
  private final ClientLink member;
  private final Set<String> groups = new HashSet<>();

  /**
   * @param context the session's
   * @param member  what the session's client gets the group's messages through
   */
  Groups(GatewayServices services, Context context, ClientLink member) {
    this.fanouts = services.fanouts;
    this.addresses = services.addresses;
    this.maxGroups = services.options.getMaxGroupsPerConnection();
    this.context = context;
    this.member = member;
  }

  /**
   * Joins a group; completes once the membership is registered (across the cluster, when clustered),
   * so a publish made after the join is acknowledged reaches this session. Fails with -32011 when
   * the session is in {@code maxGroupsPerConnection} groups already.
   */
  Future<Void> join(String group) {
    if (!groups.contains(group) && groups.size() >= maxGroups) {
      return Future.failedFuture(new RpcException(ErrorCode.TOO_MANY_GROUPS,
        "the client is in " + maxGroups + " groups already, the most gateway.maxGroupsPerConnection allows"));
    }
    groups.add(group);
    return fanouts.join(context, addresses.group(group), member);
  }

  /** Leaves a group; true when the session was a member. */
  Future<Boolean> leave(String group) {
    if (!groups.remove(group)) {
      return Future.succeededFuture(false);
    }
    return fanouts.leave(context, addresses.group(group), member).map(true).otherwise(true);
  }

  /** Leaves every group. */
  void leaveAll() {
    for (String group : groups) {
      fanouts.leave(context, addresses.group(group), member);
    }
    groups.clear();
  }
}
