package io.busrpc.bus;

import java.util.List;

/**
 * Calls that one gateway event-loop turn sends to one handler address on another node, carried as
 * one event-bus message (see {@link CallBatchCodec}): a message between nodes costs a wire encoding,
 * a socket write and read and a hand-off on each side, whatever its size, so calls pipelined by
 * clients cross the cluster in a fraction of the messages. Each call is the {@link HandlerCall} it
 * would have been as a message of its own; the handler answers each on its own, its answers
 * gathered the same way ({@link ReplyBatch}).
 *
 * @param calls the calls, in the order the gateway made them
 */
public record CallBatch(List<HandlerCall> calls) {
}
