package io.busrpc.bus;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ControlMessageTest {

  @Test
  void theHeaderValuesAreTheWireNamesAndReadBack() {
    assertEquals("replaced", ControlMessage.REPLACED.value());
    assertEquals("join", ControlMessage.JOIN.value());
    assertEquals("leave", ControlMessage.LEAVE.value());
    assertEquals("online", ControlMessage.ONLINE.value());
    for (ControlMessage message : ControlMessage.values()) {
      assertEquals(message, ControlMessage.of(message.value()));
    }
  }

  @Test
  void anUnknownOrMissingValueIsNone() {
    assertNull(ControlMessage.of(null));
    assertNull(ControlMessage.of("JOIN"));
    assertNull(ControlMessage.of("shutdown"));
  }
}
