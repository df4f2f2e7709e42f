package io.busrpc.gateway;

import io.busrpc.bus.Addresses;
import io.busrpc.gateway.auth.AuthOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * Options of a {@link GatewayVerticle}: where it listens, the limits it enforces and the timeouts
 * it applies. The JSON form (the {@code gateway} object of the configuration file) uses the same
 * names as the accessors.
 */
public class GatewayOptions {

  /** Default listening host: loopback only; containers set {@code 0.0.0.0}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default listening port. */
  public static final int DEFAULT_PORT = 7000;
  /** Default maximum frame payload: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
  /** Largest allowed maximum frame payload: 16 MiB, so a length prefix always starts with 0x00. */
  public static final int MAX_FRAME_SIZE_LIMIT = 16 * 1024 * 1024;
  /** Default time a forwarded call may take before the client gets the timeout error, in ms. */
  public static final long DEFAULT_CALL_TIMEOUT = 30_000;
  /** Default number of calls one connection may have in flight before the gateway stops reading it. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 128;
  /** Default maximum number of messages in one batch. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 100;
  /** Default number of server to client calls that may wait for one client's answers. */
  public static final int DEFAULT_MAX_PENDING_CLIENT_CALLS = 64;
  /** Default time without a frame from a logged-in client after which the gateway pings it, in ms. */
  public static final long DEFAULT_PING_INTERVAL = 30_000;
  /** Default time a client has to answer the gateway's ping before it is closed, in ms. */
  public static final long DEFAULT_PING_TIMEOUT = 10_000;
  /** Default time a connection may send nothing before it is closed, in ms (5 minutes). */
  public static final long DEFAULT_IDLE_TIMEOUT = 300_000;
  /** Default time a frame may take to arrive completely before the connection is closed, in ms. */
  public static final long DEFAULT_FRAME_TIMEOUT = 30_000;
  /** Default time a connection that must log in has to do so, in ms. */
  public static final long DEFAULT_LOGIN_TIMEOUT = 30_000;
  /** Default maximum of open connections per gateway node. */
  public static final int DEFAULT_MAX_CONNECTIONS = 50_000;
  /** Default maximum of open connections from one remote IP address. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
  /** Default number of gateway instances (event loops serving clients): one per core. */
  public static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();
  /** Default time calls in flight get to finish when the gateway shuts down, in ms. */
  public static final long DEFAULT_SHUTDOWN_GRACE_PERIOD = 10_000;
  /** Default cap on the bytes queued for one client that it has not read yet: 4 MiB. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 4 * 1024 * 1024;
  /** Smallest allowed {@code maxOutboundBytes}: the socket write queue size at which reading stops. */
  public static final int MIN_OUTBOUND_BYTES = 64 * 1024;
  /** Default maximum of groups one connection may be a member of. */
  public static final int DEFAULT_MAX_GROUPS_PER_CONNECTION = 100;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private long callTimeout = DEFAULT_CALL_TIMEOUT;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  private String addressPrefix = Addresses.DEFAULT_PREFIX;
  private AuthOptions auth = new AuthOptions();
  private TlsOptions tls = new TlsOptions();
  private Map<String, List<String>> methodRoles = new LinkedHashMap<>();
  private List<String> publicMethods = new ArrayList<>();
  private int maxPendingClientCalls = DEFAULT_MAX_PENDING_CLIENT_CALLS;
  private long pingInterval = DEFAULT_PING_INTERVAL;
  private long pingTimeout = DEFAULT_PING_TIMEOUT;
  private long idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private long frameTimeout = DEFAULT_FRAME_TIMEOUT;
  private long loginTimeout = DEFAULT_LOGIN_TIMEOUT;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private long shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
  private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
  private int maxGroupsPerConnection = DEFAULT_MAX_GROUPS_PER_CONNECTION;
  private int instances = DEFAULT_INSTANCES;

  /** Creates options with every default. */
  public GatewayOptions() {
  }

