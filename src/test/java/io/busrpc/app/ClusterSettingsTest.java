package io.busrpc.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code -cluster} turns the environment into Hazelcast's system properties. */
class ClusterSettingsTest {

  @Test
  void clusterFlagsAreTheLaunchersOwn() {
    assertTrue(ClusterSettings.clustered(new String[] {"-conf", "x.json", "-cluster"}));
    assertTrue(ClusterSettings.clustered(new String[] {"--cluster"}));
    assertTrue(ClusterSettings.clustered(new String[] {"-c"}));
    assertFalse(ClusterSettings.clustered(new String[] {"-conf", "x.json"}));
    assertFalse(ClusterSettings.clustered(new String[] {"call", "--port", "1", "m"}));
  }

  @Test
  void withNothingGivenNodesJoinOnLoopbackThroughConfCluster(@TempDir Path dir) throws Exception {
    Path xml = Files.writeString(dir.resolve("cluster.xml"), "<hazelcast/>");
    Properties properties = new Properties();
    ClusterSettings.apply(Map.of(), properties, xml);
    assertEquals(xml.toAbsolutePath().toString(), properties.getProperty("vertx.hazelcast.config"));
    assertEquals("127.0.0.1", properties.getProperty("busrpc.cluster.members"));
    assertEquals("127.0.0.1", properties.getProperty("hazelcast.local.localAddress"));
    assertEquals("false", properties.getProperty("hazelcast.socket.bind.any"));
  }

  @Test
  void membersAndHostComeFromTheEnvironment(@TempDir Path dir) {
    Properties properties = new Properties();
    ClusterSettings.apply(Map.of("BUSRPC_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5701", "BUSRPC_CLUSTER_HOST", "10.0.0.2"),
      properties, dir.resolve("missing.xml"));
    assertNull(properties.getProperty("vertx.hazelcast.config"), "no file, vertx-hazelcast's own lookup");
    assertEquals("10.0.0.1,10.0.0.2:5701", properties.getProperty("busrpc.cluster.members"));
    assertEquals("10.0.0.2", properties.getProperty("hazelcast.local.localAddress"));
  }

  @Test
  void membersWithoutHostLetHazelcastPickTheInterface(@TempDir Path dir) {
    Properties properties = new Properties();
    ClusterSettings.apply(Map.of("BUSRPC_CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2"), properties, dir.resolve("x.xml"));
    assertNull(properties.getProperty("hazelcast.local.localAddress"));
    assertNull(properties.getProperty("hazelcast.socket.bind.any"));
  }

  @Test
  void systemPropertiesWin(@TempDir Path dir) throws Exception {
    Path xml = Files.writeString(dir.resolve("cluster.xml"), "<hazelcast/>");
    Properties properties = new Properties();
    properties.setProperty("vertx.hazelcast.config", "classpath:mine.xml");
    properties.setProperty("busrpc.cluster.members", "a,b");
    ClusterSettings.apply(Map.of("BUSRPC_CLUSTER_MEMBERS", "c"), properties, xml);
    assertEquals("classpath:mine.xml", properties.getProperty("vertx.hazelcast.config"));
    assertEquals("a,b", properties.getProperty("busrpc.cluster.members"));
  }
}
