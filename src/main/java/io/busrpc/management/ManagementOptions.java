package io.busrpc.management;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The management HTTP server ({@code GET /health}, {@code GET /metrics}): the {@code management}
 * object of the node's configuration. Off unless a port is set; env {@code BUSRPC_MANAGEMENT_PORT},
 * {@code BUSRPC_MANAGEMENT_HOST} and {@code BUSRPC_MANAGEMENT_TOKEN} override the file. With a token,
 * {@code /metrics} answers only requests that carry {@code Authorization: Bearer <token>}.
 */
public class ManagementOptions {

  /** Default host: loopback only; containers set {@code 0.0.0.0}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port: -1, the management server is off. */
  public static final int DEFAULT_PORT = -1;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String token;

  /** Creates options with the server off. */
  public ManagementOptions() {
  }

  /** Reads the JSON form. */
  public ManagementOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    String configured = json.getString("token");
    if (configured != null) {
      setToken(configured);
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("host", host).put("port", port);
    if (token != null) {
      json.put("token", token);
    }
    return json;
  }

  /** Applies {@code BUSRPC_MANAGEMENT_HOST} and {@code BUSRPC_MANAGEMENT_PORT} from the environment. */
  public ManagementOptions applyEnvironment(Map<String, String> env) {
    String envHost = env.get("BUSRPC_MANAGEMENT_HOST");
    if (envHost != null && !envHost.isBlank()) {
      setHost(envHost.trim());
    }
    String envPort = env.get("BUSRPC_MANAGEMENT_PORT");
    if (envPort != null && !envPort.isBlank()) {
      try {
        setPort(Integer.parseInt(envPort.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("BUSRPC_MANAGEMENT_PORT must be a port number, was '" + envPort + "'");
      }
    }
    String envToken = env.get("BUSRPC_MANAGEMENT_TOKEN");
    if (envToken != null && !envToken.isBlank()) {
      setToken(envToken.trim());
    }
    return this;
  }

  /** @return whether the management server runs */
  public boolean isEnabled() {
    return port >= 0;
  }

  /** @return the host the management server binds to */
  public String getHost() {
    return host;
  }

  /** Sets the host the management server binds to. */
  public ManagementOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("management.host must not be empty");
    }
    this.host = host;
    return this;
  }

  /** @return the management port; -1 is off, 0 picks a free one */
  public int getPort() {
    return port;
  }

  /** Sets the management port: -1 turns the server off, 0 picks a free port. */
  public ManagementOptions setPort(int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("management.port must be -1 (off) or between 0 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** @return the bearer token {@code /metrics} requires, or {@code null} when it is open */
  public String getToken() {
    return token;
  }

  /**
   * Sets the bearer token {@code /metrics} requires ({@code null}: none). {@code /health} stays
   * open, so health checks need no secret.
   */
  public ManagementOptions setToken(String token) {
    if (token != null && (token.isBlank() || token.length() < 16)) {
      throw new IllegalArgumentException("management.token must be at least 16 characters (or unset)");
    }
    this.token = token;
    return this;
  }
}
