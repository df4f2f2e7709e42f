package io.busrpc.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The checks the bench options' setters share: the bounds are inclusive and the message names the option. */
class OptionChecksTest {

  @Test
  void aValueWithinTheBoundsIsReturnedAndOneOutsideNamesTheOption() {
    assertEquals(1, OptionChecks.range("port", 1, 1, 65535));
    assertEquals(65535, OptionChecks.range("port", 65535, 1, 65535));
    assertEquals("port must be between 1 and 65535, was 65536",
      assertThrows(IllegalArgumentException.class, () -> OptionChecks.range("port", 65536, 1, 65535)).getMessage());
    assertEquals("timeout must be between 100 and 600000, was 99",
      assertThrows(IllegalArgumentException.class, () -> OptionChecks.range("timeout", 99L, 100, 600_000)).getMessage());
    assertEquals(0, OptionChecks.atLeast("rate", 0, 0));
    assertEquals("connections must be at least 1, was 0",
      assertThrows(IllegalArgumentException.class, () -> OptionChecks.atLeast("connections", 0, 1)).getMessage());
    assertEquals("host must not be empty",
      assertThrows(IllegalArgumentException.class, () -> OptionChecks.notBlank("host", " ")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> OptionChecks.notBlank("host", null));
  }

  @Test
  void theOptionsClassesUseThem() {
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions().setPort(0));
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions().setInFlight(0));
    assertThrows(IllegalArgumentException.class, () -> new SoakOptions().setTimeout(600_001));
    assertThrows(IllegalArgumentException.class, () -> new ManyOptions().setServerPid(-1));
    assertEquals(42, new BenchOptions().setConnections(42).getConnections());
  }
}
