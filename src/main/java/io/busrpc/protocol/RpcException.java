package io.busrpc.protocol;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The one error type of busrpc: a JSON-RPC error with a code, a message and optional {@code data}.
 *
 * <p>It crosses the event bus unchanged (handlers reply with it, callers' futures fail with it), so
 * a handler's error reaches the client with its own code, message and data, and a client's error
 * reaches server code the same way. {@code data} is any JSON value in its Vert.x form
 * ({@code JsonObject}, {@code JsonArray}, String, Number, Boolean) or {@code null}.
 */
public class RpcException extends ReplyException {

  private final Object data;

  /** Creates an error with the given code and message and no data. */
  public RpcException(int code, String message) {
    this(code, message, null);
  }

  /** Creates an error with the given code, message and data. */
  public RpcException(int code, String message, Object data) {
    super(ReplyFailure.RECIPIENT_FAILURE, code, message == null ? "" : message);
    this.data = data;
  }

  /** Creates an error of a busrpc code with its default message. */
  public RpcException(ErrorCode code) {
    this(code.code(), code.message(), null);
  }

  /** Creates an error of a busrpc code with a message of its own. */
  public RpcException(ErrorCode code, String message) {
    this(code.code(), message, null);
  }

  /** @return the JSON-RPC error code */
  public int code() {
    return failureCode();
  }

  /** @return the JSON-RPC error's {@code data} member, or {@code null} */
  public Object data() {
    return data;
  }

  /** Stack traces never leave the process, so do not pay for them. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  @Override
  public String toString() {
    return "RpcException(" + code() + ", " + getMessage() + (data == null ? "" : ", " + data) + ")";
  }
}
