package io.busrpc.client.impl;

import io.busrpc.protocol.JsonRpcParser;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of the gateway's messages the Java client counts: PROTOCOL §8, "Counting". */
class CountingTest {

  private static boolean counts(String text) {
    return Counting.counts(JsonRpcParser.parse(Buffer.buffer(text)));
  }

  @Test
  void aSingleAckShutdownOrPingIsNotCountedEverythingElseIs() {
    assertFalse(counts("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ack\",\"params\":{\"seq\":3}}"));
    assertFalse(counts("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.shutdown\",\"params\":{\"reason\":\"server shutting down\"}}"));
    assertFalse(counts("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":7}"));
    assertTrue(counts("{\"jsonrpc\":\"2.0\",\"method\":\"chat.message\",\"params\":{}}"));
    assertTrue(counts("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.replaced\",\"params\":{}}"));
    assertTrue(counts("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1}"));
    assertTrue(counts("[{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ack\",\"params\":{\"seq\":3}}]"), "inside a batch it counts");
  }
}
