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
 * Options of a {@link GatewayVerticle}: where it listens, who may call what, and (inherited from
 * {@link GatewayLimits} and {@link GatewayTimeLimits}) the limits it enforces and the timeouts it
 * applies. The JSON form (the {@code gateway} object of the configuration file) is one flat object
 * that uses the same names as the accessors.
 */
public class GatewayOptions extends GatewayTimeLimits<GatewayOptions> {

  /** Default listening host: loopback only; containers set {@code 0.0.0.0}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default listening port. */
  public static final int DEFAULT_PORT = 7000;
  /** Default number of gateway instances (event loops serving clients): one per core. */
  public static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String addressPrefix = Addresses.DEFAULT_PREFIX;
  private AuthOptions auth = new AuthOptions();
  private TlsOptions tls = new TlsOptions();
  private Map<String, List<String>> methodRoles = new LinkedHashMap<>();
  private List<String> publicMethods = new ArrayList<>();
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
    super(json);
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
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
    setInstances(json.getInteger("instances", instances));
  }

  /**
   * @return a deep copy, as a gateway keeps when it is created (like Vert.x's {@code NetServerOptions}),
   *     so that changing these options afterwards changes nothing running
   */
  public GatewayOptions copy() {
    return new GatewayOptions(toJson());
  }

  @Override
  public JsonObject toJson() {
    return super.toJson()
      .put("host", host)
      .put("port", port)
      .put("addressPrefix", addressPrefix)
      .put("auth", auth.toJson())
      .put("tls", tls.toJson())
      .put("methodRoles", rolesJson())
      .put("publicMethods", new JsonArray(new ArrayList<>(publicMethods)))
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

  /** @return how many gateway instances (event loops serving clients) a node deploys */
  public int getInstances() {
    return instances;
  }

  /** Sets how many gateway instances a node deploys (at least 1); they share the port. */
  public GatewayOptions setInstances(int instances) {
    this.instances = atLeastOne("instances", instances);
    return this;
  }
}
