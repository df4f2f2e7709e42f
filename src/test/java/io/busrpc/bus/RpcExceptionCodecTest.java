package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The codec that carries {@link RpcException} between cluster nodes keeps code, message and data. */
class RpcExceptionCodecTest {

  private final RpcExceptionCodec codec = new RpcExceptionCodec();

  static Stream<Arguments> dataOfEveryJsonType() {
    return Stream.of(
      Arguments.of("object", new JsonObject().put("k", "v").put("n", 1).put("nested", new JsonObject().put("a", new JsonArray().add(true)))),
      Arguments.of("empty object", new JsonObject()),
      Arguments.of("array", new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)).addNull()),
      Arguments.of("empty array", new JsonArray()),
      Arguments.of("string", "details"),
      Arguments.of("empty string", ""),
      Arguments.of("unicode string", "Grüße \uD83D\uDE00 \"quoted\"\n"),
      Arguments.of("integer", 42),
      Arguments.of("negative integer", -7),
      Arguments.of("decimal", 1.5),
      Arguments.of("true", true),
      Arguments.of("false", false),
      Arguments.of("null", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dataOfEveryJsonType")
  void roundTripKeepsCodeMessageAndData(String label, Object data) {
    RpcException decoded = roundTrip(new RpcException(-32042, "custom failure", data));
    assertEquals(-32042, decoded.code());
    assertEquals("custom failure", decoded.getMessage());
    assertEquals(data, decoded.data(), label);
  }

  @Test
  void decodesAtAnOffsetAndLeavesFollowingBytesAlone() {
    // The event bus hands the codec a buffer that holds its own header before the body.
    Buffer wire = Buffer.buffer().appendString("HEADER");
    codec.encodeToWire(wire, new RpcException(7, "x", new JsonArray().add(1)));
    wire.appendString("TRAILER");
    RpcException decoded = codec.decodeFromWire(6, wire);
    assertEquals(7, decoded.code());
    assertEquals("x", decoded.getMessage());
    assertEquals(new JsonArray().add(1), decoded.data());
  }

  @Test
  void multiByteMessageSurvives() {
    RpcException decoded = roundTrip(new RpcException(1, "Übergröße €", null));
    assertEquals("Übergröße €", decoded.getMessage());
    assertNull(decoded.data());
  }

  @Test
  void nullMessageBecomesEmpty() {
    RpcException decoded = roundTrip(new RpcException(3, null, null));
    assertEquals("", decoded.getMessage());
  }

  @Test
  void localDeliveryPassesTheSameInstance() {
    RpcException e = new RpcException(5, "m", new JsonObject());
    assertSame(e, codec.transform(e));
  }

  private RpcException roundTrip(RpcException e) {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, e);
    return codec.decodeFromWire(0, wire);
  }
}
