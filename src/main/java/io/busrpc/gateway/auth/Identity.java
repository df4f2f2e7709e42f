package io.busrpc.gateway.auth;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a client is after a successful login.
 *
 * @param uid   the user id; the connection becomes reachable at {@code Addresses.client(uid)}
 * @param roles the roles granted, checked against methods that require roles
 */
public record Identity(String uid, Set<String> roles) {

  /** Checks the uid and copies the roles. */
  public Identity {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("uid must not be empty");
    }
    roles = roles == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(roles));
    for (String role : roles) {
      if (role == null || role.isEmpty()) {
        throw new IllegalArgumentException("a role must be a non-empty string");
      }
    }
  }
}
