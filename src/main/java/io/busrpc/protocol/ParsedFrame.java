package io.busrpc.protocol;

import java.util.List;

/**
 * The messages of one frame: a single message, or the messages of a batch (a JSON array).
 *
 * @param batch    true when the frame was a non-empty JSON array
 * @param messages the messages in the order they were sent
 */
public record ParsedFrame(boolean batch, List<JsonRpcMessage> messages) {
}
