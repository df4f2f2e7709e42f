package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.DiscardedRequests;
import io.busrpc.bus.Headers;
import io.busrpc.bus.Replies;
import io.busrpc.gateway.auth.Identity;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
 * <p>One uid has one connection in the whole cluster. The cluster's shared data says which (see
 * {@link UidHolders}): under the uid's lock a login reads the holder, asks it to step down (through
 * its gateway instance's control address) and waits until it has stopped listening, replaces the
 * entry with itself, and only then listens at the client address.
 */
final class Session {

  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final long STEP_DOWN_TIMEOUT = 5_000;
  // Compare-and-set fails only when another login slipped past the lock (see UidHolders) or the
  // holder logged out meanwhile; a few attempts are plenty.
  private static final int TAKE_OVER_ATTEMPTS = 5;

  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final Addresses addresses;
  private final UidHolders holders;
  private final String holder;
  private final String connectionId;
  private final ClientLink client;
  private final long callTimeout;
  private final int maxGroups;
  private final Map<String, MessageConsumer<Object>> groups = new HashMap<>();
  private Identity identity;
  private MessageConsumer<Object> clientConsumer;
  private MessageConsumer<Object> broadcastConsumer;
  private Future<Void> stopping = Future.succeededFuture();
  private String claiming;
  private Future<Void> claimDone;
  private boolean closed;

  Session(GatewayServices services, String connectionId, ClientLink client) {
    this.vertx = services.vertx;
    this.metrics = services.metrics;
    this.addresses = services.addresses;
    this.holders = services.holders;
    this.holder = connectionId + " " + services.controlAddress;
    this.connectionId = connectionId;
    this.client = client;
    this.callTimeout = services.options.getCallTimeout();
    this.maxGroups = services.options.getMaxGroupsPerConnection();
  }

  /** @return the identity bound to the connection, or {@code null} */
  Identity identity() {
    return identity;
  }

  /**
   * Binds the connection to the identity, dropping the uid it held before: takes the uid over from
   * its holder, wherever it is, then listens at the client address. Calls must not overlap (the
   * connection serialises its logins).
   */
  Future<Void> bind(Identity newIdentity) {
    String uid = newIdentity.uid();
    return unbind().transform(ignored -> holders.withLock(uid, () -> claim(newIdentity)));
  }

  /** Under the uid's lock: becomes the holder and listens. */
  private Future<Void> claim(Identity newIdentity) {
    if (closed) {
      // The socket went away while the login was being checked: bind nothing to it.
      return offlineDuringLogin();
    }
    String uid = newIdentity.uid();
    // From here on a holder entry naming this connection may exist before it listens: a step-down
    // request that arrives meanwhile waits for this attempt (see stepDown).
    claiming = uid;
    Promise<Void> done = Promise.promise();
    claimDone = done.future();
    return takeOver(uid, 1).compose(v -> listen(newIdentity)).andThen(ar -> {
      claiming = null;
      if (ar.failed()) {
        unbind();
        holders.release(uid, holder);
      }
      done.complete();
    });
  }

  /** Makes this connection the uid's holder once the current one has stopped listening. */
  private Future<Void> takeOver(String uid, int attempt) {
    return holders.get(uid).compose(current -> askToStepDown(current, uid)
      .compose(v -> holders.replace(uid, current, holder))
      .compose(replaced -> {
        if (replaced) {
          return Future.succeededFuture();
        }
        if (attempt >= TAKE_OVER_ATTEMPTS) {
          return Future.failedFuture(new RpcException(ErrorCode.INTERNAL_ERROR.code(),
            ErrorCode.INTERNAL_ERROR.message(), "the holder of " + uid + " kept changing"));
        }
        return takeOver(uid, attempt + 1);
      }));
  }

