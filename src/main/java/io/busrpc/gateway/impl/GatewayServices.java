package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.auth.Authenticator;
import io.vertx.core.Vertx;

import java.util.List;

/** What every connection of one gateway instance shares: options, forwarder, authenticator. */
final class GatewayServices {

  final Vertx vertx;
  final GatewayOptions options;
  final Addresses addresses;
  final Forwarder forwarder;
  final Authenticator authenticator;
  private final List<String> publicMethods;

  GatewayServices(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.addresses = Addresses.of(options.getAddressPrefix());
    this.forwarder = new Forwarder(vertx, options);
    this.authenticator = Authenticator.create(vertx, options.getAuth());
    this.publicMethods = List.copyOf(options.getPublicMethods());
  }

  /** @return true when some methods need a login, so the login timeout applies */
  boolean loginRequired() {
    return !publicMethods.contains("*");
  }

  /** @return true when the method may be called before login */
  boolean isPublic(String method) {
    for (String pattern : publicMethods) {
      if (pattern.endsWith("*") ? method.startsWith(pattern.substring(0, pattern.length() - 1)) : method.equals(pattern)) {
        return true;
      }
    }
    return false;
  }
}
