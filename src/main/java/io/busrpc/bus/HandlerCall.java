package io.busrpc.bus;

import io.busrpc.handler.Caller;
import io.vertx.core.buffer.Buffer;

/**
 * A gateway's call to an {@code RpcVerticle}, as one event-bus body: everything the handler needs
 * travels in it, so the message has no delivery headers to build, copy on delivery and parse
 * (they were about a tenth of the gateway's profile). On one node the body is handed over as it is
 * ({@link HandlerCallCodec}); across nodes it is encoded once.
 *
 * @param method      the JSON-RPC method name
 * @param caller      who called
 * @param replyTo     the gateway's reply address, where the {@link HandlerAnswer} goes
 * @param correlation the gateway's id of the call, echoed in the answer
 * @param params      the params as the JSON text the client sent, or {@code null} when it sent none
 */
public record HandlerCall(String method, Caller caller, String replyTo, long correlation, Buffer params) {
}
