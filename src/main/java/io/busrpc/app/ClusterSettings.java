package io.busrpc.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Prepares the system properties Hazelcast reads when the launcher runs a clustered node
 * ({@code -cluster}), so that nodes started the same way find each other with no other flag.
 *
 * <ul>
 *   <li>{@value #CONFIG_PROPERTY}: {@code conf/cluster.xml} when that file exists and the property
 *   is not set (otherwise vertx-hazelcast would use its multicast default).</li>
 *   <li>{@value #MEMBERS_PROPERTY}: the comma-separated hosts of {@code BUSRPC_CLUSTER_MEMBERS},
 *   default {@value #DEFAULT_MEMBERS}; {@code conf/cluster.xml} lists them as TCP-IP members.</li>
 *   <li>{@value #LOCAL_ADDRESS_PROPERTY}: the address this node binds and announces, from
 *   {@code BUSRPC_CLUSTER_HOST}; when neither that nor the members are given, {@code 127.0.0.1}, so
 *   a try-out cluster on one machine stays on loopback. Hazelcast then listens on that address only
 *   ({@value #BIND_ANY_PROPERTY} false), not on every interface.</li>
 * </ul>
 *
 * <p>System properties given with {@code -D} win over the environment.
 */
final class ClusterSettings {

  /** The system property vertx-hazelcast reads its configuration file from. */
  static final String CONFIG_PROPERTY = "vertx.hazelcast.config";
  /** The placeholder of {@code conf/cluster.xml} listing the TCP-IP members. */
  static final String MEMBERS_PROPERTY = "busrpc.cluster.members";
  /** Hazelcast's property for the address a member binds to and announces. */
  static final String LOCAL_ADDRESS_PROPERTY = "hazelcast.local.localAddress";
  /** Hazelcast's property that makes it listen on every interface rather than the local address only. */
  static final String BIND_ANY_PROPERTY = "hazelcast.socket.bind.any";
  /** Members when {@code BUSRPC_CLUSTER_MEMBERS} is not set. */
  static final String DEFAULT_MEMBERS = "127.0.0.1";
  /** The configuration file used when none is named. */
  static final Path DEFAULT_CONFIG = Path.of("conf", "cluster.xml");

  private static final Set<String> CLUSTER_FLAGS = Set.of("-c", "-cluster", "--cluster");

  private ClusterSettings() {
  }

  /** @return whether the launcher's arguments ask for a clustered event bus */
  static boolean clustered(String[] args) {
    for (String arg : args) {
      if (CLUSTER_FLAGS.contains(arg) || arg.startsWith("-cluster=") || arg.startsWith("--cluster=")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sets the properties above that are not set yet.
   *
   * @param env        the environment
   * @param properties the system properties to complete
   * @param configFile the Hazelcast file to use when it exists
   */
  static void apply(Map<String, String> env, Properties properties, Path configFile) {
    if (properties.getProperty(CONFIG_PROPERTY) == null && Files.isRegularFile(configFile)) {
      properties.setProperty(CONFIG_PROPERTY, configFile.toAbsolutePath().toString());
    }
    String members = blankToNull(env.get("BUSRPC_CLUSTER_MEMBERS"));
    if (properties.getProperty(MEMBERS_PROPERTY) == null) {
      properties.setProperty(MEMBERS_PROPERTY, members == null ? DEFAULT_MEMBERS : members.replace(" ", ""));
    }
    String host = blankToNull(env.get("BUSRPC_CLUSTER_HOST"));
    if (properties.getProperty(LOCAL_ADDRESS_PROPERTY) == null) {
      if (host != null) {
        properties.setProperty(LOCAL_ADDRESS_PROPERTY, host.trim());
      } else if (members == null && properties.getProperty(MEMBERS_PROPERTY).equals(DEFAULT_MEMBERS)) {
        properties.setProperty(LOCAL_ADDRESS_PROPERTY, "127.0.0.1");
      }
    }
    if (properties.getProperty(LOCAL_ADDRESS_PROPERTY) != null && properties.getProperty(BIND_ANY_PROPERTY) == null) {
      properties.setProperty(BIND_ANY_PROPERTY, "false");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
