package io.busrpc.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * Calls that one gateway event-loop turn sends to one handler address on another node, carried as
 * one event-bus message (see {@link CallBatchCodec}): a message between nodes costs a wire encoding,
 * a socket write and read and a hand-off on each side, whatever its size, so calls pipelined by
 * clients cross the cluster in a fraction of the messages. Each call keeps the headers and params
 * it would have had as a message of its own; the handler answers each on its own
 * ({@link BatchedCall}), its answers gathered the same way ({@link ReplyBatch}).
 *
 * @param calls the calls, in the order the gateway made them
 */
public record CallBatch(List<Call> calls) {

  /**
   * One call of a batch.
   *
   * @param headers its delivery headers (caller, reply address, correlation id, method)
   * @param params  its params as JSON text, or {@code null}
   */
  public record Call(MultiMap headers, Buffer params) {
  }
}
