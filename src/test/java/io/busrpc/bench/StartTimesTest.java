package io.busrpc.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StartTimesTest {

  @Test
  void keepsOldCallsWhenNewOnesWrapAroundAndGrows() {
    StartTimes pending = new StartTimes(2);
    for (long seq = 1; seq <= 1000; seq++) {
      pending.put(seq, seq * 10);
      if (seq % 3 != 0) {
        assertEquals(seq * 10, pending.remove(seq));
      }
    }
    assertEquals(333, pending.size());
    assertEquals(30, pending.remove(3));
    assertEquals(-1, pending.remove(3), "removed once only");
    assertEquals(-1, pending.remove(4), "never pending now");
    assertEquals(-1, pending.remove(5000), "never sent");
    List<Long> expired = new ArrayList<>();
    pending.expire(5000, (seq, start) -> expired.add(seq));
    assertEquals(165, expired.size(), "calls started before 5000: seqs 6, 9, ..., 498");
    assertEquals(167, pending.size());
    pending.clear((seq, start) -> { });
    assertEquals(0, pending.size());
  }
}
