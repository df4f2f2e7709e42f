package io.busrpc.bus;

import java.util.List;

/**
 * The answers that one handler event-loop turn sends to one gateway's reply address on another
 * node, carried as one event-bus message (see {@link ReplyBatchCodec}); the counterpart of
 * {@link CallBatch}.
 *
 * @param replies the answers
 */
public record ReplyBatch(List<Reply> replies) {

  /**
   * One answer.
   *
   * @param correlation the call's correlation id
   * @param body        the result as JSON text ({@link io.vertx.core.buffer.Buffer}) or an
   *                    {@link io.busrpc.protocol.RpcException}
   */
  public record Reply(String correlation, Object body) {
  }
}
