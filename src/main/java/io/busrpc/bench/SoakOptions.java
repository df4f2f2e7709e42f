package io.busrpc.bench;

import io.vertx.core.json.JsonObject;

/**
 * Parameters of {@code bench --soak}: a long run at a fixed offered rate over many logged-in
 * connections, with logins, logouts and reconnects mixed in, server→client calls
 * ({@code chat.send}, which makes the server call {@code chat.receive} on another connection) and
 * room messages ({@code chat.say}) flowing, against a node that serves the demo's chat. Setters
 * reject bad values with a message naming the option.
 */
public class SoakOptions {

  /** Default server host. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default server port. */
  public static final int DEFAULT_PORT = 7000;
  /** Default connections, every one logged in as {@code soak-<run>-<n>}. */
  public static final int DEFAULT_CONNECTIONS = 1_000;
  /** Default offered rate, calls per second over all connections. */
  public static final int DEFAULT_RATE = 1_000;
  /** Default logout + login pairs per second. */
  public static final int DEFAULT_LOGINS_PER_SECOND = 10;
  /** Default reconnects (close, connect, login) per second. */
  public static final int DEFAULT_RECONNECTS_PER_SECOND = 1;
  /** Default share of calls that are {@code chat.send}, each a server→client call, in percent. */
  public static final int DEFAULT_SERVER_CALL_PERCENT = 10;
  /** Default share of calls that are {@code chat.say} to a room, in percent. */
  public static final int DEFAULT_ROOM_PERCENT = 1;
  /** Default members per room. */
  public static final int DEFAULT_ROOM_SIZE = 50;
  /** Default seconds of the run. */
  public static final int DEFAULT_DURATION = 60;
  /** Default seconds between report lines. */
  public static final int DEFAULT_INTERVAL = 60;
  /**
   * Default ms after which an unanswered call counts as lost: above the gateway's default
   * callTimeout (30 s), which answers a slow call with an error, so that "lost" means no answer at all.
   */
  public static final long DEFAULT_TIMEOUT = 60_000;
  /** Connections per loopback source address, below the gateway's default per-address limit. */
  public static final int CONNECTIONS_PER_SOURCE = 900;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private Wire framing = Wire.LEN;
  private int connections = DEFAULT_CONNECTIONS;
  private int rate = DEFAULT_RATE;
  private int loginsPerSecond = DEFAULT_LOGINS_PER_SECOND;
  private int reconnectsPerSecond = DEFAULT_RECONNECTS_PER_SECOND;
  private int serverCallPercent = DEFAULT_SERVER_CALL_PERCENT;
  private int roomPercent = DEFAULT_ROOM_PERCENT;
  private int roomSize = DEFAULT_ROOM_SIZE;
  private int duration = DEFAULT_DURATION;
  private int interval = DEFAULT_INTERVAL;
  private long timeout = DEFAULT_TIMEOUT;
  private long serverPid;
  private int threads;

  /** Defaults. */
  public SoakOptions() {
  }

