package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.DiscardedRequests;
import io.busrpc.gateway.auth.Identity;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in connection's presence on the event bus: the consumer at its client address, whose
 * messages {@link ClientMessages} turns into what the client gets, its {@link Groups}, and its
 * membership of the broadcast address (one consumer per gateway instance fans broadcasts out to its
 * sessions: {@link AddressFanout}).
 *
 * <p>One uid has one connection in the whole cluster: binding a uid takes it over from its holder
 * first ({@link UidTakeover}), and only then listens at the client address.
 */
final class Session {

  private static final Logger log = LoggerFactory.getLogger(Session.class);

  private final Vertx vertx;
  private final Context context;
  private final Fanouts fanouts;
  private final Addresses addresses;
  private final UidHolders holders;
  private final UidTakeover takeover;
  private final String connectionId;
  private final ClientLink client;
  private final Groups groups;
  private final ClientMessages messages;
  private Identity identity;
  private MessageConsumer<Object> clientConsumer;
  private Future<Void> stopping = Future.succeededFuture();
  private boolean closed;

  Session(GatewayServices services, String connectionId, ClientLink client) {
    this.vertx = services.vertx;
    this.context = vertx.getOrCreateContext();
    this.fanouts = services.fanouts;
    this.addresses = services.addresses;
    this.holders = services.holders;
    this.takeover = new UidTakeover(vertx, holders, connectionId + " " + services.controlAddress);
    this.connectionId = connectionId;
    this.client = client;
    this.groups = new Groups(services, context, client);
    this.messages = new ClientMessages(services, connectionId, client, groups);
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
    return unbind().transform(ignored -> holders.withLock(uid, () -> closed
      // The socket went away while the login was being checked: bind nothing to it.
      ? offlineDuringLogin()
      : takeover.claim(uid, () -> listen(newIdentity), this::unbind)));
  }

  private Future<Void> listen(Identity newIdentity) {
    if (closed) {
      return offlineDuringLogin();
    }
    identity = newIdentity;
    // A call that arrives while the consumer is unregistered (logout, step-down) is discarded: the
    // client is gone, so its caller is told "client offline" rather than nothing or a timeout.
    clientConsumer = DiscardedRequests.answer(vertx.eventBus(),
      vertx.eventBus().consumer(addresses.client(newIdentity.uid()), messages::atClientAddress),
      () -> new RpcException(ErrorCode.CLIENT_OFFLINE, "the client went offline"));
    Future<Void> broadcasts = fanouts.join(context, addresses.broadcast(), client);
    return Future.all(clientConsumer.completion(), broadcasts).mapEmpty();
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
    Future<Void> released = takeover.release(uid).otherwiseEmpty();
    return Future.all(stopped, released).mapEmpty();
  }

  private Future<Void> stopListening() {
    identity = null;
    Future<Void> stopped = clientConsumer.unregister();
    fanouts.leave(context, addresses.broadcast(), client);
    groups.leaveAll();
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
    Future<Void> claim = takeover.whenSettled(uid);
    if (claim != null) {
      return claim.transform(ar -> stepDown(uid));
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
}
