package io.busrpc.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.bus.Addresses;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.Rpc.PONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge cases of the wire protocol (DESIGN §1) on real sockets against real nodes, in every framing
 * where the case makes sense.
 *
 * <p>Two nodes in one Vert.x: {@code port} has the defaults; {@code limitedPort} has a 1 KiB frame limit, batches of
 * at most 3, a 300 ms call timeout and at most 4 calls in flight. A raw event-bus consumer for {@code slow}
 * never replies (only the limited node's tests call it).
 */
@ExtendWith(VertxExtension.class)
class GatewayEdgeCasesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper()
    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static Vertx vertx;
  static int port;
  static int limitedPort;

  @BeforeAll
  static void start(Vertx vertx) {
    GatewayEdgeCasesTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
    vertx.eventBus().consumer(Addresses.DEFAULT.method("slow"), message -> {
      // never replies
    }).completion().await();
    BusRpcOptions limited = TestNode.demoOptions();
    limited.getGateway().setMaxFrameSize(1024).setMaxBatchSize(3).setCallTimeout(300).setMaxInFlight(4);
    limitedPort = TestNode.start(vertx, limited);
  }

  // ---- helpers ----

  private static String echo(Object id, String value) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[" + value + "],\"id\":" + id + "}";
  }

  private static JsonNode tree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** Asserts an error answer with this code and a null id. */
  private static JsonNode assertError(String answer, int code) throws IOException {
    JsonNode node = tree(answer);
    assertEquals("2.0", node.path("jsonrpc").asText(), answer);
    assertEquals(code, node.path("error").path("code").asInt(), answer);
    assertTrue(node.path("error").path("message").isTextual(), answer);
    return node;
  }

  private static void assertErrorWithNullId(String answer, int code) throws IOException {
    JsonNode node = assertError(answer, code);
    assertTrue(node.has("id") && node.get("id").isNull(), "id must be null: " + answer);
  }

  /** The connection still answers: an echo call goes through the bus and back. */
  private static void assertUsable(TestClient client) throws IOException {
    assertEquals(tree("{\"jsonrpc\":\"2.0\",\"result\":\"still here\",\"id\":\"u\"}"),
      tree(client.call(echo("\"u\"", "\"still here\""))));
  }

  /** Nothing was answered before: the next frames are exactly the answers of a ping and an echo. */
  private static void assertNothingPending(TestClient client) throws IOException {
    assertEquals(tree(PONG), tree(client.call(PING)));
    assertUsable(client);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] framed(Framing framing, byte[] payload) {
    return framing.encode(Buffer.buffer(payload)).getBytes();
  }

  // ---- ids ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void idsAreEchoedUntouched(Framing framing) throws Exception {
    List<String> ids = List.of("0", "-7", "9007199254740993", "1.5", "\"\"", "\"ü世界\"", "null", "1",
      "123456789012345678901234567890", "1e400", "-0");
    try (TestClient client = new TestClient(port, framing)) {
      for (String id : ids) {
        String answer = client.call(echo(id, "42"));
        assertTrue(answer.contains("\"id\":" + id + "}"), "id " + id + " not echoed as sent: " + answer);
        assertEquals(42, tree(answer).path("result").asInt(), answer);
      }
    }
  }

  // ---- bad JSON ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void parseErrorLeavesTheConnectionUsable(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      // In the line framing "{}}" and "{\"a\":1} {\"b\":2}" are several texts, each answered (JsonTextStreamTest).
      List<String> bads = framing == Framing.LINE ? List.of("{\"jsonrpc\": \"2.0\", \"method\": ", "nope", "[1,]", "{\"a\" 1}")
        : List.of("{\"jsonrpc\": \"2.0\", \"method\": ", "{}}", "nope", "{\"a\":1} {\"b\":2}", "[1,]");
      for (String bad : bads) {
        String answer = client.call(bad);
        assertErrorWithNullId(answer, -32700);
        assertEquals("Parse error", tree(answer).path("error").path("message").asText());
        assertUsable(client);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void hugeExponentNeverBecomesInfinity(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      for (String value : List.of("1e400", "-1e400", "1.5e-400")) {
        String answer = client.call(echo(1, value));
        assertFalse(answer.contains("Infinity") || answer.contains("NaN"), answer);
        JsonNode node = tree(answer); // strict JSON: a bare Infinity would not parse
        if (node.has("result")) {
          assertEquals(0, new BigDecimal(value).compareTo(node.get("result").decimalValue()),
            "value changed: " + answer);
        } else {
          assertTrue(node.path("error").path("code").isInt(), answer);
        }
      }
      String answer = client.call("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"a\":[1e400]},\"id\":2}");
      assertFalse(answer.contains("Infinity"), answer);
      tree(answer);
    }
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void deepNestingIsAParseErrorAndTheConnectionStaysUsable(Framing framing) throws Exception {
    int depth = 100_000;
    String nested = "[".repeat(depth) + "]".repeat(depth);
    try (TestClient client = new TestClient(port, framing)) {
      assertErrorWithNullId(client.call(nested), -32700);
      assertUsable(client);
      assertErrorWithNullId(client.call(echo(1, nested)), -32700);
      assertUsable(client);
    }
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void invalidUtf8IsAParseErrorAndTheConnectionStaysUsable(Framing framing) throws Exception {
    byte[][] badSequences = {
      {(byte) 0xFF},                          // never valid
      {(byte) 0xC3, 0x28},                    // lead byte without continuation
      {(byte) 0x80},                          // lone continuation byte
      {(byte) 0xE2, (byte) 0x82},             // truncated 3-byte sequence
    };
    try (TestClient client = new TestClient(port, framing)) {
      for (byte[] bad : badSequences) {
        byte[] inString = concat(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a"), bad,
          utf8("b\"],\"id\":1}"));
        client.sendRaw(framed(framing, inString));
        assertErrorWithNullId(client.receive(), -32700);
        assertUsable(client);
        byte[] inId = concat(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":\"a"), bad,
          utf8("\"}"));
        client.sendRaw(framed(framing, inId));
        assertErrorWithNullId(client.receive(), -32700);
        assertUsable(client);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void overlongAndSurrogateUtf8AreParseErrors(Framing framing) throws Exception {
    byte[][] badSequences = {
      {(byte) 0xC0, (byte) 0xAF},             // overlong '/'
      {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-16 surrogate D800 encoded in UTF-8
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    };
    try (TestClient client = new TestClient(port, framing)) {
      for (byte[] bad : badSequences) {
        byte[] inString = concat(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a"), bad,
          utf8("b\"],\"id\":1}"));
        client.sendRaw(framed(framing, inString));
        String answer = client.receive();
        assertErrorWithNullId(answer, -32700);
        assertUsable(client);
      }
    }
  }

  @Test
  void emptyLengthFrameIsAParseError() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LENGTH)) {
      client.sendRaw(new byte[4]);
      assertErrorWithNullId(client.receive(), -32700);
      assertUsable(client);
    }
  }

  @Test
  void emptyLspFrameIsAParseError() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LSP)) {
      client.sendRaw(utf8("Content-Length: 0\r\n\r\n"));
      assertErrorWithNullId(client.receive(), -32700);
      assertUsable(client);
    }
  }

  @Test
  void blankLinesAreIgnoredInLineFraming() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      client.sendRaw(utf8("\n\r\n   \n\t\r\n" + PING + "\r\n\n\n"));
      assertEquals(tree(PONG), tree(client.receive()));
      assertNothingPending(client);
    }
  }

  // ---- notifications ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void notificationsAreNeverAnswered(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"no_such_method\",\"params\":[1]}");
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[\"a\",1]}");
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[1,2,3]}");
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"nope\":1}}");
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\"}");
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.foo\"}");
      client.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\"}");
      client.send("[{\"jsonrpc\":\"2.0\",\"method\":\"no_such_method\"},{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[\"a\"]}]");
      assertNothingPending(client);
    }
  }

  // ---- invalid params ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void invalidParamsNameTheParameter(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      JsonNode wrongType = assertError(client.call(
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[\"a\",1],\"id\":1}"), -32602);
      assertTrue(wrongType.path("error").toString().contains("minuend"), wrongType.toString());
      assertEquals(1, wrongType.path("id").asInt());
      JsonNode wrongName = assertError(client.call(
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"minuend\":1,\"subtrahend\":\"x\"},\"id\":2}"), -32602);
      assertTrue(wrongName.path("error").toString().contains("subtrahend"), wrongName.toString());
      for (String params : List.of("[1]", "[1,2,3]", "[]")) {
        assertError(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":" + params + ",\"id\":3}"),
          -32602);
      }
      assertError(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"id\":4}"), -32602);
      assertUsable(client);
    }
  }

  // ---- frame limit ----

  @Test
  void oversizeLengthPrefixIsRejectedBeforeTheBody() throws Exception {
    try (TestClient client = new TestClient(limitedPort, Framing.LENGTH)) {
      client.sendRaw(new byte[]{0, 0, 0x07, (byte) 0xD0}); // 2000, and no body
      assertOversizeThenClosed(client);
    }
    assertNewConnectionWorks(Framing.LENGTH);
  }

  @Test
  void oversizeLineIsRejectedBeforeItsNewline() throws Exception {
    try (TestClient client = new TestClient(limitedPort, Framing.LINE)) {
      client.sendRaw(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "a".repeat(1100)));
      assertOversizeThenClosed(client);
    }
    assertNewConnectionWorks(Framing.LINE);
  }

  @Test
  void oversizeContentLengthIsRejectedBeforeTheBody() throws Exception {
    try (TestClient client = new TestClient(limitedPort, Framing.LSP)) {
      client.sendRaw(utf8("Content-Length: 5000\r\n\r\n"));
      assertOversizeThenClosed(client);
    }
    assertNewConnectionWorks(Framing.LSP);
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void frameAtTheLimitIsAccepted(Framing framing) throws Exception {
    String prefix = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"";
    String suffix = "\"],\"id\":1}";
    String exact = prefix + "a".repeat(1024 - prefix.length() - suffix.length()) + suffix;
    assertEquals(1024, exact.length());
    try (TestClient client = new TestClient(limitedPort, framing)) {
      assertEquals(1, tree(client.call(exact)).path("id").asInt());
    }
  }

  private static void assertOversizeThenClosed(TestClient client) throws IOException {
    String answer = client.receive();
    assertErrorWithNullId(answer, ErrorCode.FRAME_TOO_LARGE.code());
    assertTrue(answer.contains("\"id\":null"), answer);
    assertTrue(client.closedByServer(), "the server must close after an over-size frame");
  }

  private static void assertNewConnectionWorks(Framing framing) throws IOException {
    try (TestClient client = new TestClient(limitedPort, framing)) {
      assertEquals(tree(PONG), tree(client.call(PING)));
    }
  }

  @Test
  void lspHeaderBlockWithoutContentLengthIsAParseErrorThenClosed() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LSP)) {
      client.sendRaw(utf8("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"));
      assertErrorWithNullId(client.receive(), -32700);
      assertTrue(client.closedByServer(), "an LSP stream cannot be resynchronised after a bad header");
    }
  }

  // ---- framing detection ----

  @Test
  void unknownFirstByteClosesTheConnection() throws Exception {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      client.sendRaw(utf8("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertTrue(client.closedByServer());
    }
  }

  // ---- batches ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void batchLargerThanTheMaximumIsOneError(Framing framing) throws Exception {
    String call = "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2],\"id\":%d}";
    try (TestClient client = new TestClient(limitedPort, framing)) {
      String atLimit = "[" + String.format(call, 1) + "," + String.format(call, 2) + "," + String.format(call, 3) + "]";
      JsonNode ok = tree(client.call(atLimit));
      assertTrue(ok.isArray() && ok.size() == 3, ok.toString());
      String over = "[" + String.format(call, 1) + "," + String.format(call, 2) + "," + String.format(call, 3)
        + "," + String.format(call, 4) + "]";
      String answer = client.call(over);
      assertErrorWithNullId(answer, ErrorCode.BATCH_TOO_LARGE.code());
      assertNothingPending(client);
    }
  }

  // ---- split and glued frames ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void frameSplitAtEveryByteIsAnswered(Framing framing) throws Exception {
    byte[] frame = framed(framing, utf8(echo("\"split\"", "\"ü世界\"")));
    try (TestClient client = new TestClient(port, framing)) {
      for (byte b : frame) {
        client.sendRaw(new byte[]{b});
      }
      assertEquals(tree("{\"jsonrpc\":\"2.0\",\"result\":\"ü世界\",\"id\":\"split\"}"), tree(client.receive()));
      assertNothingPending(client);
    }
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void gluedFramesAreAllAnswered(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      client.sendRaw(concat(framed(framing, utf8(PING)), framed(framing, utf8(PING)), framed(framing, utf8(PING))));
      for (int i = 0; i < 3; i++) {
        assertEquals(tree(PONG), tree(client.receive()));
      }
      assertNothingPending(client);
    }
  }

  // ---- reserved methods ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void reservedMethods(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      assertEquals(tree(PONG), tree(client.call(PING)));
      JsonNode unknown = assertError(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.foo\",\"id\":7}"), -32601);
      assertEquals("Method not found", unknown.path("error").path("message").asText());
      assertEquals(7, unknown.path("id").asInt());
    }
  }

  // ---- half-close ----

  @ParameterizedTest
  @EnumSource(Framing.class)
  void halfClosedClientStillGetsItsAnswers(Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      client.send(echo(1, "\"one\""));
      client.send(echo(2, "\"two\""));
      client.shutdownOutput();
      JsonNode a = tree(client.receive());
      JsonNode b = tree(client.receive());
      assertEquals(3, a.path("id").asInt() + b.path("id").asInt(), a + " " + b);
      assertTrue(client.closedByServer(), "the server closes once every answer is out");
    }
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void halfClosedClientGetsEveryAnswerOfALongPipeline(Framing framing) throws Exception {
    // far beyond maxInFlight (4 on the limited node), so the gateway pauses reading in between and the
    // client's end of input arrives while requests are still waiting to be read
    int calls = 2_000;
    try (TestClient client = new TestClient(limitedPort, framing)) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < calls; i++) {
        all.writeBytes(framed(framing, utf8(echo(i, String.valueOf(i)))));
      }
      client.sendRaw(all.toByteArray());
      client.shutdownOutput();
      boolean[] seen = new boolean[calls];
      for (int n = 0; n < calls; n++) {
        String answer;
        try {
          answer = client.receive();
        } catch (IOException e) {
          throw new AssertionError("connection closed after " + n + " of " + calls + " answers", e);
        }
        int id = tree(answer).path("id").asInt();
        assertFalse(seen[id], "answered twice: " + id);
        seen[id] = true;
      }
      assertTrue(client.closedByServer());
    }
  }

  // ---- timeout ----

  @Test
  void callThatNobodyAnswersTimesOut() throws Exception {
    try (TestClient client = new TestClient(limitedPort, Framing.LINE)) {
      String answer = client.call("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"params\":[1],\"id\":\"t\"}");
      JsonNode node = assertError(answer, ErrorCode.TIMEOUT.code());
      assertEquals("t", node.path("id").asText());
      assertEquals(tree(PONG), tree(client.call(PING)));
    }
  }
}