  /**
   * Creates options from their JSON form; missing members keep their defaults.
   *
   * @throws IllegalArgumentException naming the option when a value is out of range
   * @throws ClassCastException when a member has the wrong JSON type
   */
  public GatewayOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setMaxFrameSize(json.getInteger("maxFrameSize", maxFrameSize));
    setCallTimeout(json.getLong("callTimeout", callTimeout));
    setMaxInFlight(json.getInteger("maxInFlight", maxInFlight));
    setMaxBatchSize(json.getInteger("maxBatchSize", maxBatchSize));
    setAddressPrefix(json.getString("addressPrefix", addressPrefix));
    setAuth(new AuthOptions(json.getJsonObject("auth", new JsonObject())));
    setTls(new TlsOptions(json.getJsonObject("tls", new JsonObject())));
    Map<String, List<String>> roles = new LinkedHashMap<>();
    json.getJsonObject("methodRoles", new JsonObject()).forEach(e -> {
      List<String> list = new ArrayList<>();
      ((JsonArray) e.getValue()).forEach(r -> list.add(String.valueOf(r)));
      roles.put(e.getKey(), list);
    });
    setMethodRoles(roles);
    JsonArray methods = json.getJsonArray("publicMethods", new JsonArray());
    List<String> names = new ArrayList<>();
    methods.forEach(m -> names.add(String.valueOf(m)));
    setPublicMethods(names);
    setMaxPendingClientCalls(json.getInteger("maxPendingClientCalls", maxPendingClientCalls));
    setPingInterval(json.getLong("pingInterval", pingInterval));
    setPingTimeout(json.getLong("pingTimeout", pingTimeout));
    setIdleTimeout(json.getLong("idleTimeout", idleTimeout));
    setFrameTimeout(json.getLong("frameTimeout", frameTimeout));
    setLoginTimeout(json.getLong("loginTimeout", loginTimeout));
    setMaxConnections(json.getInteger("maxConnections", maxConnections));
    setMaxConnectionsPerAddress(json.getInteger("maxConnectionsPerAddress", maxConnectionsPerAddress));
    setShutdownGracePeriod(json.getLong("shutdownGracePeriod", shutdownGracePeriod));
    setMaxOutboundBytes(json.getInteger("maxOutboundBytes", maxOutboundBytes));
    setMaxGroupsPerConnection(json.getInteger("maxGroupsPerConnection", maxGroupsPerConnection));
    setInstances(json.getInteger("instances", instances));
  }

  /**
   * @return a deep copy, as a gateway keeps when it is created (like Vert.x's {@code NetServerOptions}),
   *     so that changing these options afterwards changes nothing running
   */
  public GatewayOptions copy() {
    return new GatewayOptions(toJson());
  }

  /** @return the JSON form of these options */
  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("maxFrameSize", maxFrameSize)
      .put("callTimeout", callTimeout)
      .put("maxInFlight", maxInFlight)
      .put("maxBatchSize", maxBatchSize)
      .put("addressPrefix", addressPrefix)
      .put("auth", auth.toJson())
      .put("tls", tls.toJson())
      .put("methodRoles", rolesJson())
      .put("publicMethods", new JsonArray(new ArrayList<>(publicMethods)))
      .put("maxPendingClientCalls", maxPendingClientCalls)
      .put("pingInterval", pingInterval)
      .put("pingTimeout", pingTimeout)
      .put("idleTimeout", idleTimeout)
      .put("frameTimeout", frameTimeout)
      .put("loginTimeout", loginTimeout)
      .put("maxConnections", maxConnections)
      .put("maxConnectionsPerAddress", maxConnectionsPerAddress)
      .put("shutdownGracePeriod", shutdownGracePeriod)
      .put("maxOutboundBytes", maxOutboundBytes)
      .put("maxGroupsPerConnection", maxGroupsPerConnection)
      .put("instances", instances);
  }

  /** @return the host the TCP listener binds to */
  public String getHost() {
    return host;
  }

  /** Sets the host the TCP listener binds to. */
  public GatewayOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  /** @return the TCP port; 0 picks a free one */
  public int getPort() {
    return port;
  }

  /** Sets the TCP port, 0 to 65535; 0 picks a free port. */
  public GatewayOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** @return the largest frame payload accepted, in bytes */
  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Sets the largest frame payload accepted, in bytes (1 KiB to 16 MiB). A larger frame is answered
   * with the frame-too-large error and the connection is closed.
   */
  public GatewayOptions setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < 1024 || maxFrameSize > MAX_FRAME_SIZE_LIMIT) {
      throw new IllegalArgumentException("maxFrameSize must be between 1024 and " + MAX_FRAME_SIZE_LIMIT
        + ", was " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  /** @return how long a forwarded call may take, in milliseconds */
  public long getCallTimeout() {
    return callTimeout;
  }

  /** Sets how long a forwarded call may take, in milliseconds (at least 1). */
  public GatewayOptions setCallTimeout(long callTimeout) {
    if (callTimeout < 1) {
      throw new IllegalArgumentException("callTimeout must be at least 1 ms, was " + callTimeout);
    }
    this.callTimeout = callTimeout;
    return this;
  }

  /** @return how many calls one connection may have in flight */
  public int getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * Sets how many calls one connection may have in flight (at least 1); a notification counts as a
   * call until its handler is done with it. At the limit the gateway stops reading the socket until
   * answers have gone out.
   */
  public GatewayOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  /** @return the largest number of messages in one batch */
  public int getMaxBatchSize() {
    return maxBatchSize;
  }

  /** Sets the largest number of messages in one batch (at least 1); a larger batch gets an error. */
  public GatewayOptions setMaxBatchSize(int maxBatchSize) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
    }
    this.maxBatchSize = maxBatchSize;
    return this;
  }

  /** @return the prefix of every event-bus address busrpc uses */
  public String getAddressPrefix() {
    return addressPrefix;
  }

  /** Sets the prefix of every event-bus address busrpc uses (handlers must use the same). */
  public GatewayOptions setAddressPrefix(String addressPrefix) {
    Addresses.of(addressPrefix);
    this.addressPrefix = addressPrefix;
    return this;
  }

  private JsonObject rolesJson() {
    JsonObject json = new JsonObject();
    methodRoles.forEach((pattern, roles) -> json.put(pattern, new JsonArray(new ArrayList<>(roles))));
    return json;
  }

  /** @return TLS settings of the listener */
  public TlsOptions getTls() {
    return tls;
  }

  /** Sets TLS settings of the listener. */
  public GatewayOptions setTls(TlsOptions tls) {
    this.tls = java.util.Objects.requireNonNull(tls, "tls");
    return this;
  }

  /** @return the roles methods require, by method name or pattern ending in {@code *} */
  public Map<String, List<String>> getMethodRoles() {
    return methodRoles;
  }

  /**
   * Sets the roles methods require: keys are method names or patterns ending in {@code *}, values
   * the roles of which a caller needs at least one. A caller without one gets the forbidden error.
   */
  public GatewayOptions setMethodRoles(Map<String, List<String>> methodRoles) {
    methodRoles.forEach((pattern, roles) -> {
      if (pattern.isEmpty() || roles == null || roles.isEmpty()) {
        throw new IllegalArgumentException("methodRoles needs a method name and at least one role per entry");
      }
    });
    this.methodRoles = new LinkedHashMap<>(methodRoles);
    return this;
  }

  /** @return how {@code rpc.login} is checked */
  public AuthOptions getAuth() {
    return auth;
  }

  /** Sets how {@code rpc.login} is checked. */
  public GatewayOptions setAuth(AuthOptions auth) {
    this.auth = java.util.Objects.requireNonNull(auth, "auth");
    return this;
  }

  /** @return the methods callable before login ({@code rpc.*} always is) */
  public List<String> getPublicMethods() {
    return publicMethods;
  }

  /**
   * Sets the methods callable before login: exact names, or patterns ending in {@code *} such as
   * {@code "public.*"} or {@code "*"} for all. {@code rpc.*} methods always are. Others get the
   * not-logged-in error.
   */
  public GatewayOptions setPublicMethods(List<String> publicMethods) {
    for (String m : publicMethods) {
      if (m == null || m.isEmpty()) {
        throw new IllegalArgumentException("publicMethods must not hold empty names");
      }
    }
    this.publicMethods = new ArrayList<>(publicMethods);
    return this;
  }

  /** @return how many server to client calls may wait for one client */
  public int getMaxPendingClientCalls() {
    return maxPendingClientCalls;
  }

  /** Sets how many server to client calls may wait for one client (at least 1); more fail at once. */
  public GatewayOptions setMaxPendingClientCalls(int maxPendingClientCalls) {
    if (maxPendingClientCalls < 1) {
      throw new IllegalArgumentException("maxPendingClientCalls must be at least 1, was " + maxPendingClientCalls);
    }
    this.maxPendingClientCalls = maxPendingClientCalls;
    return this;
  }

  /** @return the idle time after which the gateway pings a logged-in client, in ms; 0 turns pings off */
  public long getPingInterval() {
    return pingInterval;
  }

  /**
   * Sets the idle time after which the gateway pings a logged-in client, in ms; 0 turns pings off.
   * Clients that have not logged in are never pinged (they may not speak busrpc): the idle timeout
   * closes them.
   */
  public GatewayOptions setPingInterval(long pingInterval) {
    if (pingInterval < 0) {
      throw new IllegalArgumentException("pingInterval must be 0 (off) or more, was " + pingInterval);
    }
    this.pingInterval = pingInterval;
    return this;
  }

  /** @return how long a client has to answer a ping, in ms */
  public long getPingTimeout() {
    return pingTimeout;
  }

  /** Sets how long a client has to answer a ping before it is closed, in ms (at least 1). */
  public GatewayOptions setPingTimeout(long pingTimeout) {
    if (pingTimeout < 1) {
      throw new IllegalArgumentException("pingTimeout must be at least 1 ms, was " + pingTimeout);
    }
    this.pingTimeout = pingTimeout;
    return this;
  }

  /** @return how long a connection may send nothing before it is closed, in ms; 0 means never */
  public long getIdleTimeout() {
    return idleTimeout;
  }

  /**
   * Sets how long a connection may send nothing (not a byte) before it is closed, in ms; 0 means
   * never. Applies to every connection, logged in or not, whether or not pings are on; a
   * connection waiting for answers to its own calls is not idle.
   */
  public GatewayOptions setIdleTimeout(long idleTimeout) {
    if (idleTimeout < 0) {
      throw new IllegalArgumentException("idleTimeout must be 0 (never) or more, was " + idleTimeout);
    }
    this.idleTimeout = idleTimeout;
    return this;
  }

  /** @return how long a started frame may take to arrive completely, in ms */
  public long getFrameTimeout() {
    return frameTimeout;
  }

  /**
   * Sets how long a started frame may take to arrive completely, in ms (at least 1); a client that
   * trickles a frame slower than that (slowloris) is closed.
   */
  public GatewayOptions setFrameTimeout(long frameTimeout) {
    if (frameTimeout < 1) {
      throw new IllegalArgumentException("frameTimeout must be at least 1 ms, was " + frameTimeout);
    }
    this.frameTimeout = frameTimeout;
    return this;
  }

  /** @return how long a connection that must log in has to do so, in ms; 0 means no limit */
  public long getLoginTimeout() {
    return loginTimeout;
  }

  /**
   * Sets how long a connection has to log in, in ms; 0 means no limit. It applies only where login
   * is needed, that is when {@code publicMethods} does not hold {@code "*"}.
   */
  public GatewayOptions setLoginTimeout(long loginTimeout) {
    if (loginTimeout < 0) {
      throw new IllegalArgumentException("loginTimeout must be 0 (no limit) or more, was " + loginTimeout);
    }
    this.loginTimeout = loginTimeout;
    return this;
  }

  /** @return how many connections the node accepts at once */
  public int getMaxConnections() {
    return maxConnections;
  }

  /** Sets how many connections the node (all gateway instances of one Vert.x) accepts at once (at least 1). */
  public GatewayOptions setMaxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
    }
    this.maxConnections = maxConnections;
    return this;
  }

  /** @return how many connections the node accepts from one remote IP address */
  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** Sets how many connections the node accepts from one remote IP address (at least 1). */
  public GatewayOptions setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1, was " + maxConnectionsPerAddress);
    }
    this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    return this;
  }

  /** @return how long calls in flight get to finish when the gateway stops, in ms */
  public long getShutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /** Sets how long calls in flight get to finish when the gateway stops, in ms (0 or more). */
  public GatewayOptions setShutdownGracePeriod(long shutdownGracePeriod) {
    if (shutdownGracePeriod < 0) {
      throw new IllegalArgumentException("shutdownGracePeriod must be 0 or more, was " + shutdownGracePeriod);
    }
    this.shutdownGracePeriod = shutdownGracePeriod;
    return this;
  }

  /** @return the cap on the bytes queued for one client that it has not read yet */
  public int getMaxOutboundBytes() {
    return maxOutboundBytes;
  }

  /**
   * Sets the cap on the bytes queued for one client that it has not read yet (answers, calls and
   * notifications from the server, group and broadcast messages), at least {@value #MIN_OUTBOUND_BYTES}.
   * A message that would take a connection's queue past it closes the connection instead; a single
   * message larger than the cap is still sent when nothing else is queued. Keep it above
   * {@code maxFrameSize}: a client's answers are as large as the frames it sends, or larger.
   */
  public GatewayOptions setMaxOutboundBytes(int maxOutboundBytes) {
    if (maxOutboundBytes < MIN_OUTBOUND_BYTES) {
      throw new IllegalArgumentException("maxOutboundBytes must be at least " + MIN_OUTBOUND_BYTES + ", was " + maxOutboundBytes);
    }
    this.maxOutboundBytes = maxOutboundBytes;
    return this;
  }

  /** @return how many groups one connection may be a member of */
  public int getMaxGroupsPerConnection() {
    return maxGroupsPerConnection;
  }

  /** Sets how many groups one connection may be a member of (at least 1); a join past it fails. */
  public GatewayOptions setMaxGroupsPerConnection(int maxGroupsPerConnection) {
    if (maxGroupsPerConnection < 1) {
      throw new IllegalArgumentException("maxGroupsPerConnection must be at least 1, was " + maxGroupsPerConnection);
    }
    this.maxGroupsPerConnection = maxGroupsPerConnection;
    return this;
  }

  /** @return how many gateway instances (event loops serving clients) a node deploys */
  public int getInstances() {
    return instances;
  }

  /** Sets how many gateway instances a node deploys (at least 1); they share the port. */
  public GatewayOptions setInstances(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, was " + instances);
    }
    this.instances = instances;
    return this;
  }
}
