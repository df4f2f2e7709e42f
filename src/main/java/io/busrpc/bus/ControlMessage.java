package io.busrpc.bus;

/**
 * The instructions one end of busrpc sends to a connection's session, in the {@link Headers#CONTROL}
 * header: server code (through {@code Clients}) to the uid's connection, or a newer login to the
 * gateway of the uid's holder.
 */
public enum ControlMessage {

  /** A newer login of the uid takes over: the holder steps down, tells its client and closes. */
  REPLACED("replaced"),
  /** The connection joins the group named in the body. */
  JOIN("join"),
  /** The connection leaves the group named in the body; answers whether it was a member. */
  LEAVE("leave"),
  /** Is the uid still connected? Answered {@code true} by its connection. */
  ONLINE("online"),
  /**
   * A client came back on another node to a session of the gateway instance at this control
   * address (body: the connection id, the token's secret, the client's {@code seq}, the relay's
   * address): the session takes the connection over through the relay.
   */
  RESUME("resume");

  private final String value;

  ControlMessage(String value) {
    this.value = value;
  }

  /** @return the header value */
  public String value() {
    return value;
  }

  /** @return the control message of a header value, or {@code null} for none or an unknown one */
  public static ControlMessage of(String value) {
    if (value != null) {
      for (ControlMessage message : values()) {
        if (message.value.equals(value)) {
          return message;
        }
      }
    }
    return null;
  }
}
