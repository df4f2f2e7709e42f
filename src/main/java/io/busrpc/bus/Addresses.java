package io.busrpc.bus;

import java.util.Objects;

/**
 * Builds every event-bus address busrpc uses, under one prefix.
 *
 * <p>Clients reach only {@link #method(String)} addresses: the gateway puts a method name under the
 * method prefix and nothing else, so no client can address another client, a group or an internal
 * service. Server code reaches a logged-in client at {@link #client(String)}.
 */
public final class Addresses {

  /** The prefix used when the configuration names none. */
  public static final String DEFAULT_PREFIX = "busrpc";

  /** Addresses under {@link #DEFAULT_PREFIX}. */
  public static final Addresses DEFAULT = new Addresses(DEFAULT_PREFIX);

  private final String prefix;
  private final String methodPrefix;
  private final String clientPrefix;

  private Addresses(String prefix) {
    this.prefix = prefix;
    this.methodPrefix = prefix + ".method.";
    this.clientPrefix = prefix + ".client.";
  }

  /**
   * @param prefix the address prefix from the configuration
   * @return the addresses under that prefix
   * @throws IllegalArgumentException when the prefix is empty
   */
  public static Addresses of(String prefix) {
    Objects.requireNonNull(prefix, "addressPrefix");
    if (prefix.isBlank()) {
      throw new IllegalArgumentException("addressPrefix must not be empty");
    }
    return DEFAULT_PREFIX.equals(prefix) ? DEFAULT : new Addresses(prefix);
  }

  /** @return the prefix all addresses start with */
  public String prefix() {
    return prefix;
  }

  /** @return the address a handler of the RPC method {@code name} consumes */
  public String method(String name) {
    return methodPrefix + name;
  }

  /** @return the address of the client logged in as {@code uid} */
  public String client(String uid) {
    return clientPrefix + uid;
  }

  /** @return the address every member of a group listens on */
  public String group(String name) {
    return prefix + ".group." + name;
  }

  /** @return the address every logged-in client listens on */
  public String broadcast() {
    return prefix + ".broadcast";
  }

  /**
   * @return the address at which the instances of one {@code RpcVerticle} class on one node take
   *     calls from gateways ({@link HandlerCall}s); out of reach of
   *     clients. Sending there, the gateway knows which node each call went to.
   */
  public String handler(String className, String nodeId) {
    return internal("handler." + nodeId + "." + className);
  }

  /**
   * @return the address at which the instance of one {@code RpcVerticle} class that runs on one
   *     event loop takes calls from the gateway instances on that event loop (a local consumer,
   *     see {@link LoopHandlers})
   */
  public String handlerOnLoop(String className, String nodeId, String loop) {
    return handler(className, nodeId) + "@" + loop;
  }

  /**
   * @return the address on which handler verticles announce (publish) the names of methods whose
   *     serving nodes changed, so that gateways drop what they cached about them
   */
  public String handlersChanged() {
    return internal("handlers.changed");
  }

  /** @return the address of one of busrpc's own services, out of reach of clients */
  public String internal(String name) {
    return prefix + ".internal." + name;
  }
}
