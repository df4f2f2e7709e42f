package io.busrpc.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one load-generator run does: where it connects, how it speaks, how much load it offers and
 * for how long. Every field has a {@code DEFAULT_*}, a JSON form and a setter that rejects bad
 * values with a message naming the option.
 */
public class BenchOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;
  public static final Wire DEFAULT_FRAMING = Wire.LEN;
  public static final int DEFAULT_CONNECTIONS = 16;
  public static final int DEFAULT_IN_FLIGHT = 32;
  public static final int DEFAULT_WARMUP = 3;
  public static final int DEFAULT_DURATION = 10;
  /** 0: closed loop (each connection keeps {@code inFlight} calls outstanding). */
  public static final int DEFAULT_RATE = 0;
  public static final String DEFAULT_METHOD = "sum";
  public static final String DEFAULT_PARAMS = "[1,2]";
  /** 0: off; N: call {@code echo} with a string of N bytes instead of method/params. */
  public static final int DEFAULT_PAYLOAD = 0;
  /** 0: one event loop per connection, at most one per core. */
  public static final int DEFAULT_THREADS = 0;
  public static final long DEFAULT_TIMEOUT = 10_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private Wire framing = DEFAULT_FRAMING;
  private int connections = DEFAULT_CONNECTIONS;
  private int inFlight = DEFAULT_IN_FLIGHT;
  private int warmup = DEFAULT_WARMUP;
  private int duration = DEFAULT_DURATION;
  private int rate = DEFAULT_RATE;
  private String method = DEFAULT_METHOD;
  private String params = DEFAULT_PARAMS;
  private int payload = DEFAULT_PAYLOAD;
  private int threads = DEFAULT_THREADS;
  private boolean login;
  private boolean resume;
  private long timeout = DEFAULT_TIMEOUT;

  /** Defaults everywhere. */
  public BenchOptions() {
  }

  /** Reads the JSON form written by {@link #toJson()}; absent fields keep their defaults. */
  public BenchOptions(JsonObject json) {
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setFraming(Wire.fromName(json.getString("framing", DEFAULT_FRAMING.wireName())));
    setConnections(json.getInteger("connections", DEFAULT_CONNECTIONS));
    setInFlight(json.getInteger("inFlight", DEFAULT_IN_FLIGHT));
    setWarmup(json.getInteger("warmup", DEFAULT_WARMUP));
    setDuration(json.getInteger("duration", DEFAULT_DURATION));
    setRate(json.getInteger("rate", DEFAULT_RATE));
    setMethod(json.getString("method", DEFAULT_METHOD));
    Object p = json.getValue("params");
    setParams(p == null ? (json.containsKey("params") ? null : DEFAULT_PARAMS) : Json.encode(p));
    setPayload(json.getInteger("payload", DEFAULT_PAYLOAD));
    setThreads(json.getInteger("threads", DEFAULT_THREADS));
    setLogin(json.getBoolean("login", false));
    setResume(json.getBoolean("resume", false));
    setTimeout(json.getLong("timeout", DEFAULT_TIMEOUT));
  }

  /** @return the JSON form of these options */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("framing", framing.wireName())
      .put("connections", connections).put("inFlight", inFlight).put("warmup", warmup)
      .put("duration", duration).put("rate", rate).put("method", method)
      .put("params", params == null ? null : Json.decodeValue(params)).put("payload", payload)
      .put("threads", threads).put("timeout", timeout).put("login", login).put("resume", resume);
  }

  /** @return the server host */
  public String getHost() {
    return host;
  }

  /** Sets the server host (or, serving, the address to bind). */
  public BenchOptions setHost(String host) {
    this.host = OptionChecks.notBlank("host", host);
    return this;
  }

  /** @return the server port */
  public int getPort() {
    return port;
  }

  /** Sets the server port, 1 to 65535. */
  public BenchOptions setPort(int port) {
    this.port = OptionChecks.range("port", port, 1, 65535);
    return this;
  }

  /** @return the framing the tool speaks */
  public Wire getFraming() {
    return framing;
  }

  /** Sets the framing the tool speaks. */
  public BenchOptions setFraming(Wire framing) {
    if (framing == null) {
      throw new IllegalArgumentException("framing must be len, line, lsp or bridge");
    }
    this.framing = framing;
    return this;
  }

  /** @return the number of connections */
  public int getConnections() {
    return connections;
  }

  /** Sets the number of connections (at least 1). */
  public BenchOptions setConnections(int connections) {
    this.connections = OptionChecks.atLeast("connections", connections, 1);
    return this;
  }

  /** @return the calls each connection keeps outstanding in a closed-loop run */
  public int getInFlight() {
    return inFlight;
  }

  /** Sets the calls kept in flight per connection in the closed loop (at least 1). */
  public BenchOptions setInFlight(int inFlight) {
    this.inFlight = OptionChecks.atLeast("in-flight", inFlight, 1);
    return this;
  }

  /** @return seconds of load before measuring starts */
  public int getWarmup() {
    return warmup;
  }

  /** Sets the warm-up in seconds (0 or more). */
  public BenchOptions setWarmup(int warmup) {
    this.warmup = OptionChecks.atLeast("warmup", warmup, 0);
    return this;
  }

  /** @return seconds measured */
  public int getDuration() {
    return duration;
  }

  /** Sets the measured duration in seconds (at least 1). */
  public BenchOptions setDuration(int duration) {
    this.duration = OptionChecks.atLeast("duration", duration, 1);
    return this;
  }

  /** @return the offered calls/s over all connections (open loop), or 0 for a closed loop */
  public int getRate() {
    return rate;
  }

  /** Sets the fixed offered rate in calls/s over all connections; 0 for the closed loop. */
  public BenchOptions setRate(int rate) {
    this.rate = OptionChecks.atLeast("rate", rate, 0);
    return this;
  }

  /** @return the method called */
  public String getMethod() {
    return method;
  }

  /** Sets the method called. */
  public BenchOptions setMethod(String method) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    this.method = method;
    return this;
  }

  /** @return the params as compact JSON text, or null to send none */
  public String getParams() {
    return params;
  }

  /**
   * @param params a JSON array or object (re-encoded compactly), or null for none
   * @throws IllegalArgumentException if it is not JSON or not an array or object
   */
  public BenchOptions setParams(String params) {
    if (params == null) {
      this.params = null;
      return this;
    }
    Object value;
    try {
      value = Json.decodeValue(params);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("params is not JSON: " + e.getMessage());
    }
    if (!(value instanceof JsonArray) && !(value instanceof JsonObject)) {
      throw new IllegalArgumentException("params must be a JSON array or object, was " + params);
    }
    this.params = Json.encode(value);
    return this;
  }

  /** @return the echo payload size in bytes, or 0 when method/params are used */
  public int getPayload() {
    return payload;
  }

  /** Sets the size of the string {@code echo} is called with; 0 calls {@code method} with {@code params}. */
  public BenchOptions setPayload(int payload) {
    this.payload = OptionChecks.atLeast("payload", payload, 0);
    return this;
  }

  /** @return the client event loops, or 0 for min(connections, cores) */
  public int getThreads() {
    return threads;
  }

  /** Sets the client event loops; 0 picks min(connections, cores). */
  public BenchOptions setThreads(int threads) {
    this.threads = OptionChecks.atLeast("threads", threads, 0);
    return this;
  }

  /** @return whether each connection logs in ({@code rpc.login {"uid": "bench-<n>"}}) before the run */
  public boolean isLogin() {
    return login;
  }

  /** Sets whether each connection logs in before the run, as a game's players would. */
  public BenchOptions setLogin(boolean login) {
    this.login = login;
    return this;
  }

  /** @return whether each connection logs in with {@code "resume": true} and acknowledges the server's messages (PROTOCOL §8) */
  public boolean isResume() {
    return resume;
  }

  /**
   * Sets whether each connection logs in asking for a resumable session and acknowledges what the
   * server sends, as a resuming client does: what that costs the server is what such a run measures.
   */
  public BenchOptions setResume(boolean resume) {
    this.resume = resume;
    return this;
  }

  /** @return ms after which an unanswered call counts as a timeout */
  public long getTimeout() {
    return timeout;
  }

  /** Sets the ms after which an unanswered call counts as a timeout (at least 1). */
  public BenchOptions setTimeout(long timeout) {
    this.timeout = OptionChecks.atLeast("timeout", timeout, 1);
    return this;
  }

  /** @return the event loops a run uses */
  public int effectiveThreads() {
    return threads > 0 ? Math.min(threads, connections)
      : Math.min(connections, Runtime.getRuntime().availableProcessors());
  }

  /** @return the method actually called ({@code echo} with a payload) */
  public String effectiveMethod() {
    return payload > 0 ? "echo" : method;
  }

  /** @return the params actually sent */
  public String effectiveParams() {
    return payload > 0 ? "[\"" + "x".repeat(payload) + "\"]" : params;
  }
}
