package io.busrpc.protocol;

/**
 * The JSON-RPC error codes busrpc sends: the specification's own, and the gateway's conditions in
 * the server-error range -32000..-32099. {@code docs/PROTOCOL.md} documents each one.
 */
public enum ErrorCode {
  /** Invalid JSON was received (the frame is not one well-formed JSON text in UTF-8). */
  PARSE_ERROR(-32700, "Parse error"),
  /** The JSON is not a valid request object. */
  INVALID_REQUEST(-32600, "Invalid Request"),
  /** No handler serves the method, or the method is not reachable by clients. */
  METHOD_NOT_FOUND(-32601, "Method not found"),
  /** Wrong number or type of parameters. */
  INVALID_PARAMS(-32602, "Invalid params"),
  /** The handler failed in a way it did not describe. */
  INTERNAL_ERROR(-32603, "Internal error"),

  /** The handler (or the client, for server to client calls) did not answer within the call timeout. */
  TIMEOUT(-32000, "Call timed out"),
  /** The method may only be called after {@code rpc.login}. */
  NOT_LOGGED_IN(-32001, "Not logged in"),
  /** The caller lacks a role the method requires. */
  FORBIDDEN(-32002, "Forbidden"),
  /** The client addressed by a server to client call is not connected. */
  CLIENT_OFFLINE(-32003, "Client offline"),
  /** Too many calls are pending on this connection. */
  TOO_MANY_PENDING_CALLS(-32004, "Too many pending calls"),
  /** A frame is larger than the configured maximum; the connection is closed after this error. */
  FRAME_TOO_LARGE(-32005, "Frame too large"),
  /** The gateway is shutting down and accepts no new calls. */
  SHUTTING_DOWN(-32006, "Server shutting down"),
  /** {@code rpc.login} was refused by the authenticator. */
  LOGIN_FAILED(-32007, "Login failed"),
  /** A batch holds more requests than the configured maximum. */
  BATCH_TOO_LARGE(-32008, "Batch too large"),
  /** The node, or the client's IP address, has as many connections as allowed; it is closed. */
  TOO_MANY_CONNECTIONS(-32009, "Too many connections"),
  /**
   * {@code rpc.resume} cannot resume: the token is unknown, expired, already used or superseded,
   * or the session cannot resend from the {@code seq} given (which ends it). Log in afresh.
   */
  SESSION_EXPIRED(-32010, "Session expired"),
  /** The client is already in as many groups as {@code gateway.maxGroupsPerConnection} allows. */
  TOO_MANY_GROUPS(-32011, "Too many groups"),
  /**
   * The node whose handler had the call left the cluster (killed, frozen past failure detection, or
   * stopped) before it answered; the call may or may not have run there.
   */
  NODE_LEFT(-32012, "Handler node left"),
  /**
   * A client answered a server to client call with an error code of the range JSON-RPC and the
   * gateway reserve (-32768..-32000); its error is kept as {@code data}.
   */
  CLIENT_RESERVED_ERROR(-32013, "Client answered with a reserved error code");

  private final int code;
  private final String message;

  ErrorCode(int code, String message) {
    this.code = code;
    this.message = message;
  }

  /** @return the numeric JSON-RPC error code */
  public int code() {
    return code;
  }

  /** @return the short default message sent with this code */
  public String message() {
    return message;
  }

  /** @return the constant with this numeric code, or {@code null} when busrpc does not define it */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
