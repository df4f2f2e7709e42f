package io.busrpc.web;

import io.busrpc.gateway.TlsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The web listener (WebSocket and {@code POST} at {@code /rpc}, the demo page at {@code /}): the
 * {@code web} object of the node's configuration. The listener runs only when the configuration
 * has that object; env {@code BUSRPC_WEB_HOST} and {@code BUSRPC_WEB_PORT} override its host and
 * port. Its frame limit is the gateway's {@code maxFrameSize}.
 *
 * <pre>{@code
 * "web": { "host": "127.0.0.1", "port": 7070, "allowedOrigins": ["https://game.example.com"], "demo": true }
 * }</pre>
 */
public class WebOptions {

  /** Default host: loopback only; containers set {@code 0.0.0.0}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port. */
  public static final int DEFAULT_PORT = 7070;
  /** The {@code allowedOrigins} entry that allows every origin. */
  public static final String ANY_ORIGIN = "*";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private TlsOptions tls = new TlsOptions();
  private List<String> allowedOrigins = new ArrayList<>();
  private boolean demo;

  /** Creates options with every default. */
  public WebOptions() {
  }

  /**
   * Reads the JSON form; missing members keep their defaults.
   *
   * @throws IllegalArgumentException naming the option when a value is out of range
   * @throws ClassCastException when a member has the wrong JSON type
   */
  public WebOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setTls(new TlsOptions(json.getJsonObject("tls", new JsonObject())));
    List<String> origins = new ArrayList<>();
    json.getJsonArray("allowedOrigins", new JsonArray()).forEach(o -> origins.add((String) o));
    setAllowedOrigins(origins);
    setDemo(json.getBoolean("demo", demo));
  }

  /** @return a deep copy, as the listener keeps when it starts */
  public WebOptions copy() {
    return new WebOptions(toJson());
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("tls", tls.toJson())
      .put("allowedOrigins", new JsonArray(new ArrayList<>(allowedOrigins)))
      .put("demo", demo);
  }

  /** Applies {@code BUSRPC_WEB_HOST} and {@code BUSRPC_WEB_PORT} from the given environment. */
  public WebOptions applyEnvironment(Map<String, String> env) {
    String envHost = env.get("BUSRPC_WEB_HOST");
    if (envHost != null && !envHost.isBlank()) {
      setHost(envHost.trim());
    }
    String envPort = env.get("BUSRPC_WEB_PORT");
    if (envPort != null && !envPort.isBlank()) {
      try {
        setPort(Integer.parseInt(envPort.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("BUSRPC_WEB_PORT must be a port number, was '" + envPort + "'");
      }
    }
    return this;
  }

  /** @return the host the web listener binds to */
  public String getHost() {
    return host;
  }

  /** Sets the host the web listener binds to. */
  public WebOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("web.host must not be empty");
    }
    this.host = host;
    return this;
  }

  /** @return the web port; 0 picks a free one */
  public int getPort() {
    return port;
  }

  /** Sets the web port, 0 to 65535; 0 picks a free port (one for all gateway instances of a node). */
  public WebOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("web.port must be between 0 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** @return TLS settings of the web listener (https and wss) */
  public TlsOptions getTls() {
    return tls;
  }

  /** Sets TLS settings of the web listener, in the form of the TCP listener's. */
  public WebOptions setTls(TlsOptions tls) {
    this.tls = Objects.requireNonNull(tls, "web.tls");
    return this;
  }

  /**
   * @return the origins, besides the listener's own, whose pages may use the listener; {@code "*"}
   *     allows any
   */
  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Sets the origins, besides the listener's own, whose pages may open WebSockets to the listener
   * and {@code POST} to it: {@code scheme://host[:port]} as browsers send them in the {@code Origin}
   * header, {@code "null"} for sandboxed and {@code file:} pages, or {@code "*"} for any.
   *
   * @throws IllegalArgumentException naming the entry that is not an origin
   */
  public WebOptions setAllowedOrigins(List<String> allowedOrigins) {
    List<String> checked = new ArrayList<>();
    for (String origin : allowedOrigins) {
      checked.add(checkOrigin(origin));
    }
    this.allowedOrigins = checked;
    return this;
  }

  /** @return whether the listener serves the browser demo at {@code /} */
  public boolean isDemo() {
    return demo;
  }

  /** Serves the browser demo page at {@code /} and the JavaScript client under {@code /js/}. */
  public WebOptions setDemo(boolean demo) {
    this.demo = demo;
    return this;
  }

  /** An origin as browsers write it: scheme, host and a port only when it is not the default one. */
  private static String checkOrigin(String origin) {
    if (ANY_ORIGIN.equals(origin) || "null".equals(origin)) {
      return origin;
    }
    String problem = "web.allowedOrigins entries are \"*\", \"null\" or scheme://host[:port] with nothing after it, was '"
      + origin + "'";
    if (origin == null) {
      throw new IllegalArgumentException(problem);
    }
    try {
      URI uri = new URI(origin);
      if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(problem);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem, e);
    }
    return origin.toLowerCase(Locale.ROOT);
  }
}
