package io.busrpc.gateway;

/**
 * A server of the node could not bind its address: the message names the server, the host and
 * the port, so an operator sees which listener of the configuration to change (the socket error
 * alone, "Address already in use", does not say).
 */
public final class ListenException extends RuntimeException {

  private final String host;
  private final int port;

  /**
   * @param server what could not listen, e.g. "the gateway" or "the management server"
   * @param host the configured host
   * @param port the configured port
   * @param cause the socket error
   */
  public ListenException(String server, String host, int port, Throwable cause) {
    super(server + " cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
    this.host = host;
    this.port = port;
  }

  /** @return the host that could not be bound */
  public String host() {
    return host;
  }

  /** @return the port that could not be bound */
  public int port() {
    return port;
  }
}
