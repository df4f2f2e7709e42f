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

/**
 * The codecs that carry batches of calls and of answers between cluster nodes keep every call's
 * method, caller (roles in order), reply address, correlation id and params, and every answer's
 * correlation id, result or error, in order; the event bus hands them a buffer with its own bytes
 * before the body.
 */
class BatchCodecsTest {

  @Test
  void aBatchOfCallsKeepsEveryCallsCallerAndParams() {
    Set<String> roles = new LinkedHashSet<>(List.of("admin", "a|b,c"));
    HandlerCall first = new HandlerCall("sum", new Caller("c1", "127.0.0.1:1", "Grüße \uD83D\uDE00", roles), "reply.x", 1,
      Buffer.buffer("[1,2]"));
    HandlerCall second = new HandlerCall("ping", new Caller("c2", "127.0.0.1:2", null, Set.of()), "reply.x", 2, null);
    HandlerCall third = new HandlerCall("m", new Caller("c3", "h:3", "u", Set.of()), "reply.y", 3, Buffer.buffer(""));
    CallBatchCodec codec = new CallBatchCodec();
    Buffer wire = Buffer.buffer().appendString("HEADER");
    codec.encodeToWire(wire, new CallBatch(List.of(first, second, third)));
    wire.appendString("TRAILER");
    CallBatch decoded = codec.decodeFromWire(6, wire);

    assertEquals(3, decoded.calls().size());
    assertEquals(first, decoded.calls().get(0));
    assertEquals(List.of("admin", "a|b,c"), List.copyOf(decoded.calls().get(0).caller().roles()));
    assertEquals(second, decoded.calls().get(1));
    assertNull(decoded.calls().get(1).params());
    assertNull(decoded.calls().get(1).caller().uid());
    assertEquals(third, decoded.calls().get(2));
    assertEquals(Buffer.buffer(""), decoded.calls().get(2).params());
  }

  @Test
  void callsThatRepeatThePreviousCallsCallerAreReadBackWhole() {
    Set<String> roles = new LinkedHashSet<>(List.of("admin", "ops"));
    Caller caller = new Caller("c".repeat(36), "127.0.0.1:5000", "ann", roles);
    List<HandlerCall> calls = List.of(new HandlerCall("sum", caller, "reply.x", 1, Buffer.buffer("[1]")),
      new HandlerCall("sum", caller, "reply.x", 2, Buffer.buffer("[2]")),
      new HandlerCall("echo", new Caller("c".repeat(36), "127.0.0.1:5000", null, Set.of()), "reply.x", 3, null),
      new HandlerCall("echo", new Caller("d", "127.0.0.1:5000", null, Set.of()), "reply.x", 4, Buffer.buffer("[]")),
      new HandlerCall("sum", caller, "reply.y", 5, Buffer.buffer("[5]")));
    CallBatchCodec codec = new CallBatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new CallBatch(calls));
    assertEquals(calls, codec.decodeFromWire(0, wire).calls());

    // A call repeating the one before costs its markers, correlation id and params only.
    Buffer one = Buffer.buffer();
    codec.encodeToWire(one, new CallBatch(calls.subList(0, 1)));
    Buffer two = Buffer.buffer();
    codec.encodeToWire(two, new CallBatch(calls.subList(0, 2)));
    assertEquals(5 * 4 + 8 + 4 + (4 + 3), two.length() - one.length());
  }

  @Test
  void aBatchOfAnswersKeepsCorrelationResultAndError() {
    ReplyBatch batch = new ReplyBatch(List.of(HandlerAnswer.of(7, Buffer.buffer("{\"a\":\"ü\"}")),
      HandlerAnswer.failed(8, new RpcException(4040, "no", new JsonObject().put("node", "B"))),
      HandlerAnswer.of(9, Buffer.buffer("3"))));

    ReplyBatchCodec codec = new ReplyBatchCodec();
    Buffer wire = Buffer.buffer().appendString("HEAD");
    codec.encodeToWire(wire, batch);
    wire.appendString("TRAILER");
    ReplyBatch decoded = codec.decodeFromWire(4, wire);

    assertEquals(List.of(7L, 8L, 9L), decoded.answers().stream().map(HandlerAnswer::correlation).toList());
    assertEquals(Buffer.buffer("{\"a\":\"ü\"}"), decoded.answers().get(0).result());
    RpcException error = decoded.answers().get(1).error();
    assertEquals(4040, error.code());
    assertEquals("no", error.getMessage());
    assertEquals(new JsonObject().put("node", "B"), error.data());
    assertNull(decoded.answers().get(1).result());
    assertEquals(Buffer.buffer("3"), decoded.answers().get(2).result());
  }
}
