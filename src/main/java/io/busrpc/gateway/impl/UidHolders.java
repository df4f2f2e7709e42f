package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;

import java.util.function.Supplier;

/**
 * Who holds each uid, for the whole cluster: one entry of the cluster's shared data per logged-in
 * uid, {@code uid -> holder} (the holding connection's id and the control address of its gateway
 * instance). A login changes it only under the uid's lock, and with compare-and-set, so concurrent
 * logins of one uid, on one node or many, end with exactly one holder.
 *
 * <p>The lock is two locks. Vert.x's cluster-wide lock on Hazelcast is a Hazelcast map lock, which
 * is reentrant per thread: two logins whose lock requests run on the same worker thread would both
 * get it. So a login first takes the node-local lock of the uid (a queue of waiters, not tied to a
 * thread), and only the one login of a node that holds it asks for the cluster-wide lock. What the
 * local lock cannot cover, the cluster lock being released asynchronously (the next login of the
 * node may ask on the same thread before the release has run), compare-and-set does: a login only
 * replaces the holder it has read, otherwise it reads again.
 */
final class UidHolders {

  /** How long a login waits for the other logins of its uid before it fails, in ms. */
  static final long LOCK_TIMEOUT = 10_000;

  private final Vertx vertx;
  private final Addresses addresses;
  private Future<AsyncMap<String, String>> map;

  UidHolders(Vertx vertx, Addresses addresses) {
    this.vertx = vertx;
    this.addresses = addresses;
  }

  /** @return the name of the shared map that holds the entries, under the address prefix */
  static String mapName(Addresses addresses) {
    return addresses.internal("holders");
  }

  /**
   * Runs {@code action} holding the uid's lock on this node and in the cluster.
   *
   * @return the action's outcome; fails with the timeout error when the lock is not free in time
   */
  <T> Future<T> withLock(String uid, Supplier<Future<T>> action) {
    String name = addresses.internal("login." + uid);
    long started = System.nanoTime();
    return vertx.sharedData().getLocalLockWithTimeout(name, LOCK_TIMEOUT)
      .recover(e -> Future.failedFuture(lockTimeout(uid)))
      .compose(local -> clusterLock(name, started)
        .recover(e -> Future.failedFuture(lockTimeout(uid)))
        .compose(cluster -> run(action).andThen(ar -> {
          if (cluster != null) {
            cluster.release();
          }
        }))
        .andThen(ar -> local.release()));
  }

  private static <T> Future<T> run(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Lock> clusterLock(String name, long started) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture(); // the local lock is all there is
    }
    long left = LOCK_TIMEOUT - (System.nanoTime() - started) / 1_000_000;
    return vertx.sharedData().getLockWithTimeout(name, Math.max(1, left));
  }

  private static RpcException lockTimeout(String uid) {
    return new RpcException(ErrorCode.TIMEOUT.code(), ErrorCode.TIMEOUT.message(),
      "other logins of " + uid + " kept it busy for " + LOCK_TIMEOUT + " ms");
  }

  /** @return the uid's holder, or {@code null} */
  Future<String> get(String uid) {
    return map().compose(m -> m.get(uid));
  }

  /**
   * Makes {@code holder} the uid's holder if {@code expected} still is ({@code null}: nobody is).
   *
   * @return true when it did; false when another login changed the entry meanwhile
   */
  Future<Boolean> replace(String uid, String expected, String holder) {
    if (holder.equals(expected)) {
      return Future.succeededFuture(true);
    }
    return map().compose(m -> expected == null
      ? m.putIfAbsent(uid, holder).map(previous -> previous == null)
      : m.replaceIfPresent(uid, expected, holder));
  }

  /** Removes the uid's entry if {@code holder} still holds it. */
  Future<Void> release(String uid, String holder) {
    return map().compose(m -> m.removeIfPresent(uid, holder)).mapEmpty();
  }

  private synchronized Future<AsyncMap<String, String>> map() {
    if (map == null || map.failed()) {
      map = vertx.sharedData().getAsyncMap(mapName(addresses));
    }
    return map;
  }
}
