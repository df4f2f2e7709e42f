package io.busrpc.gateway.auth;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Asks a verticle of yours: sends {@code {"params": <login params>, "remoteAddress": "host:port"}}
 * to a bus address and expects {@code {"uid": "...", "roles": [...]}} back, or a failure, whose
 * message the client sees with the login-failed code.
 */
final class BusAuthenticator implements Authenticator {

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions delivery;

  BusAuthenticator(Vertx vertx, String address, long timeout) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("auth.address must name the bus address of the auth verticle");
    }
    this.vertx = vertx;
    this.address = address;
    this.delivery = new DeliveryOptions().setSendTimeout(timeout);
  }

  @Override
  public Future<Identity> authenticate(JsonObject params, String remoteAddress) {
    JsonObject request = new JsonObject().put("params", params).put("remoteAddress", remoteAddress);
    return vertx.eventBus().<Object>request(address, request, delivery).transform(ar -> {
      if (ar.failed()) {
        String why = ar.cause() instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE
          ? ar.cause().getMessage() : "the authenticator is not available";
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, why));
      }
      if (!(ar.result().body() instanceof JsonObject reply) || !(reply.getValue("uid") instanceof String uid) || uid.isEmpty()) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "the authenticator sent no uid"));
      }
      if (!(reply.getValue("roles") instanceof JsonArray roles) && reply.getValue("roles") != null) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "the authenticator sent roles that are not an array"));
      }
      try {
        return Future.succeededFuture(new Identity(uid, roles(reply.getJsonArray("roles"))));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "the authenticator sent an empty role"));
      }
    });
  }

  private static Set<String> roles(JsonArray array) {
    Set<String> roles = new LinkedHashSet<>();
    if (array != null) {
      array.forEach(role -> roles.add(String.valueOf(role)));
    }
    return roles;
  }
}
