package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.gateway.auth.Identity;
import io.busrpc.management.GatewayMetrics;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A logged-in connection's presence on the event bus: the consumer at its client address, its
 * groups and the broadcast address. Calls that arrive at the client address become JSON-RPC requests
 * to the client; notifications (bus {@code send}/{@code publish}) become JSON-RPC notifications.
 *
 * <p>One uid has one connection in the whole cluster: a login announces itself on the uid's client
 * address (under a cluster-wide lock) before it starts listening there, and the older connection
 * steps down with an {@code rpc.replaced} notification.
 */
final class Session {

  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final long LOGIN_LOCK_TIMEOUT = 10_000;
  private static final long STEP_DOWN_TIMEOUT = 5_000;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final Addresses addresses;
  private final String connectionId;
  private final OutboundCalls outbound;
  private final Connection connection;
  private final long callTimeout;
  private final Map<String, MessageConsumer<Object>> groups = new HashMap<>();
  private Identity identity;
  private MessageConsumer<Object> clientConsumer;
  private MessageConsumer<Object> broadcastConsumer;
  private boolean closed;

  Session(GatewayServices services, String connectionId, OutboundCalls outbound, Connection connection) {
    this.vertx = services.vertx;
    this.metrics = services.metrics;
    this.addresses = services.addresses;
    this.connectionId = connectionId;
    this.outbound = outbound;
    this.connection = connection;
    this.callTimeout = services.options.getCallTimeout();
  }

  /** @return the identity bound to the connection, or {@code null} */
  Identity identity() {
    return identity;
  }

  /**
   * Binds the connection to the identity: replaces any other connection of the uid, then listens at
   * the client address.
   */
  Future<Void> bind(Identity newIdentity) {
    unbind();
    String uid = newIdentity.uid();
    return vertx.sharedData().getLockWithTimeout(addresses.internal("login." + uid), LOGIN_LOCK_TIMEOUT)
      .compose(lock -> {
        if (closed) {
          // The socket went away while the login was being checked: bind nothing to it.
          lock.release();
          return Future.failedFuture(new RpcException(ErrorCode.CLIENT_OFFLINE, "the connection closed during login"));
        }
        // Another login of this connection may have bound meanwhile (pipelined logins, async lock).
        unbind();
        // Ask the uid's current connection, wherever it is, to step down, and wait until it has
        // stopped listening: then no call can reach the old connection once this one listens.
        // Nobody there (no handlers) or no answer in time: carry on.
        DeliveryOptions replaced = new DeliveryOptions().addHeader(Addresses.CONTROL_HEADER, "replaced")
          .setSendTimeout(STEP_DOWN_TIMEOUT);
        return vertx.eventBus().request(addresses.client(uid), connectionId, replaced)
          .<Void>transform(ar -> listen(newIdentity))
          .andThen(ar -> lock.release());
      });
  }

  private Future<Void> listen(Identity newIdentity) {
    if (closed) {
      return Future.failedFuture(new RpcException(ErrorCode.CLIENT_OFFLINE, "the connection closed during login"));
    }
    identity = newIdentity;
    clientConsumer = vertx.eventBus().consumer(addresses.client(newIdentity.uid()), this::onClientMessage);
    broadcastConsumer = vertx.eventBus().consumer(addresses.broadcast(), this::onNotification);
    return Future.all(clientConsumer.completion(), broadcastConsumer.completion()).mapEmpty();
  }

  /** The connection closed: unbinds, and a login still in progress binds nothing. */
  void close() {
    closed = true;
    unbind();
  }

