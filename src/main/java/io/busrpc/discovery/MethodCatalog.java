package io.busrpc.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.protocol.JsonMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The cluster-wide catalog of handler methods that {@code rpc.discover} lists: every node publishes
 * the descriptions of the methods its {@code RpcVerticle}s serve, in an {@link AsyncMap} (a local
 * one when Vert.x is not clustered), one entry per method, node and address prefix.
 *
 * <p>A node publishes a method when its first handler instance serving it starts and withdraws it
 * when its last one stops (a local count per name, changed atomically). A node that dies withdraws
 * nothing: its entries stay, and {@link #methods()} leaves out every entry whose node is no longer
 * a member of the cluster, so a dead node's methods drop out as soon as the cluster manager drops
 * the node. Each publication carries a nonce, so that a withdrawal racing with a new publication on
 * the same node never removes the new one.
 *
 * <p>{@link #methods()} caches its answer for {@value #SNAPSHOT_TTL} ms and shares one cluster
 * read among the callers waiting for it, so clients calling {@code rpc.discover} in a loop cost at
 * most one read of the map per second and gateway instance. Use one instance per event loop.
 */
public final class MethodCatalog {

  /** How long a read of the cluster-wide map is reused, in ms. */
  public static final long SNAPSHOT_TTL = 1_000;

  private static final Logger log = LoggerFactory.getLogger(MethodCatalog.class);
  private static final ObjectMapper MAPPER = JsonMapper.mapper();
  private static final String CLUSTER_MAP = "busrpc.discovery";
  private static final String LOCAL_MAP = "busrpc.discovery.published";
  private static final String LOCAL_NODE = "local";

  private final Vertx vertx;
  private final String prefix;
  private final LocalMap<String, String> published;
  private Future<AsyncMap<String, String>> cluster;
  private Future<List<Entry>> snapshot;
  private long snapshotAt;

  /**
   * A method as the catalog lists it.
   *
   * @param method  its OpenRPC method object
   * @param schemas the definitions its schemas refer to ({@code #/components/schemas/...})
   * @param roles   roles of which a caller needs one (its {@code @RpcMethod} roles); empty for none
   */
  public record Entry(ObjectNode method, ObjectNode schemas, List<String> roles) {

    /** @return the method's name */
    public String name() {
      return method.path("name").asText();
    }
  }

  /**
   * @param vertx         the Vert.x instance whose shared data holds the catalog
   * @param addressPrefix the address prefix the methods are served under; a gateway lists only the
   *                      methods of its own prefix
   */
  public MethodCatalog(Vertx vertx, String addressPrefix) {
    this.vertx = vertx;
    this.prefix = addressPrefix;
    this.published = vertx.sharedData().getLocalMap(LOCAL_MAP);
  }

  /**
   * Publishes the methods of one handler instance; a method that an instance on this node
   * published already is only counted.
   *
   * @param described the {@link MethodDescriber} output of each method
   * @return fails when the cluster-wide map cannot be written; nothing stays counted then
   */
  public Future<Void> publish(Collection<ObjectNode> described) {
    List<Future<Void>> puts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (ObjectNode description : described) {
      String name = description.path("method").path("name").asText();
      names.add(name);
      String value = entryText(description);
      boolean[] first = new boolean[1];
      published.compute(localKey(name), (key, current) -> {
        first[0] = current == null;
        return current == null ? "1#" + value : (count(current) + 1) + "#" + text(current);
      });
      if (first[0]) {
        puts.add(clusterMap().compose(map -> map.put(clusterKey(name), value)));
      }
    }
    // A start that fails is not stopped: take back what this instance counted.
    return Future.all(puts).<Void>mapEmpty().recover(e -> withdraw(names).transform(ar -> Future.failedFuture(e)));
  }

  /** Withdraws the methods of one handler instance that stopped; the last one on this node removes them. */
  public Future<Void> withdraw(Collection<String> names) {
    List<Future<?>> removals = new ArrayList<>();
    for (String name : names) {
      String[] last = new String[1];
      published.computeIfPresent(localKey(name), (key, current) -> {
        int left = count(current) - 1;
        if (left > 0) {
          return left + "#" + text(current);
        }
        last[0] = text(current);
        return null;
      });
      if (last[0] != null) {
        removals.add(clusterMap().compose(map -> map.removeIfPresent(clusterKey(name), last[0])));
      }
    }
    return Future.all(removals).mapEmpty();
  }

  /**
   * @return the methods served now by live nodes under this catalog's prefix, one entry per name,
   *     sorted by name; at most {@value #SNAPSHOT_TTL} ms old
   */
  public Future<List<Entry>> methods() {
    long now = System.nanoTime();
    if (snapshot == null || snapshot.failed() || (snapshot.isComplete() && now - snapshotAt > SNAPSHOT_TTL * 1_000_000)) {
      snapshotAt = now;
      snapshot = clusterMap().compose(AsyncMap::entries).map(this::live);
    }
    return snapshot;
  }

  private List<Entry> live(Map<String, String> entries) {
    Set<String> nodes = liveNodes();
    Map<String, Entry> byName = new TreeMap<>();
    Map<String, String> nodeOf = new TreeMap<>();
    for (String text : entries.values()) {
      JsonNode entry;
      try {
        entry = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        log.warn("Skipped an unreadable entry of the discovery catalog: {}", e.getOriginalMessage());
        continue;
      }
      String node = entry.path("node").asText();
      if (!nodes.contains(node) || !prefix.equals(entry.path("prefix").asText()) || !entry.path("method").isObject()) {
        continue;
      }
      ObjectNode method = (ObjectNode) entry.get("method");
      String name = method.path("name").asText();
      // Several nodes serve one name (the same class): any of them describes it; the lowest node id, so
      // that every gateway lists the same one.
      String previous = nodeOf.get(name);
      if (previous != null && previous.compareTo(node) <= 0) {
        continue;
      }
      nodeOf.put(name, node);
      List<String> roles = new ArrayList<>();
      method.path("x-roles").forEach(role -> roles.add(role.asText()));
      JsonNode schemas = entry.path("schemas");
      byName.put(name, new Entry(method, schemas.isObject() ? (ObjectNode) schemas : MAPPER.createObjectNode(), List.copyOf(roles)));
    }
    return List.copyOf(byName.values());
  }

  private String entryText(ObjectNode description) {
    ObjectNode entry = MAPPER.createObjectNode().put("node", nodeId()).put("prefix", prefix)
      .put("nonce", UUID.randomUUID().toString());
    entry.setAll(description);
    try {
      return MAPPER.writeValueAsString(entry);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String clusterKey(String name) {
    ArrayNode key = MAPPER.createArrayNode().add(nodeId()).add(prefix).add(name);
    return key.toString();
  }

  private String localKey(String name) {
    return MAPPER.createArrayNode().add(prefix).add(name).toString();
  }

  private static int count(String local) {
    return Integer.parseInt(local.substring(0, local.indexOf('#')));
  }

  private static String text(String local) {
    return local.substring(local.indexOf('#') + 1);
  }

  private synchronized Future<AsyncMap<String, String>> clusterMap() {
    if (cluster == null || cluster.failed()) {
      cluster = vertx.sharedData().getAsyncMap(CLUSTER_MAP);
    }
    return cluster;
  }

  private String nodeId() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? LOCAL_NODE : manager.getNodeId();
  }

  private Set<String> liveNodes() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? Set.of(LOCAL_NODE) : new HashSet<>(manager.getNodes());
  }
}
