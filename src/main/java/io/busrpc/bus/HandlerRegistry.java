package io.busrpc.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which handler class serves which method name, in the whole cluster, so that two different classes
 * cannot claim one name while several instances of the same class, on any node, share it.
 *
 * <p>Two maps hold it. The local map counts this node's instances per name
 * ({@code className#instances}); every change is one atomic {@code compute}. The cluster-wide
 * {@link AsyncMap} (a local one when Vert.x is not clustered) maps a name to
 * {@code className|node,node...}, the nodes that serve it, changed by compare-and-set; an entry
 * whose nodes have all left the cluster (a node that died) no longer blocks another class.
 *
 * <p>{@link #isRpcMethod(String)} answers at once from the local map and from a cache of cluster
 * look-ups; a missing or stale answer only makes the gateway use the plain request/reply contract,
 * which {@code RpcVerticle}s answer as well.
 */
public final class HandlerRegistry {

  private static final String LOCAL_MAP = "busrpc.handlers";
  private static final String CLUSTER_MAP = "busrpc.handlers";
  private static final String LOCAL_NODE = "local";
  /** How long a cluster look-up's answer is trusted before it is checked again, in ms. */
  private static final long LOOKUP_TTL = 10_000;
  /** At most this many names are cached, so that made-up method names cannot grow memory. */
  private static final int MAX_CACHED = 10_000;

  private final Vertx vertx;
  private final LocalMap<String, String> owners;
  private final Map<String, Lookup> remote = new ConcurrentHashMap<>();
  private Future<AsyncMap<String, String>> cluster;

  /**
   * A cluster look-up's answer (the class that serves the method and the nodes it runs on; no class
   * when no {@code RpcVerticle} serves it) and when to ask again; {@code due == 0} while one is in
   * flight.
   */
  private record Lookup(String className, List<String> nodes, long due) {
    boolean rpc() {
      return className != null;
    }
  }

  /**
   * Where to send a call: the handler class and the node whose instances get it.
   *
   * @param className the {@code RpcVerticle} class serving the method
   * @param node      the node id
   */
  public record Target(String className, String node) {
  }

  private HandlerRegistry(Vertx vertx) {
    this.vertx = vertx;
    this.owners = vertx.sharedData().getLocalMap(LOCAL_MAP);
  }

  /** @return the registry of this Vert.x instance (its cache of cluster look-ups is its own) */
  public static HandlerRegistry get(Vertx vertx) {
    return new HandlerRegistry(vertx);
  }

  /**
   * Claims method names for one instance of a handler class; all or none.
   *
   * @return fails with an {@link IllegalStateException} naming the method and both classes when
   *     another class serves one of them on this node or on any live node of the cluster
   */
  public Future<Void> claim(String className, List<String> methods) {
    List<String> claimed = new ArrayList<>();
    for (String method : methods) {
      String[] conflict = new String[1];
      owners.compute(method, (name, entry) -> {
        if (entry == null) {
          return className + "#1";
        }
        String owner = owner(entry);
        if (!owner.equals(className)) {
          conflict[0] = owner;
          return entry;
        }
        return className + "#" + (count(entry) + 1);
      });
      if (conflict[0] != null) {
        releaseLocally(className, claimed);
        return Future.failedFuture(conflict(method, conflict[0], className));
      }
      claimed.add(method);
    }
    return clusterMap()
      .compose(map -> claimAll(map, className, methods, 0))
      .recover(e -> {
        List<String> back = releaseLocally(className, methods);
        return clusterMap().compose(map -> leaveAll(map, className, back, 0)).transform(ar -> Future.failedFuture(e));
      });
  }

  /**
   * Gives back the names one instance of a class claimed; once no instance of the class serves a
   * name on this node, the node leaves the name's cluster-wide entry.
   */
  public Future<Void> release(String className, List<String> methods) {
    List<String> unserved = releaseLocally(className, methods);
    if (unserved.isEmpty()) {
      return Future.succeededFuture();
    }
    return clusterMap().compose(map -> leaveAll(map, className, unserved, 0));
  }

  /**
   * @return true when an {@code RpcVerticle} serves the method, as far as this node knows now (so
   *     it speaks the raw JSON contract); never blocks
   */
  public boolean isRpcMethod(String method) {
    if (owners.containsKey(method)) {
      return true;
    }
    Lookup lookup = remote.get(method);
    return lookup != null && lookup.rpc();
  }

  /**
   * Tells the registry that someone answered a call of the method over the plain contract: unless
   * a recent answer is cached, asks the cluster-wide map in the background whether an
   * {@code RpcVerticle} serves it, so later calls can use the fast contract. Only names that were
   * answered are looked up, so made-up names cost nothing.
   */
  public void learn(String method) {
    if (owners.containsKey(method)) {
      return;
    }
    long now = System.currentTimeMillis();
    Lookup cached = remote.get(method);
    if (cached != null && (cached.due() == 0 || cached.due() > now)) {
      return;
    }
    Lookup inFlight = cached == null ? new Lookup(null, List.of(), 0) : new Lookup(cached.className(), cached.nodes(), 0);
    boolean mine = cached == null ? remote.putIfAbsent(method, inFlight) == null : remote.replace(method, cached, inFlight);
    if (!mine) {
      return;
    }
    clusterMap().compose(map -> map.get(method)).onComplete(ar -> {
      long due = System.currentTimeMillis() + LOOKUP_TTL;
      if (ar.failed()) {
        remote.put(method, new Lookup(inFlight.className(), inFlight.nodes(), due));
      } else if (ar.result() == null) {
        remote.put(method, new Lookup(null, List.of(), due));
      } else {
        String entry = ar.result();
        remote.put(method, new Lookup(entry.substring(0, entry.lastIndexOf('|')), List.copyOf(nodes(entry)), due));
      }
    });
  }

  /**
   * Picks where a call of an {@code RpcVerticle} method goes: this node when an instance serves it
   * here, else one of the live nodes the cluster-wide map lists for it (the {@code n}th, round
   * robin). Answers from this node's map and a cache; a stale cache entry is refreshed in the
   * background.
   *
   * @param live the ids of the nodes in the cluster now
   * @return the target, or {@code null} when no live node is known to serve it as an
   *     {@code RpcVerticle} (the gateway then uses the plain request/reply contract)
   */
  public Target target(String method, Set<String> live, long n) {
    String local = owners.get(method);
    if (local != null) {
      return new Target(owner(local), nodeId());
    }
    Lookup lookup = remote.get(method);
    if (lookup == null || !lookup.rpc()) {
      return null;
    }
    if (lookup.due() != 0 && lookup.due() < System.currentTimeMillis()) {
      learn(method); // nodes may have joined or left since
    }
    List<String> nodes = lookup.nodes();
    int alive = 0;
    for (String node : nodes) {
      if (live.contains(node)) {
        alive++;
      }
    }
    if (alive == 0) {
      return null;
    }
    long pick = Math.floorMod(n, alive);
    for (String node : nodes) {
      if (live.contains(node) && pick-- == 0) {
        return new Target(lookup.className(), node);
      }
    }
    return null;
  }

  /**
   * Loads where every {@code RpcVerticle} method of the cluster is served, so that even the first
   * call of a method served on another node goes straight to a node the gateway knows.
   */
  public void preload() {
    clusterMap().compose(AsyncMap::entries).onSuccess(entries -> {
      long due = System.currentTimeMillis() + LOOKUP_TTL;
      entries.forEach((method, entry) -> remote.putIfAbsent(method,
        new Lookup(entry.substring(0, entry.lastIndexOf('|')), List.copyOf(nodes(entry)), due)));
    });
  }

  /**
   * @return true when this registry has no answer about the method yet (and room to cache one),
   *     so a call should wait for {@link #lookUp(String)}
   */
  public boolean unknown(String method) {
    if (owners.containsKey(method) || remote.size() >= MAX_CACHED) {
      return false;
    }
    Lookup lookup = remote.get(method);
    // A background look-up still on its way knows nothing yet either.
    return lookup == null || lookup.due() == 0 && !lookup.rpc();
  }

  /** Asks the cluster-wide map where the method is served and caches the answer, even "nowhere". */
  public Future<Void> lookUp(String method) {
    return clusterMap().compose(map -> map.get(method)).transform(ar -> {
      long due = System.currentTimeMillis() + LOOKUP_TTL;
      if (ar.succeeded() && remote.size() < MAX_CACHED) {
        String entry = ar.result();
        remote.put(method, entry == null ? new Lookup(null, List.of(), due)
          : new Lookup(entry.substring(0, entry.lastIndexOf('|')), List.copyOf(nodes(entry)), due));
      } else if (remote.size() < MAX_CACHED) {
        remote.putIfAbsent(method, new Lookup(null, List.of(), due));
      }
      return Future.succeededFuture();
    });
  }

  /** Drops what this registry cached about a method (a handler of it was deployed or undeployed). */
  public void forget(String method) {
    remote.remove(method);
  }

  /**
   * @return true when the cluster-wide map lists an {@code RpcVerticle} for the method but none of
   *     its nodes is alive (they died or left), and none serves it here; a background look-up then
   *     checks whether a node has taken it up since
   */
  public boolean servedOnlyByLostNodes(String method, Set<String> live) {
    if (owners.containsKey(method)) {
      return false;
    }
    Lookup lookup = remote.get(method);
    if (lookup == null || !lookup.rpc() || lookup.nodes().stream().anyMatch(live::contains)) {
      return false;
    }
    if (lookup.due() != 0) {
      learn(method);
    }
    return true;
  }

  /** @return the ids of the nodes in the cluster now ({@code local} when Vert.x is not clustered) */
  public Set<String> liveNodeIds() {
    return Set.copyOf(liveNodes());
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
        return map.putIfAbsent(method, className + "|" + node)
          .compose(previous -> previous == null ? Future.succeededFuture() : claimOne(map, className, method));
      }
      String owner = entry.substring(0, entry.lastIndexOf('|'));
      TreeSet<String> nodes = nodes(entry);
      if (owner.equals(className)) {
        if (nodes.contains(node)) {
          return Future.succeededFuture();
        }
        nodes.add(node);
      } else {
        nodes.retainAll(liveNodes());
        if (!nodes.isEmpty()) {
          return Future.failedFuture(conflict(method, owner, className));
        }
        // Every node of the other class has left the cluster: the name is free.
        nodes.add(node);
      }
      return map.replaceIfPresent(method, entry, className + "|" + String.join(",", nodes))
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
      if (entry == null || !entry.substring(0, entry.lastIndexOf('|')).equals(className)) {
        return Future.succeededFuture();
      }
      TreeSet<String> nodes = nodes(entry);
      if (!nodes.remove(node)) {
        return Future.succeededFuture();
      }
      Future<Boolean> done = nodes.isEmpty() ? map.removeIfPresent(method, entry)
        : map.replaceIfPresent(method, entry, className + "|" + String.join(",", nodes));
      return done.compose(ok -> ok ? Future.succeededFuture() : leaveOne(map, className, method));
    });
  }

  /** @return the names that no instance of the class serves on this node any more */
  private List<String> releaseLocally(String className, List<String> methods) {
    List<String> unserved = new ArrayList<>();
    for (String method : methods) {
      owners.computeIfPresent(method, (name, entry) -> {
        if (!owner(entry).equals(className)) {
          return entry;
        }
        int left = count(entry) - 1;
        if (left == 0) {
          unserved.add(method);
          return null;
        }
        return className + "#" + left;
      });
    }
    return unserved;
  }

  private synchronized Future<AsyncMap<String, String>> clusterMap() {
    if (cluster == null || cluster.failed()) {
      cluster = vertx.sharedData().getAsyncMap(CLUSTER_MAP);
    }
    return cluster;
  }

  /** @return this node's id in the cluster, or {@code local} when Vert.x is not clustered */
  public String nodeId() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? LOCAL_NODE : manager.getNodeId();
  }

  private List<String> liveNodes() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? List.of(LOCAL_NODE) : manager.getNodes();
  }

  private static TreeSet<String> nodes(String entry) {
    String list = entry.substring(entry.lastIndexOf('|') + 1);
    return list.isEmpty() ? new TreeSet<>() : new TreeSet<>(Arrays.asList(list.split(",")));
  }

  private static IllegalStateException conflict(String method, String owner, String className) {
    return new IllegalStateException("method '" + method + "' is already served by " + owner
      + ", so " + className + " cannot serve it too");
  }

  private static String owner(String entry) {
    return entry.substring(0, entry.lastIndexOf('#'));
  }

  private static int count(String entry) {
    return Integer.parseInt(entry.substring(entry.lastIndexOf('#') + 1));
  }
}
