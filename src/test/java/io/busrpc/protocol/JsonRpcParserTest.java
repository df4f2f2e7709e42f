package io.busrpc.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class JsonRpcParserTest {

  private static JsonRpcMessage single(String json) {
    ParsedFrame frame = JsonRpcParser.parse(Buffer.buffer(json));
    assertFalse(frame.batch());
    assertEquals(1, frame.messages().size());
    return frame.messages().get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-7", "9007199254740993", "1.5", "\"\"", "\"h\\u00e9llo \u00fc\u4e16\"", "null", "1e400",
    "123456789012345678901234567890"})
  void idIsKeptByteForByte(String id) {
    JsonRpcMessage m = single("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + id + ",\"params\":[1]}");
    assertEquals(JsonRpcMessage.Kind.REQUEST, m.kind());
    assertEquals(id, m.id().toString());
    m = single("{\"id\" : " + id + " , \"jsonrpc\":\"2.0\",\"method\":\"m\"}");
    assertEquals(id, m.id().toString());
    m = single("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + id + "}");
    assertEquals(id, m.id().toString());
  }

  @Test
  void paramsAreCutOutRaw() {
    JsonRpcMessage m = single("{\"jsonrpc\":\"2.0\",\"params\": {\"a\" : [1, 2e400]} ,\"method\":\"sum\"}");
    assertEquals(JsonRpcMessage.Kind.NOTIFICATION, m.kind());
    assertEquals("sum", m.method());
    assertEquals("{\"a\" : [1, 2e400]}", m.params().toString());
    assertNull(m.id());
  }

  @Test
  void responsesAreRecognised() {
    JsonRpcMessage ok = single("{\"jsonrpc\":\"2.0\",\"result\":{\"x\":[1]},\"id\":3}");
    assertEquals(JsonRpcMessage.Kind.RESPONSE, ok.kind());
    assertEquals("{\"x\":[1]}", ok.result().toString());
    JsonRpcMessage nullResult = single("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":3}");
    assertEquals("null", nullResult.result().toString());
    JsonRpcMessage err = single("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"m\"},\"id\":\"a\"}");
    assertEquals(JsonRpcMessage.Kind.RESPONSE, err.kind());
    assertEquals("{\"code\":1,\"message\":\"m\"}", err.error().toString());
    assertEquals("\"a\"", err.id().toString());
  }

  @Test
  void nullParamsAreTakenAsAbsent() {
    JsonRpcMessage withNull = single("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":null,\"id\":1}");
    assertEquals(JsonRpcMessage.Kind.REQUEST, withNull.kind());
    assertNull(withNull.params());
    assertEquals("1", withNull.id().toString());
    JsonRpcMessage notification = single("{\"jsonrpc\":\"2.0\",\"params\":null,\"method\":\"m\"}");
    assertEquals(JsonRpcMessage.Kind.NOTIFICATION, notification.kind());
    assertNull(notification.params());
    // Only null: other scalars are still refused.
    assertEquals(JsonRpcMessage.Kind.INVALID, single("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":0,\"id\":1}").kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"bar\",\"id\":1}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":{\"a\":1}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":[1]}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":true}",
    "{\"jsonrpc\":\"1.0\",\"method\":\"m\",\"id\":1}",
    "{\"method\":\"m\",\"id\":1}",
    "{\"foo\":\"boo\"}",
    "{}",
    "1",
    "\"x\"",
  })
  void invalidRequests(String json) {
    JsonRpcMessage m = single(json);
    assertEquals(JsonRpcMessage.Kind.INVALID, m.kind(), json);
    assertTrue(m.expectsAnswer());
    assertNotNull(m.problem());
  }

  @Test
  void batches() {
    ParsedFrame frame = JsonRpcParser.parse(Buffer.buffer(
      "[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1}, 1, {\"jsonrpc\":\"2.0\",\"method\":\"b\"}]"));
    assertTrue(frame.batch());
    assertEquals(3, frame.messages().size());
    assertEquals(JsonRpcMessage.Kind.REQUEST, frame.messages().get(0).kind());
    assertEquals(JsonRpcMessage.Kind.INVALID, frame.messages().get(1).kind());
    assertEquals(JsonRpcMessage.Kind.NOTIFICATION, frame.messages().get(2).kind());
    ParsedFrame empty = JsonRpcParser.parse(Buffer.buffer(" [ ] "));
    assertFalse(empty.batch());
    assertEquals(JsonRpcMessage.Kind.INVALID, empty.messages().get(0).kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "{\"jsonrpc\":\"2.0\",\"method\":\"foobar,\"params\":\"bar\",\"baz]",
    "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\"},{\"jsonrpc\":\"2.0\",\"method\"]", "{} {}", "{\"a\":1}x", "[1,]", "nul"})
  void parseErrors(String json) {
    RpcException e = assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(json)));
    assertEquals(-32700, e.code());
  }

  /** The reason says what is wrong in plain words; nothing names Jackson, its classes or its features. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",\"method\":\"foobar,\"params\":\"bar\",\"baz]", "[1,]", "nul", "{\"a\":NaN}",
    "{\"a\":'x'}", "{\"a\":01}", "{\"a\":\"x", "[[[[", "{\"a\":1}x", "{\"a\":\"\u0001\"}", "{a:1}", "[1 2]"})
  void parseErrorReasonsAreInPlainWords(String json) {
    RpcException e = assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(json)));
    assertPlainWords(e.getMessage());
  }

  @Test
  void tooDeepAndTooLongAreSaidInPlainWords() {
    String deep = "[".repeat(2000) + "]".repeat(2000);
    assertPlainWords(assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(deep))).getMessage());
    String longNumber = "[" + "9".repeat(2000) + "]";
    assertPlainWords(assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(longNumber))).getMessage());
  }

  static void assertPlainWords(String reason) {
    assertNotNull(reason);
    for (String internal : new String[]{"jackson", "fasterxml", "Constraints", "Feature", "`", "code ", "Source:",
      "[line", "marker", "token", "CTRL-CHAR", "ctrl-char"}) {
      assertFalse(reason.toLowerCase(java.util.Locale.ROOT).contains(internal.toLowerCase(java.util.Locale.ROOT)),
        "'" + reason + "' names a library internal: " + internal);
    }
  }

  @Test
  void invalidUtf8IsAParseError() {
    Buffer frame = Buffer.buffer("{\"jsonrpc\":\"2.0\",\"method\":\"").appendBytes(new byte[]{(byte) 0xC3, (byte) 0x28})
      .appendString("\",\"id\":1}");
    RpcException e = assertThrows(RpcException.class, () -> JsonRpcParser.parse(frame));
    assertEquals(-32700, e.code());
  }

  @Test
  void deepNestingIsAParseErrorNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    RpcException e = assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(deep)));
    assertEquals(-32700, e.code());
    String deepParams = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    e = assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(deepParams)));
    assertEquals(-32700, e.code());
  }

  @Test
  void parsesASliceOfALargerBuffer() {
    Buffer outer = Buffer.buffer("xxxx{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[7],\"id\":42}yyyy");
    JsonRpcMessage m = JsonRpcParser.parse(outer.slice(4, outer.length() - 4)).messages().get(0);
    assertEquals("[7]", m.params().toString());
    assertEquals("42", m.id().toString());
  }

  @Test
  void wellFormedUtf8PassesAndIllFormedIsFoundAtItsFirstByte() {
    for (String ok : new String[]{"ascii", "\u00fc", "\u4e16\u754c", "\ud83d\ude00", "\ud7ff", "\ue000", "\udbff\udfff"}) {
      byte[] bytes = ("x" + ok).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(-1, JsonRpcParser.invalidUtf8(bytes, 0, bytes.length), ok);
    }
    int[][] bad = {{0xFF}, {0x80}, {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80},
      {0xF0, 0x80, 0x80, 0xAF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xC3, 0x28}, {0xE2, 0x82}};
    for (int[] sequence : bad) {
      byte[] bytes = new byte[sequence.length + 2];
      bytes[0] = 'a';
      for (int i = 0; i < sequence.length; i++) {
        bytes[i + 1] = (byte) sequence[i];
      }
      bytes[bytes.length - 1] = 'b';
      int at = JsonRpcParser.invalidUtf8(bytes, 0, bytes.length);
      assertEquals(1, at, java.util.Arrays.toString(sequence));
      RpcException e = assertThrows(RpcException.class, () -> JsonRpcParser.parse(Buffer.buffer(
        "[\"").appendBytes(bytes).appendString("\"]")));
      assertEquals(ErrorCode.PARSE_ERROR.code(), e.code());
    }
  }
}
