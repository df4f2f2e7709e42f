package io.busrpc.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The time limits a gateway applies (calls, pings, idle and slow connections, login, shutdown, the
 * resume window): the
 * part of {@link GatewayOptions} that bounds how long anything may take. All in milliseconds; the
 * JSON members sit flat in the {@code gateway} object, under the names of the accessors.
 */
abstract class GatewayTimeLimits<T extends GatewayTimeLimits<T>> extends GatewayLimits<T> {

  /** Default time a forwarded call may take before the client gets the timeout error, in ms. */
  public static final long DEFAULT_CALL_TIMEOUT = 30_000;
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
  /** Default time calls in flight get to finish when the gateway shuts down, in ms. */
  public static final long DEFAULT_SHUTDOWN_GRACE_PERIOD = 10_000;
  /** Default time a dropped client that asked for resume keeps its session, in ms. */
  public static final long DEFAULT_RESUME_WINDOW = 30_000;

  private long callTimeout = DEFAULT_CALL_TIMEOUT;
  private long pingInterval = DEFAULT_PING_INTERVAL;
  private long pingTimeout = DEFAULT_PING_TIMEOUT;
  private long idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private long frameTimeout = DEFAULT_FRAME_TIMEOUT;
  private long loginTimeout = DEFAULT_LOGIN_TIMEOUT;
  private long shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
  private long resumeWindow = DEFAULT_RESUME_WINDOW;

  /** Every limit at its default. */
  GatewayTimeLimits() {
  }

  /** Reads the time limits' members (and the other limits') of the {@code gateway} object. */
  GatewayTimeLimits(JsonObject json) {
    super(json);
    setCallTimeout(json.getLong("callTimeout", callTimeout));
    setPingInterval(json.getLong("pingInterval", pingInterval));
    setPingTimeout(json.getLong("pingTimeout", pingTimeout));
    setIdleTimeout(json.getLong("idleTimeout", idleTimeout));
    setFrameTimeout(json.getLong("frameTimeout", frameTimeout));
    setLoginTimeout(json.getLong("loginTimeout", loginTimeout));
    setShutdownGracePeriod(json.getLong("shutdownGracePeriod", shutdownGracePeriod));
    setResumeWindow(json.getLong("resumeWindow", resumeWindow));
  }

  @Override
  public JsonObject toJson() {
    return super.toJson()
      .put("callTimeout", callTimeout)
      .put("pingInterval", pingInterval)
      .put("pingTimeout", pingTimeout)
      .put("idleTimeout", idleTimeout)
      .put("frameTimeout", frameTimeout)
      .put("loginTimeout", loginTimeout)
      .put("shutdownGracePeriod", shutdownGracePeriod)
      .put("resumeWindow", resumeWindow);
  }

  /** @return how long a forwarded call may take, in milliseconds */
  public long getCallTimeout() {
    return callTimeout;
  }

  /** Sets how long a forwarded call may take, in milliseconds (at least 1). */
  public T setCallTimeout(long callTimeout) {
    this.callTimeout = atLeastOneMs("callTimeout", callTimeout);
    return self();
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
  public T setPingInterval(long pingInterval) {
    this.pingInterval = zeroOrMore("pingInterval", "0 (off)", pingInterval);
    return self();
  }

  /** @return how long a client has to answer a ping, in ms */
  public long getPingTimeout() {
    return pingTimeout;
  }

  /** Sets how long a client has to answer a ping before it is closed, in ms (at least 1). */
  public T setPingTimeout(long pingTimeout) {
    this.pingTimeout = atLeastOneMs("pingTimeout", pingTimeout);
    return self();
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
  public T setIdleTimeout(long idleTimeout) {
    this.idleTimeout = zeroOrMore("idleTimeout", "0 (never)", idleTimeout);
    return self();
  }

  /** @return how long a started frame may take to arrive completely, in ms */
  public long getFrameTimeout() {
    return frameTimeout;
  }

  /**
   * Sets how long a started frame may take to arrive completely, in ms (at least 1); a client that
   * trickles a frame slower than that (slowloris) is closed.
   */
  public T setFrameTimeout(long frameTimeout) {
    this.frameTimeout = atLeastOneMs("frameTimeout", frameTimeout);
    return self();
  }

  /** @return how long a connection that must log in has to do so, in ms; 0 means no limit */
  public long getLoginTimeout() {
    return loginTimeout;
  }

  /**
   * Sets how long a connection has to log in, in ms; 0 means no limit. It applies only where login
   * is needed, that is when {@code publicMethods} does not hold {@code "*"}.
   */
  public T setLoginTimeout(long loginTimeout) {
    this.loginTimeout = zeroOrMore("loginTimeout", "0 (no limit)", loginTimeout);
    return self();
  }

  /** @return how long calls in flight get to finish when the gateway stops, in ms */
  public long getShutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /** Sets how long calls in flight get to finish when the gateway stops, in ms (0 or more). */
  public T setShutdownGracePeriod(long shutdownGracePeriod) {
    this.shutdownGracePeriod = zeroOrMore("shutdownGracePeriod", "0", shutdownGracePeriod);
    return self();
  }

  /** @return how long a dropped client that asked for resume keeps its session, in ms; 0 is off */
  public long getResumeWindow() {
    return resumeWindow;
  }

  /**
   * Sets how long a client whose connection dropped keeps its session, if it asked for resume at
   * login (DESIGN §11), in ms; 0 turns resume off (logins get no token).
   */
  public T setResumeWindow(long resumeWindow) {
    this.resumeWindow = zeroOrMore("resumeWindow", "0 (off)", resumeWindow);
    return self();
  }

  private static long atLeastOneMs(String option, long millis) {
    if (millis < 1) {
      throw new IllegalArgumentException(option + " must be at least 1 ms, was " + millis);
    }
    return millis;
  }

  /** {@code zero} says what 0 means in the message, e.g. "0 (off)". */
  private static long zeroOrMore(String option, String zero, long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException(option + " must be " + zero + " or more, was " + millis);
    }
    return millis;
  }
}
