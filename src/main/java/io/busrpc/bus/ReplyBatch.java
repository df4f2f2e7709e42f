package io.busrpc.bus;

import java.util.List;

/**
 * The answers that one handler event-loop turn sends to one gateway's reply address on another
 * node, carried as one event-bus message (see {@link ReplyBatchCodec}); the counterpart of
 * {@link CallBatch}.
 *
 * @param answers the answers
 */
public record ReplyBatch(List<HandlerAnswer> answers) {
}
