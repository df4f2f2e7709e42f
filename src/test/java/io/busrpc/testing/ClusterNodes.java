package io.busrpc.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Clustered Vert.x instances in the test's JVM, on real Hazelcast over loopback (TCP-IP join,
 * multicast off, short heartbeats: {@code cluster-test.xml}). Every cluster gets a name of its own,
 * so concurrent test runs on one machine never join each other.
 */
public final class ClusterNodes implements AutoCloseable {

  private final String name = "busrpc-test-" + UUID.randomUUID();
  private final List<Vertx> nodes = new ArrayList<>();
  private int firstPort;

  /** @return this cluster's Hazelcast cluster name */
  public String name() {
    return name;
  }

  /** @return the member address that other nodes join through, {@code 127.0.0.1:port} */
  public String members() {
    return "127.0.0.1:" + firstPort;
  }

  /** Starts one more node and waits until it is in the cluster. */
  public Vertx start() {
    // Port 0: Hazelcast binds an ephemeral port; the first node's is read back for the others to join.
    HazelcastClusterManager manager = new HazelcastClusterManager(config(name, 0, nodes.isEmpty() ? "127.0.0.1:0" : members()));
    Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
      .withClusterManager(manager)
      .buildClustered().await();
    if (nodes.isEmpty()) {
      firstPort = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
    }
    nodes.add(vertx);
    return vertx;
  }

  /** @return the Hazelcast configuration of a test node */
  public static Config config(String clusterName, int port, String members) {
    Properties properties = new Properties();
    properties.setProperty("busrpc.cluster.name", clusterName);
    properties.setProperty("busrpc.cluster.port", Integer.toString(port));
    properties.setProperty("busrpc.cluster.members", members);
    try (InputStream xml = ClusterNodes.class.getResourceAsStream("/cluster-test.xml")) {
      return new XmlConfigBuilder(xml).setProperties(properties).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes every node, last started first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).close().await();
      } catch (RuntimeException ignored) {
        // a node the test killed or closed already
      }
    }
    nodes.clear();
  }
}
