package io.busrpc.client.impl;

import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.ParsedFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Which of the gateway's messages count (PROTOCOL §8, "Counting"), and what its acks say. */
final class Counting {

  private Counting() {
  }

  /**
   * @return whether a JSON text from the gateway counts: all but a single {@code rpc.ack},
   *     {@code rpc.shutdown} or {@code rpc.ping} (the answers to the client's uncounted messages are
   *     recognised by id)
   */
  static boolean counts(ParsedFrame frame) {
    if (frame.batch() || frame.messages().size() != 1) {
      return true;
    }
    JsonRpcMessage message = frame.messages().get(0);
    return switch (message.kind()) {
      case NOTIFICATION -> !"rpc.ack".equals(message.method()) && !"rpc.shutdown".equals(message.method());
      case REQUEST -> !"rpc.ping".equals(message.method());
      default -> true;
    };
  }

  /** @return the {@code seq} of an {@code rpc.ack}'s params, or 0 (acknowledges nothing) when they are not one */
  static long ackedSeq(Buffer params) {
    try {
      return params != null && Json.decodeValue(params) instanceof JsonObject p && p.getValue("seq") instanceof Number n
        ? n.longValue() : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
