package io.busrpc.handler.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The shortcut for small answers gives exactly what Vert.x's parser gives, or steps aside. */
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
}
