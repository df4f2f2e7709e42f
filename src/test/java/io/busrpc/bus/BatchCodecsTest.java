package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The codecs that carry batches of calls and of answers between cluster nodes keep every call's
 * headers (repeated ones too) and params, and every answer's correlation id, result or error, in
 * order; the event bus hands them a buffer with its own bytes before the body.
 */
class BatchCodecsTest {

  @Test
  void aBatchOfCallsKeepsEveryCallsHeadersAndParams() {
    MultiMap first = MultiMap.caseInsensitiveMultiMap().add(Headers.UID, "Grüße \uD83D\uDE00").add(Headers.ROLES, "admin")
      .add(Headers.ROLES, "a|b,c").add(Headers.CORRELATION, "1").add(Headers.METHOD, "sum");
    MultiMap second = MultiMap.caseInsensitiveMultiMap().add(Headers.CORRELATION, "2").add(Headers.METHOD, "ping");
    CallBatch batch = new CallBatch(List.of(new CallBatch.Call(first, Buffer.buffer("[1,2]")),
      new CallBatch.Call(second, null), new CallBatch.Call(MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(""))));

    CallBatchCodec codec = new CallBatchCodec();
    Buffer wire = Buffer.buffer().appendString("HEADER");
    codec.encodeToWire(wire, batch);
    wire.appendString("TRAILER");
    CallBatch decoded = codec.decodeFromWire(6, wire);

    assertEquals(3, decoded.calls().size());
    assertEquals(first.entries().toString(), decoded.calls().get(0).headers().entries().toString());
    assertEquals(List.of("admin", "a|b,c"), decoded.calls().get(0).headers().getAll(Headers.ROLES));
    assertEquals(Buffer.buffer("[1,2]"), decoded.calls().get(0).params());
    assertEquals(second.entries().toString(), decoded.calls().get(1).headers().entries().toString());
    assertNull(decoded.calls().get(1).params());
    assertEquals(0, decoded.calls().get(2).headers().size());
    assertEquals(Buffer.buffer(""), decoded.calls().get(2).params());
  }

  @Test
  void aBatchOfAnswersKeepsCorrelationResultAndError() {
    ReplyBatch batch = new ReplyBatch(List.of(new ReplyBatch.Reply("7", Buffer.buffer("{\"a\":\"ü\"}")),
      new ReplyBatch.Reply("8", new RpcException(4040, "no", new JsonObject().put("node", "B"))),
      new ReplyBatch.Reply("9", Buffer.buffer("3"))));

    ReplyBatchCodec codec = new ReplyBatchCodec();
    Buffer wire = Buffer.buffer().appendString("HEAD");
    codec.encodeToWire(wire, batch);
    wire.appendString("TRAILER");
    ReplyBatch decoded = codec.decodeFromWire(4, wire);

    assertEquals(List.of("7", "8", "9"), decoded.replies().stream().map(ReplyBatch.Reply::correlation).toList());
    assertEquals(Buffer.buffer("{\"a\":\"ü\"}"), decoded.replies().get(0).body());
    RpcException error = assertInstanceOf(RpcException.class, decoded.replies().get(1).body());
    assertEquals(4040, error.code());
    assertEquals("no", error.getMessage());
    assertEquals(new JsonObject().put("node", "B"), error.data());
    assertEquals(Buffer.buffer("3"), decoded.replies().get(2).body());
  }
}
