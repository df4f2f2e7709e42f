package io.busrpc.bus;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.eventbus.ReplyException;

/** Maps event-bus failures to the JSON-RPC errors clients and server code see. */
public final class BusFailures {

  private BusFailures() {
  }

  /**
   * @param failure   why a bus request failed
   * @param noHandler the error for "nobody listens at that address" (method not found, client offline)
   * @return an {@link RpcException} as it is, a recipient's {@code fail(code, message)} with its
   *     code and message, the timeout code for a timeout, otherwise internal error
   */
  public static RpcException toRpcException(Throwable failure, ErrorCode noHandler) {
    if (failure instanceof RpcException rpc) {
      return rpc;
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> new RpcException(noHandler);
        case TIMEOUT -> new RpcException(ErrorCode.TIMEOUT);
        case RECIPIENT_FAILURE -> new RpcException(reply.failureCode(), reply.getMessage());
        default -> new RpcException(ErrorCode.INTERNAL_ERROR);
      };
    }
    return new RpcException(ErrorCode.INTERNAL_ERROR);
  }
}
