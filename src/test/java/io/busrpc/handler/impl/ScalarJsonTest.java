package io.busrpc.handler.impl;

import io.busrpc.protocol.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The shortcut for small answers gives exactly what Vert.x's parser gives, or steps aside; the one
 * for small results writes exactly what busrpc's mapper writes.
 */
class ScalarJsonTest {

  @Test
  void readsWhatTheParserReadsTheSameWay() {
    for (String json : List.of("0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648", "-2147483649",
      "999999999999999999", "-999999999999999999", "true", "false")) {
      Object expected = Json.decodeValue(json);
      Object actual = ScalarJson.read(Buffer.buffer(json));
      assertEquals(expected, actual, json);
      assertEquals(expected.getClass(), actual.getClass(), json);
    }
    assertEquals(null, ScalarJson.read(Buffer.buffer("null")));
  }

  @Test
  void leavesEverythingElseToTheParser() {
    for (String json : List.of("", "-", "01", "-01", "1.5", "1e3", "1000000000000000000", " 1", "1 ", "tru", "truex",
      "nul", "\"x\"", "[1]", "{}", "+1")) {
      assertSame(ScalarJson.NOT_SCALAR, ScalarJson.read(Buffer.buffer(json)), json);
    }
  }

  @Test
  void writesResultsExactlyAsTheMapperDoes() throws Exception {
    for (Object value : List.of(0, -7, Integer.MAX_VALUE, Long.MIN_VALUE, (short) 3, (byte) -2, true, false,
      new BigInteger("123456789012345678901234567890"), new BigDecimal("3"), new BigDecimal("1.50"),
      new BigDecimal("1e400"), new BigDecimal("-0.000001"), new BigDecimal("1E-7"), BigDecimal.valueOf(12, -3))) {
      assertEquals(new String(JsonMapper.mapper().writeValueAsBytes(value), StandardCharsets.UTF_8),
        ScalarJson.write(value).toString(), String.valueOf(value));
    }
    assertEquals("null", ScalarJson.write(null).toString());
    assertNull(ScalarJson.write("text"), "strings need escaping: left to the mapper");
    assertNull(ScalarJson.write(1.5d), "doubles are left to the mapper");
  }
}
