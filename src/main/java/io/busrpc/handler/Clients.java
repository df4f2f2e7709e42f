package io.busrpc.handler;

import io.busrpc.bus.Addresses;
import io.busrpc.handler.impl.ClientsImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Calls functions on connected clients from server code, on this node or any node of the cluster.
 *
 * <pre>{@code
 * Clients clients = Clients.create(vertx);
 * clients.call("player-42", "confirm", List.of("Trade 3 wood for 1 ore?"), Boolean.class)
 *   .onSuccess(yes -> ...);
 * }</pre>
 *
 * <p>Params may be a {@code JsonArray} or {@code JsonObject}, a {@code List} or array (positional),
 * a {@code Map} or any object Jackson can write as an object (named), or {@code null}. Errors are
 * {@link io.busrpc.protocol.RpcException}s: the client's own error with its code, message and
 * data; "client offline" when the uid is not connected or disconnects before answering; the
 * timeout code when it does not answer in time. Every returned future completes after the method
 * that returned it has returned, even when the outcome is known at once (an offline uid), so a
 * callback that calls again does not grow the stack.
 */
public interface Clients {

  /** Default time a client has to answer a call, in ms. */
  long DEFAULT_TIMEOUT = 30_000;

  /** @return clients reached under the default address prefix, with the default timeout */
  static Clients create(Vertx vertx) {
    return new ClientsImpl(vertx, Addresses.DEFAULT, DEFAULT_TIMEOUT);
  }

  /** @return clients reached under the given addresses, with the given call timeout in ms */
  static Clients create(Vertx vertx, Addresses addresses, long timeout) {
    return new ClientsImpl(vertx, addresses, timeout);
  }

  /**
   * Calls a method on the client logged in as {@code uid}.
   *
   * @return the client's result as a Vert.x JSON value (JsonObject, JsonArray, String, Number,
   *     Boolean or null)
   */
  Future<Object> call(String uid, String method, Object params);

  /** Calls a method on the client and binds its result to {@code type} with Jackson. */
  <T> Future<T> call(String uid, String method, Object params, Class<T> type);

  /** Sends a notification to the client; nothing is reported back, not even when it is offline. */
  void notify(String uid, String method, Object params);

  /**
   * Adds the client's connection to a group; it leaves the group when it disconnects or logs out.
   *
   * @return fails with "client offline" when the uid is not connected
   */
  Future<Void> join(String uid, String group);

  /**
   * Removes the client's connection from a group.
   *
   * @return true when it was a member; fails with "client offline" when the uid is not connected
   */
  Future<Boolean> leave(String uid, String group);

  /** Sends a notification to every member of a group, wherever each is connected. */
  void publish(String group, String method, Object params);

  /** Sends a notification to every logged-in client of the cluster. */
  void broadcast(String method, Object params);

  /** @return whether a client is logged in as {@code uid}, anywhere in the cluster */
  Future<Boolean> isOnline(String uid);
}
