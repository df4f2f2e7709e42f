package io.busrpc.bus;

import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;

/**
 * An {@code RpcVerticle}'s answer to a {@link HandlerCall}, as one event-bus body without delivery
 * headers: the result as JSON text, or the error.
 *
 * @param correlation the call's id
 * @param result      the result as JSON text, when the call succeeded
 * @param error       the failure, or {@code null} when the call succeeded
 */
public record HandlerAnswer(long correlation, Buffer result, RpcException error) {

  /** @return the answer of a call that succeeded */
  public static HandlerAnswer of(long correlation, Buffer result) {
    return new HandlerAnswer(correlation, result, null);
  }

  /** @return the answer of a call that failed */
  public static HandlerAnswer failed(long correlation, RpcException error) {
    return new HandlerAnswer(correlation, null, error);
  }
}
