package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.auth.Authenticator;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What every connection of one gateway instance shares: options, forwarder, authenticator, uid holders, fan-outs, discovery. */
final class GatewayServices {

  final Vertx vertx;
  final GatewayOptions options;
  final Addresses addresses;
  final Forwarder forwarder;
  final Authenticator authenticator;
  final GatewayMetrics metrics;
  final Discovery discovery;
  final UidHolders holders;
  /** The node's open connections (and the sessions that wait for their clients to resume), for the connection limits. */
  final ConnectionCounts counts;
  /** The node's sessions whose clients may resume them. */
  final ResumableSessions resumables;
  /** One consumer per broadcast or group address for all the sessions of this instance that listen there. */
  final Fanouts fanouts;
  /** This gateway instance's id, unique in the cluster. */
  final String instanceId;
  /** Where this gateway instance takes instructions for its connections (a newer login's step-down request). */
  final String controlAddress;
  private final List<String> publicMethods;
  private final Map<String, List<String>> methodRoles;

  GatewayServices(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.addresses = Addresses.of(options.getAddressPrefix());
    this.forwarder = new Forwarder(vertx, options);
    this.authenticator = Authenticator.create(vertx, options.getAuth());
    this.metrics = GatewayMetrics.of(vertx);
    this.holders = new UidHolders(vertx, addresses);
    this.counts = ConnectionCounts.of(vertx);
    this.resumables = ResumableSessions.of(vertx);
    this.fanouts = new Fanouts(vertx);
    this.instanceId = UUID.randomUUID().toString();
    this.controlAddress = addresses.internal("gateway." + instanceId);
    this.publicMethods = List.copyOf(options.getPublicMethods());
    this.methodRoles = Map.copyOf(options.getMethodRoles());
    this.discovery = new Discovery(this);
  }

  /** @return true when some methods need a login, so the login timeout applies */
  boolean loginRequired() {
    return !publicMethods.contains("*");
  }

  /** @return true when the method may be called before login */
  boolean isPublic(String method) {
    for (String pattern : publicMethods) {
      if (matches(pattern, method)) {
        return true;
      }
    }
    return false;
  }

  /** @return true unless {@code methodRoles} requires a role for the method that the caller lacks */
  boolean isAllowed(String method, Set<String> callerRoles) {
    for (Map.Entry<String, List<String>> entry : methodRoles.entrySet()) {
      if (matches(entry.getKey(), method) && entry.getValue().stream().noneMatch(callerRoles::contains)) {
        return false;
      }
    }
    return true;
  }

  /** @return the role lists of {@code methodRoles} that apply to the method; the caller needs one role of each */
  List<List<String>> requiredRoles(String method) {
    List<List<String>> required = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : methodRoles.entrySet()) {
      if (matches(entry.getKey(), method)) {
        required.add(entry.getValue());
      }
    }
    return required;
  }

  private static boolean matches(String pattern, String method) {
    return pattern.endsWith("*") ? method.startsWith(pattern.substring(0, pattern.length() - 1)) : method.equals(pattern);
  }
}
