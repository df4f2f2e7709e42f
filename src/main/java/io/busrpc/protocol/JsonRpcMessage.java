package io.busrpc.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One JSON-RPC message read from a frame: a request, a notification, a response, or an invalid
 * message that must be answered with {@link ErrorCode#INVALID_REQUEST}.
 *
 * <p>{@code id}, {@code params}, {@code result} and {@code error} are kept as the exact JSON bytes
 * the peer sent, so an id is echoed untouched and params travel on without a re-encode.
 */
public final class JsonRpcMessage {

  /** What kind of message this is. */
  public enum Kind { REQUEST, NOTIFICATION, RESPONSE, INVALID }

  private final Kind kind;
  private final Buffer id;
  private final String method;
  private final Buffer params;
  private final Buffer result;
  private final Buffer error;
  private final String problem;

  private JsonRpcMessage(Kind kind, Buffer id, String method, Buffer params, Buffer result, Buffer error,
                         String problem) {
    this.kind = kind;
    this.id = id;
    this.method = method;
    this.params = params;
    this.result = result;
    this.error = error;
    this.problem = problem;
  }

  static JsonRpcMessage request(Buffer id, String method, Buffer params) {
    return new JsonRpcMessage(id == null ? Kind.NOTIFICATION : Kind.REQUEST, id, method, params, null, null, null);
  }

  static JsonRpcMessage response(Buffer id, Buffer result, Buffer error) {
    return new JsonRpcMessage(Kind.RESPONSE, id, null, null, result, error, null);
  }

  static JsonRpcMessage invalid(Buffer id, String problem) {
    return new JsonRpcMessage(Kind.INVALID, id, null, null, null, null, problem);
  }

  /** @return the kind of message */
  public Kind kind() {
    return kind;
  }

  /** @return the raw JSON of the id, or {@code null} when the message has none (or it was unusable) */
  public Buffer id() {
    return id;
  }

  /** @return the method of a request or notification */
  public String method() {
    return method;
  }

  /** @return the raw JSON array or object of the params, or {@code null} when omitted */
  public Buffer params() {
    return params;
  }

  /** @return the raw JSON of a response's result, or {@code null} for an error response */
  public Buffer result() {
    return result;
  }

  /** @return the raw JSON object of a response's error, or {@code null} for a success response */
  public Buffer error() {
    return error;
  }

  /** @return why an {@link Kind#INVALID} message is invalid */
  public String problem() {
    return problem;
  }

  /** @return true for a request, which must be answered */
  public boolean expectsAnswer() {
    return kind == Kind.REQUEST || kind == Kind.INVALID;
  }
}
