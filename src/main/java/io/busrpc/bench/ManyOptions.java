package io.busrpc.bench;

import io.vertx.core.json.JsonObject;

/**
 * Parameters of {@code bench --mode many}: N connections logged in on one node, spread over
 * loopback source addresses; broadcasts to all of them while a few extra connections make calls at
 * a fixed rate. Setters reject bad values with a message naming the option.
 */
public class ManyOptions {

  /** Default server host. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default server port. */
  public static final int DEFAULT_PORT = 7000;
  /** Default logged-in connections that receive the broadcasts. */
  public static final int DEFAULT_CONNECTIONS = 100_000;
  /** Default extra connections that make the measured calls. */
  public static final int DEFAULT_CALLERS = 4;
  /** Default calls per second (open loop, {@code sum}) over the callers. */
  public static final int DEFAULT_RATE = 10_000;
  /**
   * Default connections per loopback source address: below the gateway's default
   * {@code maxConnectionsPerAddress} (1,000), far below the ~28,000 ephemeral ports of one address.
   */
  public static final int DEFAULT_PER_SOURCE = 900;
  /** Default broadcasts, one after the other. */
  public static final int DEFAULT_BROADCASTS = 3;
  /** Default seconds of calls before the first broadcast (its first half is warm-up, not counted) and after each. */
  public static final int DEFAULT_QUIET = 5;
  /** Default ms to wait for a broadcast to reach every connection, and for the last answers. */
  public static final long DEFAULT_TIMEOUT = 60_000;
  /** The broadcast connections' source addresses start here; the callers use 127.0.0.1. */
  static final int FIRST_SOURCE = 2;
  /** 127.0.0.2 to 127.0.0.254. */
  static final int MAX_SOURCES = 253;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int connections = DEFAULT_CONNECTIONS;
  private int callers = DEFAULT_CALLERS;
  private int rate = DEFAULT_RATE;
  private int perSource = DEFAULT_PER_SOURCE;
  private int broadcasts = DEFAULT_BROADCASTS;
  private int quiet = DEFAULT_QUIET;
  private long timeout = DEFAULT_TIMEOUT;
  private long serverPid;
  private int threads;

  /** Defaults. */
  public ManyOptions() {
  }

  /** From the JSON form ({@link #toJson()}); missing fields keep their defaults. */
  public ManyOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setCallers(json.getInteger("callers", callers));
    setRate(json.getInteger("rate", rate));
    setPerSource(json.getInteger("perSource", perSource));
    setConnections(json.getInteger("connections", connections));
    setBroadcasts(json.getInteger("broadcasts", broadcasts));
    setQuiet(json.getInteger("quiet", quiet));
    setTimeout(json.getLong("timeout", timeout));
    setServerPid(json.getLong("serverPid", serverPid));
    setThreads(json.getInteger("threads", threads));
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("connections", connections).put("callers", callers)
      .put("rate", rate).put("perSource", perSource).put("broadcasts", broadcasts).put("quiet", quiet)
      .put("timeout", timeout).put("serverPid", serverPid).put("threads", threads);
  }

  /** @return the server host */
  public String getHost() {
    return host;
  }

  /** Sets the server host: a loopback address (127.x.x.x), since the clients bind 127.0.0.2 and up. */
  public ManyOptions setHost(String host) {
    if (host == null || !host.startsWith("127.")) {
      throw new IllegalArgumentException("host must be a loopback address (127.x.x.x), was " + host);
    }
    this.host = host;
    return this;
  }

  /** @return the server port */
  public int getPort() {
    return port;
  }

  /** Sets the server port, 1..65535. */
  public ManyOptions setPort(int port) {
    this.port = OptionChecks.range("port", port, 1, 65535);
    return this;
  }

  /** @return the logged-in connections that receive the broadcasts */
  public int getConnections() {
    return connections;
  }

  /** Sets the connections that log in and receive the broadcasts, 1..1,000,000 (see {@link #checkSources()}). */
  public ManyOptions setConnections(int connections) {
    this.connections = OptionChecks.range("connections", connections, 1, 1_000_000);
    return this;
  }

  /** @return the extra connections that make the measured calls */
  public int getCallers() {
    return callers;
  }

  /** Sets the extra connections that make the measured calls, 1..64. */
  public ManyOptions setCallers(int callers) {
    this.callers = OptionChecks.range("callers", callers, 1, 64);
    return this;
  }

  /** @return calls per second over the callers */
  public int getRate() {
    return rate;
  }

  /** Sets the calls per second over the callers (open loop), 1..1,000,000. */
  public ManyOptions setRate(int rate) {
    this.rate = OptionChecks.range("rate", rate, 1, 1_000_000);
    return this;
  }

  /** @return connections per source address */
  public int getPerSource() {
    return perSource;
  }

  /** Sets the connections per loopback source address, 1..28,000 (the ephemeral ports of one address). */
  public ManyOptions setPerSource(int perSource) {
    this.perSource = OptionChecks.range("perSource", perSource, 1, 28_000);
    return this;
  }

  /** Throws when the connections need more source addresses than 127.0.0.2 to 127.0.0.254. */
  public ManyOptions checkSources() {
    if (sources() > MAX_SOURCES) {
      throw new IllegalArgumentException(connections + " connections at perSource " + perSource + " need "
        + sources() + " source addresses, more than the " + MAX_SOURCES + " from 127.0.0.2 to 127.0.0.254");
    }
    return this;
  }

  /** @return the source addresses the connections use */
  public int sources() {
    return (connections + perSource - 1) / perSource;
  }

  /** @return the broadcasts */
  public int getBroadcasts() {
    return broadcasts;
  }

  /** Sets the broadcasts, 1..100. */
  public ManyOptions setBroadcasts(int broadcasts) {
    this.broadcasts = OptionChecks.range("broadcasts", broadcasts, 1, 100);
    return this;
  }

  /** @return seconds of calls before the first broadcast and after each */
  public int getQuiet() {
    return quiet;
  }

  /** Sets the seconds of calls before the first broadcast (its first half is warm-up, not counted) and after each, 1..3600. */
  public ManyOptions setQuiet(int quiet) {
    this.quiet = OptionChecks.range("quiet", quiet, 1, 3600);
    return this;
  }

  /** @return ms to wait for a broadcast to arrive everywhere, and for the last answers */
  public long getTimeout() {
    return timeout;
  }

  /** Sets the ms to wait for a broadcast to arrive everywhere and for the last answers, 100..3,600,000. */
  public ManyOptions setTimeout(long timeout) {
    this.timeout = OptionChecks.range("timeout", timeout, 100, 3_600_000);
    return this;
  }

  /** @return the server's process id, 0 for none */
  public long getServerPid() {
    return serverPid;
  }

  /** Sets the server's process id for heap-after-GC and RSS per connection; 0: none. */
  public ManyOptions setServerPid(long serverPid) {
    this.serverPid = OptionChecks.atLeast("serverPid", serverPid, 0);
    return this;
  }

  /** @return the event loops holding the connections, 0 for one per core */
  public int getThreads() {
    return threads;
  }

  /** Sets the event loops holding the connections; 0: one per core. */
  public ManyOptions setThreads(int threads) {
    this.threads = OptionChecks.range("threads", threads, 0, 1024);
    return this;
  }

  /** @return the event loops to use */
  public int effectiveThreads() {
    return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** @return the source address of connection {@code n}: 127.0.0.2 for the first perSource, and so on */
  String source(int n) {
    return "127.0.0." + (FIRST_SOURCE + n / perSource);
  }
}
