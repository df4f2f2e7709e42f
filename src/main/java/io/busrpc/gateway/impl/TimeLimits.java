package io.busrpc.gateway.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The time limits of one session, applied by the gateway's periodic sweep: the connection's
 * {@link Deadlines} (pinging the client through {@link Liveness} when they say so), the timeouts of
 * the server's calls to the client, and, while a resumable session waits for its client, the resume
 * window.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class TimeLimits {

  private static final Logger log = LoggerFactory.getLogger(TimeLimits.class);

  private final GatewayServices services;
  private final String id;
  private final ClientOutput output;
  private final OutboundCalls outbound;
  private final SessionResume resume;
  private final Liveness liveness;
  private final BooleanSupplier loggedIn;
  private final BooleanSupplier busy;
  private final BiConsumer<Connection, String> close;
  private final Runnable endSession;

  /**
   * @param loggedIn   true once the client has logged in
   * @param busy       true while calls of the client are in flight or answers are on their way
   * @param close      closes the connection for the reason given
   * @param endSession ends the session
   */
  TimeLimits(GatewayServices services, String id, ClientOutput output, OutboundCalls outbound, SessionResume resume,
             BooleanSupplier loggedIn, BooleanSupplier busy, BiConsumer<Connection, String> close, Runnable endSession) {
    this.services = services;
    this.id = id;
    this.output = output;
    this.outbound = outbound;
    this.resume = resume;
    this.liveness = new Liveness(outbound, services.options.getPingTimeout(), close);
    this.loggedIn = loggedIn;
    this.busy = busy;
    this.close = close;
    this.endSession = endSession;
  }

  /** Applies the limits (see {@link Deadlines#check}) at {@code now}. */
  void sweep(long now) {
    if (output.closed()) {
      return;
    }
    Connection current = output.connection();
    if (current != null && current.deadlines().endOverdue(now)) {
      close.accept(current, "it did not read its last messages within " + services.options.getPingTimeout() + " ms");
      return;
    }
    outbound.sweep(now);
    if (current == null) {
      if (resume.windowOver(now)) {
        log.debug("Ending session {}: its client did not resume within {} ms", id, services.options.getResumeWindow());
        endSession.run();
      }
      return;
    }
    Deadlines.Verdict verdict = current.deadlines().check(now, current.paused(), loggedIn.getAsBoolean(), busy.getAsBoolean());
    if (verdict.closeReason() != null) {
      close.accept(current, verdict.closeReason());
    } else if (verdict.ping()) {
      liveness.ping(current, now);
    }
  }
}
