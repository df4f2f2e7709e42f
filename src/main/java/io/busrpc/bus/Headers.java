package io.busrpc.bus;

/** The names of every delivery header busrpc sets on event-bus messages, in one place. */
public final class Headers {

  /** Caller: the gateway's id of the connection, unique in the cluster. */
  public static final String CONNECTION = "busrpc.connection";
  /** Caller: the client's remote address. */
  public static final String REMOTE = "busrpc.remote";
  /** Caller: the uid, absent when not logged in. */
  public static final String UID = "busrpc.uid";
  /** Caller: the roles, one header value per role (a role name may hold any character). */
  public static final String ROLES = "busrpc.roles";

  /**
   * Marks a message to a connection as an instruction (a {@link ControlMessage}) rather than a call;
   * its value is {@link ControlMessage#value()}.
   */
  public static final String CONTROL = "busrpc.control";
  /**
   * A call to a client address: how long the caller waits, in ms. The gateway gives the client no
   * longer than that (nor than its own call timeout), so calls the caller gave up on do not keep
   * holding the client's pending-call slots.
   */
  public static final String TIMEOUT = "busrpc.timeout";

  /** A call to a client through {@code Clients}: the address the answer goes to (see {@link Replies}). */
  public static final String REPLY_TO = "busrpc.reply-to";
  /** A call to a client through {@code Clients}, and its answer: the correlation id (see {@link Replies}). */
  public static final String CORRELATION = "busrpc.correlation";
  /**
   * The method a message is for: a call or notification to a client address whose body is its
   * params as JSON text (how {@code Clients} sends them).
   */
  public static final String METHOD = "busrpc.method";
  /** An announcement that handlers changed ({@code Addresses.handlersChanged()}): {@code leaving} or {@code changed}. */
  public static final String CHANGE = "busrpc.change";

  private Headers() {
  }
}
