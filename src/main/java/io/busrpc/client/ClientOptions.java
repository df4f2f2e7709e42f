package io.busrpc.client;

import io.busrpc.protocol.codec.Framing;
import io.vertx.core.json.JsonObject;

/** Options of a {@link BusRpcClient}: where to connect, in which framing, timeouts and reconnection. */
public class ClientOptions {

  /** Default host. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port. */
  public static final int DEFAULT_PORT = 7000;
  /** Default framing: the 4-byte length prefix. */
  public static final Framing DEFAULT_FRAMING = Framing.LENGTH;
  /** Default time a call may take, in ms. */
  public static final long DEFAULT_CALL_TIMEOUT = 30_000;
  /** Default maximum frame accepted from the server: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
  /** Default first delay before reconnecting, in ms. */
  public static final long DEFAULT_RECONNECT_INITIAL_DELAY = 100;
  /** Default longest delay between reconnection attempts, in ms. */
  public static final long DEFAULT_RECONNECT_MAX_DELAY = 5_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private Framing framing = DEFAULT_FRAMING;
  private long callTimeout = DEFAULT_CALL_TIMEOUT;
  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private boolean reconnect;
  private long reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_DELAY;
  private long reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
  private boolean resume;
  private boolean tls;
  private String trustCertPath;

  /** Creates options with every default. */
  public ClientOptions() {
  }

  /** Reads the JSON form; missing members keep their defaults. */
  public ClientOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setFraming(Framing.fromWireName(json.getString("framing", framing.wireName())));
    setCallTimeout(json.getLong("callTimeout", callTimeout));
    setMaxFrameSize(json.getInteger("maxFrameSize", maxFrameSize));
    setReconnect(json.getBoolean("reconnect", reconnect));
    setReconnectInitialDelay(json.getLong("reconnectInitialDelay", reconnectInitialDelay));
    setReconnectMaxDelay(json.getLong("reconnectMaxDelay", reconnectMaxDelay));
    setResume(json.getBoolean("resume", resume));
    setTls(json.getBoolean("tls", tls));
    setTrustCertPath(json.getString("trustCertPath"));
  }

  /** @return a copy, as a client keeps when it is created, so later changes change nothing */
  public ClientOptions copy() {
    return new ClientOptions(toJson());
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("framing", framing.wireName())
      .put("callTimeout", callTimeout).put("maxFrameSize", maxFrameSize).put("reconnect", reconnect)
      .put("reconnectInitialDelay", reconnectInitialDelay).put("reconnectMaxDelay", reconnectMaxDelay)
      .put("resume", resume)
      .put("tls", tls).put("trustCertPath", trustCertPath);
  }

  /** @return the gateway's host */
  public String getHost() {
    return host;
  }

  /** Sets the gateway's host. */
  public ClientOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  /** @return the gateway's port */
  public int getPort() {
    return port;
  }

  /** Sets the gateway's port (1 to 65535). */
  public ClientOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** @return the framing the client speaks */
  public Framing getFraming() {
    return framing;
  }

  /** Sets the framing the client speaks. */
  public ClientOptions setFraming(Framing framing) {
    this.framing = java.util.Objects.requireNonNull(framing, "framing");
    return this;
  }

  /** @return how long a call may take, in ms */
  public long getCallTimeout() {
    return callTimeout;
  }

  /** Sets how long a call may take, in ms (at least 1). */
  public ClientOptions setCallTimeout(long callTimeout) {
    if (callTimeout < 1) {
      throw new IllegalArgumentException("callTimeout must be at least 1 ms, was " + callTimeout);
    }
    this.callTimeout = callTimeout;
    return this;
  }

  /** @return the largest frame accepted from the server */
  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  /** Sets the largest frame accepted from the server (1 KiB to 16 MiB). */
  public ClientOptions setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < 1024 || maxFrameSize > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("maxFrameSize must be between 1024 and 16777216, was " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  /** @return whether the client reconnects (and logs in again) after losing the connection */
  public boolean isReconnect() {
    return reconnect;
  }

  /**
   * Sets whether the client reconnects, with exponential backoff, and logs in again. A client that
   * the server closed because a newer login of its uid replaced it ({@code rpc.replaced}) does not.
   */
  public ClientOptions setReconnect(boolean reconnect) {
    this.reconnect = reconnect;
    return this;
  }

  /** @return the first reconnection delay, in ms */
  public long getReconnectInitialDelay() {
    return reconnectInitialDelay;
  }

  /** Sets the first reconnection delay, in ms (at least 1); it doubles after each failed attempt. */
  public ClientOptions setReconnectInitialDelay(long reconnectInitialDelay) {
    if (reconnectInitialDelay < 1) {
      throw new IllegalArgumentException("reconnectInitialDelay must be at least 1 ms, was " + reconnectInitialDelay);
    }
    this.reconnectInitialDelay = reconnectInitialDelay;
    return this;
  }

  /** @return the longest reconnection delay, in ms */
  public long getReconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  /** Sets the longest reconnection delay, in ms (at least 1). */
  public ClientOptions setReconnectMaxDelay(long reconnectMaxDelay) {
    if (reconnectMaxDelay < 1) {
      throw new IllegalArgumentException("reconnectMaxDelay must be at least 1 ms, was " + reconnectMaxDelay);
    }
    this.reconnectMaxDelay = reconnectMaxDelay;
    return this;
  }

  /** @return whether the client asks for a resumable session at login */
  public boolean isResume() {
    return resume;
  }

  /**
   * Sets whether {@code login} asks for a resumable session (PROTOCOL §8). The client then keeps
   * what it sends until the gateway acknowledges it, acknowledges what it receives, and after a
   * dropped connection reconnects (with the reconnection backoff, whatever {@link #setReconnect}
   * says) and resumes: calls made before or during the drop get their answers, and the server's
   * messages arrive once and in order. When the session cannot be resumed it logs in afresh.
   */
  public ClientOptions setResume(boolean resume) {
    this.resume = resume;
    return this;
  }

  /** @return whether the client connects with TLS */
  public boolean isTls() {
    return tls;
  }

  /** Sets whether the client connects with TLS (the JVM's trusted CAs apply unless a trust certificate is set). */
  public ClientOptions setTls(boolean tls) {
    this.tls = tls;
    return this;
  }

  /** @return the PEM certificate (or CA) the client trusts, or {@code null} for the JVM's defaults */
  public String getTrustCertPath() {
    return trustCertPath;
  }

  /** Sets the PEM certificate (or CA) the client trusts, e.g. a self-signed server certificate. */
  public ClientOptions setTrustCertPath(String trustCertPath) {
    this.trustCertPath = trustCertPath;
    return this;
  }
}