  /** From the JSON form ({@link #toJson()}); missing fields keep their defaults. */
  public SoakOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setFraming(Wire.fromName(json.getString("framing", framing.wireName())));
    setConnections(json.getInteger("connections", connections));
    setRate(json.getInteger("rate", rate));
    setLoginsPerSecond(json.getInteger("loginsPerSecond", loginsPerSecond));
    setReconnectsPerSecond(json.getInteger("reconnectsPerSecond", reconnectsPerSecond));
    setServerCallPercent(json.getInteger("serverCallPercent", serverCallPercent));
    setRoomPercent(json.getInteger("roomPercent", roomPercent));
    setRoomSize(json.getInteger("roomSize", roomSize));
    setDuration(json.getInteger("duration", duration));
    setInterval(json.getInteger("interval", interval));
    setTimeout(json.getLong("timeout", timeout));
    setServerPid(json.getLong("serverPid", serverPid));
    setThreads(json.getInteger("threads", threads));
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("framing", framing.wireName())
      .put("connections", connections).put("rate", rate).put("loginsPerSecond", loginsPerSecond)
      .put("reconnectsPerSecond", reconnectsPerSecond).put("serverCallPercent", serverCallPercent)
      .put("roomPercent", roomPercent).put("roomSize", roomSize).put("duration", duration)
      .put("interval", interval).put("timeout", timeout).put("serverPid", serverPid).put("threads", threads);
  }

  /** @return the server host */
  public String getHost() {
    return host;
  }

  /** Sets the server host. */
  public SoakOptions setHost(String host) {
    this.host = OptionChecks.notBlank("host", host);
    return this;
  }

  /** @return the server port */
  public int getPort() {
    return port;
  }

  /** Sets the server port, 1..65535. */
  public SoakOptions setPort(int port) {
    this.port = OptionChecks.range("port", port, 1, 65535);
    return this;
  }

  /** @return the framing */
  public Wire getFraming() {
    return framing;
  }

  /** Sets the framing: len, line or lsp (not bridge: the soak speaks JSON-RPC). */
  public SoakOptions setFraming(Wire framing) {
    if (framing == null || framing == Wire.BRIDGE) {
      throw new IllegalArgumentException("framing must be len, line or lsp, was " + framing);
    }
    this.framing = framing;
    return this;
  }

  /** @return the connections */
  public int getConnections() {
    return connections;
  }

  /** Sets the connections, 2..100,000 (a server→client call needs a second connection to call). */
  public SoakOptions setConnections(int connections) {
    this.connections = OptionChecks.range("connections", connections, 2, 100_000);
    return this;
  }

  /** @return the offered calls per second */
  public int getRate() {
    return rate;
  }

  /** Sets the offered calls per second over all connections, 1..1,000,000. */
  public SoakOptions setRate(int rate) {
    this.rate = OptionChecks.range("rate", rate, 1, 1_000_000);
    return this;
  }

  /** @return the logout + login pairs per second */
  public int getLoginsPerSecond() {
    return loginsPerSecond;
  }

  /** Sets the logout + login pairs per second, 0..100,000. */
  public SoakOptions setLoginsPerSecond(int loginsPerSecond) {
    this.loginsPerSecond = OptionChecks.range("loginsPerSecond", loginsPerSecond, 0, 100_000);
    return this;
  }

  /** @return the reconnects per second */
  public int getReconnectsPerSecond() {
    return reconnectsPerSecond;
  }

  /** Sets the reconnects per second, 0..100,000. */
  public SoakOptions setReconnectsPerSecond(int reconnectsPerSecond) {
    this.reconnectsPerSecond = OptionChecks.range("reconnectsPerSecond", reconnectsPerSecond, 0, 100_000);
    return this;
  }

  /** @return the percentage of calls that are chat.send */
  public int getServerCallPercent() {
    return serverCallPercent;
  }

  /** Sets the percentage of calls that are {@code chat.send}, 0..100. */
  public SoakOptions setServerCallPercent(int serverCallPercent) {
    this.serverCallPercent = OptionChecks.range("serverCallPercent", serverCallPercent, 0, 100);
    checkShares();
    return this;
  }

  /** @return the percentage of calls that are chat.say */
  public int getRoomPercent() {
    return roomPercent;
  }

  /** Sets the percentage of calls that are {@code chat.say}, 0..100. */
  public SoakOptions setRoomPercent(int roomPercent) {
    this.roomPercent = OptionChecks.range("roomPercent", roomPercent, 0, 100);
    checkShares();
    return this;
  }

  /** @return the members per room */
  public int getRoomSize() {
    return roomSize;
  }

  /** Sets the members per room, 1..10,000. */
  public SoakOptions setRoomSize(int roomSize) {
    this.roomSize = OptionChecks.range("roomSize", roomSize, 1, 10_000);
    return this;
  }

  /** @return the seconds of the run */
  public int getDuration() {
    return duration;
  }

  /** Sets the seconds of the run, 1..604,800 (a week). */
  public SoakOptions setDuration(int duration) {
    this.duration = OptionChecks.range("duration", duration, 1, 604_800);
    return this;
  }

  /** @return the seconds between report lines */
  public int getInterval() {
    return interval;
  }

  /** Sets the seconds between report lines, 1..3600. */
  public SoakOptions setInterval(int interval) {
    this.interval = OptionChecks.range("interval", interval, 1, 3600);
    return this;
  }

  /** @return the ms after which an unanswered call counts as lost */
  public long getTimeout() {
    return timeout;
  }

  /** Sets the ms after which an unanswered call counts as lost, 100..600,000. */
  public SoakOptions setTimeout(long timeout) {
    this.timeout = OptionChecks.range("timeout", timeout, 100, 600_000);
    return this;
  }

  /** @return the server's process id, 0 for none */
  public long getServerPid() {
    return serverPid;
  }

  /** Sets the server's process id for heap-after-GC and RSS figures; 0: none. */
  public SoakOptions setServerPid(long serverPid) {
    this.serverPid = OptionChecks.atLeast("serverPid", serverPid, 0);
    return this;
  }

  /** @return the client event loops, 0 for one per core */
  public int getThreads() {
    return threads;
  }

  /** Sets the client event loops; 0: one per core. */
  public SoakOptions setThreads(int threads) {
    this.threads = OptionChecks.range("threads", threads, 0, 1024);
    return this;
  }

  /** @return the client event loops to use */
  public int effectiveThreads() {
    return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private void checkShares() {
    if (serverCallPercent + roomPercent > 100) {
      throw new IllegalArgumentException("serverCallPercent + roomPercent must be at most 100, was "
        + serverCallPercent + " + " + roomPercent);
    }
  }
}