  /**
   * Asks the uid's holder, on whichever node it is, to step down, and waits until it has stopped
   * listening. No answer in time (its node is gone or frozen): carry on.
   */
  private Future<Void> askToStepDown(String current, String uid) {
    if (current == null || current.equals(holder)) {
      return Future.succeededFuture();
    }
    int space = current.indexOf(' ');
    if (space < 0) {
      return Future.succeededFuture(); // not an entry busrpc wrote: replace it
    }
    JsonObject request = new JsonObject().put("connection", current.substring(0, space)).put("uid", uid);
    return vertx.eventBus().request(current.substring(space + 1), request,
      new DeliveryOptions().setSendTimeout(STEP_DOWN_TIMEOUT).addHeader(Headers.CONTROL, ControlMessage.REPLACED.value())).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> listen(Identity newIdentity) {
    if (closed) {
      return offlineDuringLogin();
    }
    identity = newIdentity;
    // A call that arrives while the consumer is unregistered (logout, step-down) is discarded: the
    // client is gone, so its caller is told "client offline" rather than nothing or a timeout.
    clientConsumer = DiscardedRequests.answer(vertx.eventBus(),
      vertx.eventBus().consumer(addresses.client(newIdentity.uid()), this::onClientMessage),
      () -> new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
    broadcastConsumer = vertx.eventBus().consumer(addresses.broadcast(), this::onNotification);
    return Future.all(clientConsumer.completion(), broadcastConsumer.completion()).mapEmpty();
  }

  private static Future<Void> offlineDuringLogin() {
    return Future.failedFuture(new RpcException(ErrorCode.CLIENT_OFFLINE, "the connection closed during login"));
  }

  /** The connection closed: unbinds, and a login still in progress binds nothing. */
  void close() {
    closed = true;
    unbind();
  }

  /**
   * Stops listening at every address, fails the calls still waiting for the client and gives the
   * uid up in the cluster's shared data.
   *
   * @return completes once the client address is no longer registered (across the cluster) and the
   *     holder entry is gone
   */
  Future<Void> unbind() {
    if (identity == null) {
      return stopping;
    }
    String uid = identity.uid();
    Future<Void> stopped = stopListening();
    Future<Void> released = holders.release(uid, holder).otherwiseEmpty();
    return Future.all(stopped, released).mapEmpty();
  }

  private Future<Void> stopListening() {
    identity = null;
    Future<Void> stopped = clientConsumer.unregister();
    broadcastConsumer.unregister();
    groups.values().forEach(MessageConsumer::unregister);
    groups.clear();
    client.offline();
    stopping = stopped.otherwiseEmpty();
    return stopping;
  }

  /**
   * A newer login of {@code uid} asks this connection to give it up: it stops listening, tells the
   * client ({@code rpc.replaced}) and closes. A connection that no longer holds the uid has nothing
   * to do.
   *
   * @return completes once the connection no longer listens at the uid's address
   */
  Future<Void> stepDown(String uid) {
    if (uid.equals(claiming)) {
      return claimDone.transform(ar -> stepDown(uid));
    }
    if (identity == null || !identity.uid().equals(uid)) {
      return stopping; // perhaps still unregistering
    }
    log.info("Connection {} of uid {} replaced by a newer login", connectionId, uid);
    // The newer login replaces the holder entry itself: releasing it here would only make it retry.
    Future<Void> stopped = stopListening();
    client.replaced("another connection logged in as " + uid);
    return stopped;
  }

  private void onClientMessage(Message<Object> message) {
    String header = message.headers().get(Headers.CONTROL);
    if (header == null) {
      if (message.replyAddress() == null && !message.headers().contains(Headers.REPLY_TO)) {
        onNotification(message);
      } else {
        onCall(message);
      }
      return;
    }
    ControlMessage control = ControlMessage.of(header);
    if (control == null) {
      reply(message, new RpcException(ErrorCode.INVALID_REQUEST, "unknown control " + header));
      return;
    }
    switch (control) {
      case JOIN -> join(String.valueOf(message.body()))
        .onComplete(ar -> reply(message, ar.succeeded() ? Boolean.TRUE : BusFailures.toRpcException(ar.cause(), ErrorCode.INTERNAL_ERROR)));
      case LEAVE -> leave(String.valueOf(message.body())).onComplete(ar -> reply(message, ar.result()));
      case ONLINE -> reply(message, Boolean.TRUE);
      // A step-down request goes to the gateway's control address, never to a client address.
      case REPLACED, RESUME -> reply(message, new RpcException(ErrorCode.INVALID_REQUEST, header + " is not sent to a client address"));
    }
  }

  /**
   * A call for the client. {@code Clients} asks in bytes and is answered in bytes, at the reply
   * address its headers name when they name one (see {@link Replies}); the plain bus form is answered
   * with a Vert.x JSON value.
   */
  private void onCall(Message<Object> message) {
    ClientBoundMessage call;
    try {
      call = ClientBoundMessage.of(message);
    } catch (RpcException e) {
      Replies.error(vertx.eventBus(), message, e);
      return;
    }
    metrics.clientCall();
    client.call(call.method(), call.params(), call.timeout(callTimeout)).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(vertx.eventBus(), message, BusFailures.toRpcException(ar.cause(), ErrorCode.INTERNAL_ERROR));
      } else if (call.raw()) {
        Replies.result(vertx.eventBus(), message, JsonRpcWriter.encodeValue(ar.result()));
      } else {
        message.reply(ar.result() == null ? null : Json.decodeValue(ar.result()));
      }
    });
  }

  private void onNotification(Message<Object> message) {
    try {
      ClientBoundMessage call = ClientBoundMessage.of(message);
      client.notify(call.method(), call.params());
    } catch (RpcException e) {
      log.debug("Dropped a notification for {}: {}", connectionId, e.getMessage());
    }
  }

  /**
   * Joins a group; completes once the membership is registered (across the cluster, when clustered),
   * so a publish made after the join is acknowledged reaches this connection. Fails with -32011 when
   * the connection is in {@code maxGroupsPerConnection} groups already.
   */
  private Future<Void> join(String group) {
    MessageConsumer<Object> consumer = groups.get(group);
    if (consumer == null && groups.size() >= maxGroups) {
      return Future.failedFuture(new RpcException(ErrorCode.TOO_MANY_GROUPS,
        "the client is in " + maxGroups + " groups already, the most gateway.maxGroupsPerConnection allows"));
    }
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

  /** @return the groups the connection is in */
  List<String> groups() {
    return new ArrayList<>(groups.keySet());
  }
}
