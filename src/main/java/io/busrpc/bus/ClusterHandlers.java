package io.busrpc.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide map of handlers ({@link AsyncMap}, a local one when Vert.x is not clustered): a
 * method name to the class that serves it and the nodes it runs on ({@link ServedBy}), changed by
 * compare-and-set so that nodes deploying at once cannot both take a name. An entry whose nodes
 * have all left the cluster (a node that died) no longer blocks another class.
 */
final class ClusterHandlers {

  private static final String CLUSTER_MAP = "busrpc.handlers";
  private static final String LOCAL_NODE = "local";

  private final Vertx vertx;
  private Future<AsyncMap<String, String>> mapRequest;

  ClusterHandlers(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Adds this node to the entries of the names, one after the other.
   *
   * @return fails naming the method and both classes when another class serves one of them on a
   *     live node; the names taken before it stay taken (the caller leaves them)
   */
  Future<Void> claim(String className, List<String> methods) {
    return map().compose(map -> claimAll(map, className, methods, 0));
  }

  /** Takes this node out of the entries of the names; an entry left without a node goes. */
  Future<Void> leave(String className, List<String> methods) {
    return map().compose(map -> leaveAll(map, className, methods, 0));
  }

  /** @return where the method is served, {@code null} when no {@code RpcVerticle} serves it */
  Future<ServedBy> get(String method) {
    return map().compose(map -> map.get(method)).map(entry -> entry == null ? null : ServedBy.parse(entry));
  }

  /** @return every entry of the map */
  Future<Map<String, ServedBy>> entries() {
    return map().compose(AsyncMap::entries).map(entries -> {
      Map<String, ServedBy> all = new LinkedHashMap<>();
      entries.forEach((method, entry) -> all.put(method, ServedBy.parse(entry)));
      return all;
    });
  }

  /** @return this node's id in the cluster, or {@code local} when Vert.x is not clustered */
  String nodeId() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? LOCAL_NODE : manager.getNodeId();
  }

  /** @return the ids of the nodes in the cluster now ({@code local} when Vert.x is not clustered) */
  List<String> liveNodes() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? List.of(LOCAL_NODE) : manager.getNodes();
  }

  private Future<Void> claimAll(AsyncMap<String, String> map, String className, List<String> methods, int index) {
    if (index == methods.size()) {
      return Future.succeededFuture();
    }
    String method = methods.get(index);
    return claimOne(map, className, method).compose(v -> claimAll(map, className, methods, index + 1));
  }

  private Future<Void> claimOne(AsyncMap<String, String> map, String className, String method) {
    String node = nodeId();
    return map.get(method).compose(entry -> {
      if (entry == null) {
        return map.putIfAbsent(method, new ServedBy(className, node).encode())
          .compose(previous -> previous == null ? Future.succeededFuture() : claimOne(map, className, method));
      }
      ServedBy served = ServedBy.parse(entry);
      ServedBy claimed;
      if (served.className().equals(className)) {
        if (served.nodes().contains(node)) {
          return Future.succeededFuture();
        }
        claimed = served.with(node);
      } else {
        if (served.nodes().stream().anyMatch(liveNodes()::contains)) {
          return Future.failedFuture(ServedBy.conflict(method, served.className(), className));
        }
        // Every node of the other class has left the cluster: the name is free.
        claimed = new ServedBy(className, node);
      }
      return map.replaceIfPresent(method, entry, claimed.encode())
        .compose(done -> done ? Future.succeededFuture() : claimOne(map, className, method));
    });
  }

  private Future<Void> leaveAll(AsyncMap<String, String> map, String className, List<String> methods, int index) {
    if (index == methods.size()) {
      return Future.succeededFuture();
    }
    return leaveOne(map, className, methods.get(index)).compose(v -> leaveAll(map, className, methods, index + 1));
  }

  private Future<Void> leaveOne(AsyncMap<String, String> map, String className, String method) {
    String node = nodeId();
    return map.get(method).compose(entry -> {
      if (entry == null) {
        return Future.succeededFuture();
      }
      ServedBy served = ServedBy.parse(entry);
      if (!served.className().equals(className) || !served.nodes().contains(node)) {
        return Future.succeededFuture();
      }
      ServedBy left = served.without(node);
      Future<Boolean> done = left.nodes().isEmpty() ? map.removeIfPresent(method, entry)
        : map.replaceIfPresent(method, entry, left.encode());
      return done.compose(ok -> ok ? Future.succeededFuture() : leaveOne(map, className, method));
    });
  }

  /** The map, asked for again after a failure (a cluster that was not ready). */
  private synchronized Future<AsyncMap<String, String>> map() {
    if (mapRequest == null || mapRequest.failed()) {
      mapRequest = vertx.sharedData().getAsyncMap(CLUSTER_MAP);
    }
    return mapRequest;
  }
}
