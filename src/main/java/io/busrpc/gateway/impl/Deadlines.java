package io.busrpc.gateway.impl;

import io.busrpc.gateway.GatewayOptions;

/**
 * The time limits of one connection: when it opened, last read, last sent a complete message,
 * started a frame that is not complete yet, was pinged, began its graceful close; and the verdict
 * of the periodic sweep from those times. Times are {@link System#nanoTime()} values passed in, so
 * every limit can be checked without a clock or a socket.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class Deadlines {

  /** What the sweep tells the session to do: nothing, ping the client, or close for a reason. */
  record Verdict(boolean ping, String closeReason) {
    static final Verdict KEEP = new Verdict(false, null);
    static final Verdict PING = new Verdict(true, null);

    static Verdict close(String reason) {
      return new Verdict(false, reason);
    }
  }

  /** Why a client whose ping stays unanswered is closed: a drop, after which a resumable session waits for it. */
  static final String NO_PING_ANSWER = "no answer to ping";

  private final long frameTimeout;
  private final long loginTimeout;
  private final long idleTimeout;
  private final long pingInterval;
  private final long pingTimeout;
  private final GatewayOptions options;
  private final long openedAt;
  private long lastReadAt;
  private long lastFrameAt;
  private long frameStartedAt;
  private long pingSentAt;
  private boolean pingOutstanding;
  private long endedAt;

  /**
   * @param loginRequired false when every method is public, so no login timeout applies
   * @param now           when the connection opened
   */
  Deadlines(GatewayOptions options, boolean loginRequired, long now) {
    this.options = options;
    this.frameTimeout = nanos(options.getFrameTimeout());
    this.loginTimeout = loginRequired ? nanos(options.getLoginTimeout()) : 0;
    this.idleTimeout = nanos(options.getIdleTimeout());
    this.pingInterval = nanos(options.getPingInterval());
    this.pingTimeout = nanos(options.getPingTimeout());
    this.openedAt = now;
    this.lastReadAt = now;
    this.lastFrameAt = now;
  }

  private static long nanos(long millis) {
    return millis * 1_000_000;
  }

  /**
   * Bytes arrived. The frame timer runs from the first read of a frame that is still incomplete
   * (slowloris), not from the last one: a client trickling one byte at a time does not reset it.
   */
  void read(long now, boolean partialFrame) {
    lastReadAt = now;
    if (!partialFrame) {
      frameStartedAt = 0;
    } else if (frameStartedAt == 0) {
      frameStartedAt = now;
    }
  }

  /** A complete message arrived: the client is alive, no ping is due for a while. */
  void frame(long now) {
    lastFrameAt = now;
  }

  /** A ping went out. */
  void pingSent(long now) {
    pingOutstanding = true;
    pingSentAt = now;
  }

  /** The ping was answered, or its outcome is known. */
  void pingDone() {
    pingOutstanding = false;
  }

  /** The graceful close began (the first time counts). */
  void ended(long now) {
    if (endedAt == 0) {
      endedAt = now;
    }
  }

  /**
   * @return true when a graceful close has waited longer than {@code pingTimeout} for the client to
   *     read its last messages: a client that does not read would keep it open for ever
   */
  boolean endOverdue(long now) {
    return endedAt != 0 && now - endedAt > pingTimeout;
  }

  /**
   * The sweep's verdict. Closes a client whose frame stays incomplete too long (unless reading is
   * paused, when the gateway is the one holding it back), one that must log in and has not, one
   * that sent nothing for the idle timeout while nothing of its is in flight (pings on or off), and
   * one whose ping stays unanswered; pings a logged-in client that has sent no message for the ping
   * interval. Clients that have not logged in are never pinged: they may be plain JSON-RPC clients,
   * which do not expect requests they never asked for.
   *
   * @param paused   true while the session does not read (calls in flight, full write queue)
   * @param loggedIn true once the client has logged in
   * @param busy     true while calls of the client are in flight or answers are on their way
   */
  Verdict check(long now, boolean paused, boolean loggedIn, boolean busy) {
    if (frameStartedAt != 0 && !paused && now - frameStartedAt > frameTimeout) {
      return Verdict.close("a frame stayed incomplete for " + options.getFrameTimeout() + " ms");
    }
    if (loginTimeout > 0 && !loggedIn && now - openedAt > loginTimeout) {
      return Verdict.close("no login within " + options.getLoginTimeout() + " ms");
    }
    if (idleTimeout > 0 && !busy && now - lastReadAt > idleTimeout) {
      return Verdict.close("sent nothing for " + options.getIdleTimeout() + " ms");
    }
    if (pingOutstanding && now - pingSentAt > pingTimeout) {
      return Verdict.close(NO_PING_ANSWER);
    }
    if (pingInterval > 0 && loggedIn && !pingOutstanding && now - lastFrameAt > pingInterval) {
      return Verdict.PING;
    }
    return Verdict.KEEP;
  }
}
