package io.busrpc.bus;

import io.busrpc.handler.Caller;
import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A gateway's call to an {@code RpcVerticle} and its answer cross cluster nodes as one body each:
 * everything in them comes out as it went in, and on one node the body is handed over untouched.
 */
class HandlerCodecsTest {

  private final HandlerCallCodec calls = new HandlerCallCodec();
  private final HandlerAnswerCodec answers = new HandlerAnswerCodec();

  @Test
  void aCallKeepsMethodCallerReplyAddressCorrelationAndParams() {
    Set<String> roles = new LinkedHashSet<>(List.of("admin", "rôle with spaces, commas", ""));
    HandlerCall sent = new HandlerCall("math.sum", new Caller("conn-1", "127.0.0.1:5000", "ßuid \uD83D\uDE00", roles),
      "busrpc.internal.reply.x", Long.MAX_VALUE - 3, Buffer.buffer("[1,2,\"é\"]"));
    HandlerCall received = roundTrip(sent);
    assertEquals(sent.method(), received.method());
    assertEquals(sent.caller(), received.caller());
    assertEquals(List.copyOf(roles), List.copyOf(received.caller().roles()), "roles keep their order");
    assertEquals(sent.replyTo(), received.replyTo());
    assertEquals(sent.correlation(), received.correlation());
    assertEquals(sent.params(), received.params());
  }

  @Test
  void aCallWithoutParamsNorUidStaysWithout() {
    HandlerCall received = roundTrip(new HandlerCall("m", new Caller("c", "h:1", null, Set.of()), "r", 1, null));
    assertNull(received.params());
    assertNull(received.caller().uid());
    assertEquals(Set.of(), received.caller().roles());
  }

  @Test
  void answersKeepResultOrError() {
    Buffer wire = Buffer.buffer().appendString("HEAD");
    answers.encodeToWire(wire, HandlerAnswer.of(7, Buffer.buffer("{\"a\":[1]}")));
    HandlerAnswer result = answers.decodeFromWire(4, wire);
    assertEquals(7, result.correlation());
    assertEquals(Buffer.buffer("{\"a\":[1]}"), result.result());
    assertNull(result.error());

    wire = Buffer.buffer().appendString("HEAD");
    answers.encodeToWire(wire, HandlerAnswer.failed(8, new RpcException(4040, "no", new JsonObject().put("node", "B"))));
    HandlerAnswer error = answers.decodeFromWire(4, wire);
    assertEquals(8, error.correlation());
    assertEquals(4040, error.error().code());
    assertEquals("no", error.error().getMessage());
    assertEquals(new JsonObject().put("node", "B"), error.error().data());
  }

  @Test
  void onOneNodeTheBodiesAreHandedOverAsTheyAre() {
    HandlerCall call = new HandlerCall("m", new Caller("c", "h:1", "u", Set.of("r")), "r", 1, Buffer.buffer("[]"));
    assertSame(call, calls.transform(call));
    HandlerAnswer answer = HandlerAnswer.of(1, Buffer.buffer("1"));
    assertSame(answer, answers.transform(answer));
  }

  private HandlerCall roundTrip(HandlerCall call) {
    // The event bus hands the codec a buffer that holds its own header before the body.
    Buffer wire = Buffer.buffer().appendString("HEADER");
    calls.encodeToWire(wire, call);
    wire.appendString("TRAILER");
    return calls.decodeFromWire(6, wire);
  }
}
