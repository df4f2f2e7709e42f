package io.busrpc.gateway.impl;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.impl.Deadlines.Verdict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time limits of one connection, checked with made-up clock values: no socket, no waiting. */
class DeadlinesTest {

  private static final long MS = 1_000_000;
  private static final long T0 = 1_000 * MS; // any nanoTime value

  private static GatewayOptions options() {
    return new GatewayOptions().setFrameTimeout(100).setLoginTimeout(0).setIdleTimeout(0).setPingInterval(0)
      .setPingTimeout(50);
  }

  private static String closeReason(Deadlines deadlines, long at) {
    return deadlines.check(at, false, true, false).closeReason();
  }

  @Test
  void theFrameTimerRunsFromTheFirstByteOfAnIncompleteFrame() {
    Deadlines deadlines = new Deadlines(options(), true, T0);
    deadlines.read(T0 + 10 * MS, true);
    // A trickle keeps bytes coming but never completes the frame: the timer is not restarted.
    for (long at = 20; at <= 110; at += 10) {
      deadlines.read(T0 + at * MS, true);
    }
    assertNull(closeReason(deadlines, T0 + 110 * MS));
    assertEquals("a frame stayed incomplete for 100 ms", closeReason(deadlines, T0 + 111 * MS));
  }

  @Test
  void aCompletedFrameStopsTheFrameTimerAndPausedReadingHoldsIt() {
    Deadlines deadlines = new Deadlines(options(), true, T0);
    deadlines.read(T0, true);
    assertNull(deadlines.check(T0 + 200 * MS, true, true, false).closeReason(),
      "while the gateway does not read, the incomplete frame is its own doing");
    deadlines.read(T0 + 201 * MS, false);
    assertNull(closeReason(deadlines, T0 + 500 * MS));
  }

  @Test
  void aClientThatDoesNotLogInIsClosedAfterTheLoginTimeoutUnlessEveryMethodIsPublic() {
    GatewayOptions options = options().setLoginTimeout(300);
    Deadlines required = new Deadlines(options, true, T0);
    assertNull(required.check(T0 + 300 * MS, false, false, false).closeReason());
    assertEquals("no login within 300 ms", required.check(T0 + 301 * MS, false, false, false).closeReason());
    assertNull(required.check(T0 + 301 * MS, false, true, false).closeReason(), "logged in");
    Deadlines allPublic = new Deadlines(options, false, T0);
    assertNull(allPublic.check(T0 + 10_000 * MS, false, false, false).closeReason());
  }

  @Test
  void aSilentClientIsClosedAfterTheIdleTimeoutUnlessItsCallsAreInFlight() {
    Deadlines deadlines = new Deadlines(options().setIdleTimeout(1_000), true, T0);
    deadlines.read(T0 + 500 * MS, false);
    assertNull(closeReason(deadlines, T0 + 1_500 * MS));
    assertNull(deadlines.check(T0 + 1_501 * MS, false, true, true).closeReason(), "busy: waiting for its answers");
    assertEquals("sent nothing for 1000 ms", closeReason(deadlines, T0 + 1_501 * MS));
    Deadlines never = new Deadlines(options(), true, T0);
    assertNull(closeReason(never, T0 + 1_000_000 * MS), "idleTimeout 0 is never");
  }

  @Test
  void onlyLoggedInClientsArePingedOnceAtATimeAndSilenceClosesThem() {
    Deadlines deadlines = new Deadlines(options().setPingInterval(200), true, T0);
    assertEquals(Verdict.KEEP, deadlines.check(T0 + 201 * MS, false, false, false), "not logged in: never pinged");
    deadlines.frame(T0 + 100 * MS);
    assertEquals(Verdict.KEEP, deadlines.check(T0 + 300 * MS, false, true, false));
    assertEquals(Verdict.PING, deadlines.check(T0 + 301 * MS, false, true, false));
    deadlines.pingSent(T0 + 301 * MS);
    assertEquals(Verdict.KEEP, deadlines.check(T0 + 351 * MS, false, true, false), "one ping at a time");
    assertEquals("no answer to ping", closeReason(deadlines, T0 + 352 * MS));
    deadlines.pingDone();
    deadlines.frame(T0 + 352 * MS);
    assertEquals(Verdict.KEEP, deadlines.check(T0 + 400 * MS, false, true, false));
  }

  @Test
  void aGracefulCloseWaitsThePingTimeoutForTheClientToRead() {
    Deadlines deadlines = new Deadlines(options(), true, T0);
    assertFalse(deadlines.endOverdue(T0 + 1_000_000 * MS), "not closing");
    deadlines.ended(T0 + 100 * MS);
    deadlines.ended(T0 + 140 * MS); // the first close counts
    assertFalse(deadlines.endOverdue(T0 + 150 * MS));
    assertTrue(deadlines.endOverdue(T0 + 151 * MS));
  }
}