  /**
   * Stops listening at every address and fails the calls still waiting for the client.
   *
   * @return completes once the client address is no longer registered (across the cluster)
   */
  Future<Void> unbind() {
    if (identity == null) {
      return Future.succeededFuture();
    }
    identity = null;
    Future<Void> stopped = clientConsumer.unregister();
    broadcastConsumer.unregister();
    groups.values().forEach(MessageConsumer::unregister);
    groups.clear();
    outbound.failAll(new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
    return stopped;
  }

  private void onClientMessage(Message<Object> message) {
    String control = message.headers().get(Addresses.CONTROL_HEADER);
    if (control == null) {
      if (message.replyAddress() == null) {
        onNotification(message);
      } else {
        onCall(message);
      }
      return;
    }
    switch (control) {
      case "replaced" -> {
        Future<Void> stopped = connectionId.equals(message.body()) ? Future.succeededFuture() : stepDown();
        stopped.onComplete(ar -> reply(message, Boolean.TRUE));
      }
      case "join" -> join(String.valueOf(message.body())).onComplete(ar -> reply(message, ar.succeeded()));
      case "leave" -> leave(String.valueOf(message.body())).onComplete(ar -> reply(message, ar.result()));
      case "online" -> reply(message, Boolean.TRUE);
      default -> reply(message, new RpcException(ErrorCode.INVALID_REQUEST, "unknown control " + control));
    }
  }

  private Future<Void> stepDown() {
    if (identity == null) {
      return Future.succeededFuture(); // already stepping down
    }
    String uid = identity.uid();
    log.info("Connection {} of uid {} replaced by a newer login", connectionId, uid);
    Future<Void> stopped = unbind();
    connection.notifyAndClose("rpc.replaced",
      new JsonObject().put("reason", "another connection logged in as " + uid));
    return stopped;
  }

  private void onCall(Message<Object> message) {
    Call call;
    try {
      call = Call.of(message.body());
    } catch (RpcException e) {
      message.reply(e);
      return;
    }
    metrics.clientCall();
    outbound.call(call.method(), call.params(), timeout(message)).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result() == null ? null : Json.decodeValue(ar.result()));
      } else {
        message.reply(ar.cause());
      }
    });
  }

  /** The gateway's call timeout, or the caller's when it waits less. */
  private long timeout(Message<Object> message) {
    String header = message.headers().get(Addresses.TIMEOUT_HEADER);
    try {
      return header == null ? callTimeout : Math.max(1, Math.min(callTimeout, Long.parseLong(header)));
    } catch (NumberFormatException e) {
      return callTimeout;
    }
  }

  private void onNotification(Message<Object> message) {
    try {
      Call call = Call.of(message.body());
      connection.send(JsonRpcWriter.request(null, call.method(), call.params()));
    } catch (RpcException e) {
      log.debug("Dropped a notification for {}: {}", connectionId, e.getMessage());
    }
  }

  /**
   * Joins a group; completes once the membership is registered (across the cluster, when clustered),
   * so a publish made after the join is acknowledged reaches this connection.
   */
  private Future<Void> join(String group) {
    MessageConsumer<Object> consumer = groups.get(group);
    if (consumer == null) {
      consumer = vertx.eventBus().consumer(addresses.group(group), this::onNotification);
      groups.put(group, consumer);
    }
    return consumer.completion();
  }

  /** Leaves a group; true when the connection was a member. */
  private Future<Boolean> leave(String group) {
    MessageConsumer<Object> consumer = groups.remove(group);
    if (consumer == null) {
      return Future.succeededFuture(false);
    }
    return consumer.unregister().map(true).otherwise(true);
  }

  private static void reply(Message<Object> message, Object body) {
    if (message.replyAddress() != null) {
      message.reply(body);
    }
  }

  /** The body of a message to a client address: {@code {"method": ..., "params": ...}}. */
  private record Call(String method, Buffer params) {
    static Call of(Object body) {
      if (!(body instanceof JsonObject json) || !(json.getValue("method") instanceof String method)) {
        throw new RpcException(ErrorCode.INVALID_REQUEST, "a call to a client is {\"method\": ..., \"params\": ...}");
      }
      Object params = json.getValue("params");
      if (params != null && !(params instanceof io.vertx.core.json.JsonArray) && !(params instanceof JsonObject)) {
        throw new RpcException(ErrorCode.INVALID_PARAMS, "params must be an array or an object");
      }
      return new Call(method, params == null ? null : JsonRpcWriter.encodeValue(params));
    }
  }

  /** @return the groups the connection is in */
  List<String> groups() {
    return new ArrayList<>(groups.keySet());
  }
}
