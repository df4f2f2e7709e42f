package io.busrpc.bus;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node learnt from the cluster-wide map of handlers about where methods are served, so
 * that routing a call never waits for the cluster: each answer (even "no {@code RpcVerticle}") is
 * trusted for {@value #LOOKUP_TTL} ms, and at most {@value #MAX_CACHED} names are kept.
 */
final class LookupCache {

  /** How long a cluster look-up's answer is trusted before it is checked again, in ms. */
  private static final long LOOKUP_TTL = 10_000;
  /** At most this many names are cached, so that made-up method names cannot grow memory. */
  private static final int MAX_CACHED = 10_000;

  private final ClusterHandlers cluster;
  private final Map<String, Lookup> remote = new ConcurrentHashMap<>();

  /**
   * A cluster look-up's answer (the class that serves the method and the nodes it runs on; no class
   * when no {@code RpcVerticle} serves it) and when to ask again; {@code due == 0} while one is in
   * flight.
   */
  record Lookup(String className, List<String> nodes, long due) {

    private static Lookup of(ServedBy served, long due) {
      return served == null ? new Lookup(null, List.of(), due) : new Lookup(served.className(), served.nodes(), due);
    }

    /** @return whether an {@code RpcVerticle} serves the method */
    boolean rpc() {
      return className != null;
    }

    /** @return whether the answer has outlived its time (and no look-up is on its way) */
    boolean stale() {
      return due != 0 && due < System.currentTimeMillis();
    }

    /** @return the {@code n}th of the nodes that are alive (round robin), or {@code null} when none is */
    String pick(Set<String> live, long n) {
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
          return node;
        }
      }
      return null;
    }
  }

  LookupCache(ClusterHandlers cluster) {
    this.cluster = cluster;
  }

  /** @return the cached answer about the method, or {@code null} */
  Lookup get(String method) {
    return remote.get(method);
  }

  /** Unless a recent answer is cached or a look-up is on its way, asks the cluster in the background. */
  void learn(String method) {
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
    cluster.get(method).onComplete(ar -> {
      long due = System.currentTimeMillis() + LOOKUP_TTL;
      if (ar.failed()) {
        remote.put(method, new Lookup(inFlight.className(), inFlight.nodes(), due));
      } else {
        remote.put(method, Lookup.of(ar.result(), due));
      }
    });
  }

  /** Caches every entry of the cluster-wide map, in the background. */
  void preload() {
    cluster.entries().onSuccess(entries -> {
      long due = System.currentTimeMillis() + LOOKUP_TTL;
      entries.forEach((method, served) -> remote.putIfAbsent(method, Lookup.of(served, due)));
    });
  }

  /** @return true when no answer about the method is cached yet and there is room to cache one */
  boolean unknown(String method) {
    if (remote.size() >= MAX_CACHED) {
      return false;
    }
    Lookup lookup = remote.get(method);
    // A background look-up still on its way knows nothing yet either.
    return lookup == null || lookup.due() == 0 && !lookup.rpc();
  }

  /** Asks the cluster where the method is served and caches the answer, even "nowhere". */
  Future<Void> lookUp(String method) {
    return cluster.get(method).transform(ar -> {
      long due = System.currentTimeMillis() + LOOKUP_TTL;
      if (ar.succeeded() && remote.size() < MAX_CACHED) {
        remote.put(method, Lookup.of(ar.result(), due));
      } else if (remote.size() < MAX_CACHED) {
        remote.putIfAbsent(method, Lookup.of(null, due));
      }
      return Future.succeededFuture();
    });
  }

  /** Drops the cached answer about the method. */
  void forget(String method) {
    remote.remove(method);
  }
}
