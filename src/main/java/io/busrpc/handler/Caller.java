package io.busrpc.handler;

import io.busrpc.bus.Headers;
import io.vertx.core.MultiMap;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who made a call: the connection, its remote address and, once logged in, its uid and roles.
 *
 * <p>The gateway sets these from the connection it read the call from; nothing a client sends can
 * change them. A handler method receives it by declaring a parameter of this type; a raw consumer
 * reads it with {@link #fromHeaders(MultiMap)}.
 *
 * @param connectionId  the gateway's id of the connection, unique in the cluster
 * @param remoteAddress the client's address as {@code host:port}
 * @param uid           the uid the connection logged in with, or {@code null}
 * @param roles         the roles the authenticator granted (empty when not logged in)
 */
public record Caller(String connectionId, String remoteAddress, String uid, Set<String> roles) {

  private static final String CONNECTION_HEADER = Headers.CONNECTION;
  private static final String REMOTE_HEADER = Headers.REMOTE;
  private static final String UID_HEADER = Headers.UID;
  private static final String ROLES_HEADER = Headers.ROLES;

  /** Creates a caller; {@code roles} is copied. */
  public Caller {
    roles = roles == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(roles));
  }

  /** @return true when the connection is logged in */
  public boolean loggedIn() {
    return uid != null;
  }

  /** @return true when the caller has the role */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** Writes this caller into delivery headers. */
  public void toHeaders(MultiMap headers) {
    headers.set(CONNECTION_HEADER, connectionId);
    headers.set(REMOTE_HEADER, remoteAddress);
    if (uid != null) {
      headers.set(UID_HEADER, uid);
    }
    headers.remove(ROLES_HEADER);
    for (String role : roles) {
      headers.add(ROLES_HEADER, role);
    }
  }

  /** @return the caller described by the delivery headers of a message the gateway sent */
  public static Caller fromHeaders(MultiMap headers) {
    Set<String> roleSet = new LinkedHashSet<>(headers.getAll(ROLES_HEADER));
    return new Caller(headers.get(CONNECTION_HEADER), headers.get(REMOTE_HEADER), headers.get(UID_HEADER), roleSet);
  }
}
