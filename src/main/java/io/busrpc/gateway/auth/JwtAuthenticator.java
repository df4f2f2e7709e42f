package io.busrpc.gateway.auth;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Verifies {@code {"token": "<JWT>"}} with vertx-auth-jwt: the signature (HS256 secret or an
 * RS256/ES256 public key), the expiry and, when configured, issuer and audience. The uid is the
 * {@code sub} claim, the roles come from the configured claim (default {@code roles}).
 */
final class JwtAuthenticator implements Authenticator {

  private final JWTAuth jwt;
  private final String rolesClaim;

  JwtAuthenticator(Vertx vertx, AuthOptions options) {
    String key = options.getJwtKey();
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("auth.key must hold the HS256 secret or the PEM public key");
    }
    JWTOptions verify = new JWTOptions();
    if (options.getJwtIssuer() != null) {
      verify.setIssuer(options.getJwtIssuer());
    }
    if (options.getJwtAudience() != null) {
      verify.addAudience(options.getJwtAudience());
    }
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(options.getJwtAlgorithm()).setBuffer(key))
      .setJWTOptions(verify));
    this.rolesClaim = options.getJwtRolesClaim();
  }

  @Override
  public Future<Identity> authenticate(JsonObject params, String remoteAddress) {
    if (!(params.getValue("token") instanceof String token)) {
      return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "rpc.login needs {\"token\": \"<JWT>\"}"));
    }
    return jwt.authenticate(new TokenCredentials(token)).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "invalid token"));
      }
      JsonObject claims = ar.result().principal();
      if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "the token has no sub claim"));
      }
      Object roles = claims.getValue(rolesClaim);
      return Future.succeededFuture(new Identity(sub,
        BusAuthenticator.roles(roles instanceof JsonArray a ? a : roles == null ? null : new JsonArray().add(roles))));
    });
  }
}
