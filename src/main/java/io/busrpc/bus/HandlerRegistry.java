package io.busrpc.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Set;

/**
 * Which handler class serves which method name, in the whole cluster, so that two different classes
 * cannot claim one name while several instances of the same class, on any node, share it.
 *
 * <p>Two maps hold it: this node's instances per name ({@link LocalHandlers}) and the cluster-wide
 * map of the class and nodes that serve each name ({@link ClusterHandlers}). A claim takes the local
 * name first, then the cluster-wide one, and gives both back when either fails.
 *
 * <p>{@link #isRpcMethod(String)} and {@link #target} answer at once from the local map and from a
 * cache of cluster look-ups ({@link LookupCache}); a missing or stale answer only makes the gateway
 * use the plain request/reply contract, which {@code RpcVerticle}s answer as well.
 */
public final class HandlerRegistry {

  private final LocalHandlers local;
  private final ClusterHandlers cluster;
  private final LookupCache lookups;

  /**
   * Where to send a call: the handler class and the node whose instances get it.
   *
   * @param className the {@code RpcVerticle} class serving the method
   * @param node      the node id
   */
  public record Target(String className, String node) {
  }

  private HandlerRegistry(Vertx vertx) {
    this.local = new LocalHandlers(vertx);
    this.cluster = new ClusterHandlers(vertx);
    this.lookups = new LookupCache(cluster);
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
    return local.claim(className, methods)
      .compose(v -> cluster.claim(className, methods)
        .recover(e -> {
          List<String> back = local.release(className, methods);
          return cluster.leave(className, back).transform(ar -> Future.failedFuture(e));
        }));
  }

  /**
   * Gives back the names one instance of a class claimed; once no instance of the class serves a
   * name on this node, the node leaves the name's cluster-wide entry.
   */
  public Future<Void> release(String className, List<String> methods) {
    List<String> unserved = local.release(className, methods);
    if (unserved.isEmpty()) {
      return Future.succeededFuture();
    }
    return cluster.leave(className, unserved);
  }

  /**
   * @return true when an {@code RpcVerticle} serves the method, as far as this node knows now (so
   *     it speaks the raw JSON contract); never blocks
   */
  public boolean isRpcMethod(String method) {
    if (local.serves(method)) {
      return true;
    }
    LookupCache.Lookup lookup = lookups.get(method);
    return lookup != null && lookup.rpc();
  }

  /**
   * Tells the registry that someone answered a call of the method over the plain contract: unless
   * a recent answer is cached, asks the cluster-wide map in the background whether an
   * {@code RpcVerticle} serves it, so later calls can use the fast contract. Only names that were
   * answered are looked up, so made-up names cost nothing.
   */
  public void learn(String method) {
    if (!local.serves(method)) {
      lookups.learn(method);
    }
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
    String owner = local.owner(method);
    if (owner != null) {
      return new Target(owner, nodeId());
    }
    LookupCache.Lookup lookup = lookups.get(method);
    if (lookup == null || !lookup.rpc()) {
      return null;
    }
    if (lookup.stale()) {
      learn(method); // nodes may have joined or left since
    }
    String node = lookup.pick(live, n);
    return node == null ? null : new Target(lookup.className(), node);
  }

  /**
   * Loads where every {@code RpcVerticle} method of the cluster is served, so that even the first
   * call of a method served on another node goes straight to a node the gateway knows.
   */
  public void preload() {
    lookups.preload();
  }

  /**
   * @return true when this registry has no answer about the method yet (and room to cache one),
   *     so a call should wait for {@link #lookUp(String)}
   */
  public boolean unknown(String method) {
    return !local.serves(method) && lookups.unknown(method);
  }

  /** Asks the cluster-wide map where the method is served and caches the answer, even "nowhere". */
  public Future<Void> lookUp(String method) {
    return lookups.lookUp(method);
  }

  /** Drops what this registry cached about a method (a handler of it was deployed or undeployed). */
  public void forget(String method) {
    lookups.forget(method);
  }

  /**
   * @return true when the cluster-wide map lists an {@code RpcVerticle} for the method but none of
   *     its nodes is alive (they died or left), and none serves it here; a background look-up then
   *     checks whether a node has taken it up since
   */
  public boolean servedOnlyByLostNodes(String method, Set<String> live) {
    if (local.serves(method)) {
      return false;
    }
    LookupCache.Lookup lookup = lookups.get(method);
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
    return Set.copyOf(cluster.liveNodes());
  }

  /** @return this node's id in the cluster, or {@code local} when Vert.x is not clustered */
  public String nodeId() {
    return cluster.nodeId();
  }
}
