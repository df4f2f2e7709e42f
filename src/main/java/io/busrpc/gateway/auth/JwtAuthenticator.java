package io.busrpc.gateway.auth;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Verifies {@code {"token": "<JWT>"}} with vertx-auth-jwt: the signature (HS256 secret or an
 * RS256/ES256 public key), the expiry and, when configured, issuer and audience. The uid is the
 * {@code sub} claim, the roles come from the configured claim (default {@code roles}), a string or
 * an array of strings. A token without {@code exp} is refused unless {@code requireExpiry} is off;
 * claims of the wrong type ({@code exp} as a string, roles as an object) are refused, never thrown.
 */
final class JwtAuthenticator implements Authenticator {

  private final JWTAuth jwt;
  private static final String[] TIME_CLAIMS = {"exp", "nbf", "iat"};

  private final String rolesClaim;
  private final boolean requireExpiry;

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
    this.requireExpiry = options.isRequireExpiry();
  }

  @Override
  public Future<Identity> authenticate(JsonObject params, String remoteAddress) {
    if (!(params.getValue("token") instanceof String token)) {
      return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "rpc.login needs {\"token\": \"<JWT>\"}"));
    }
    Future<User> verified;
    try {
      verified = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt reads a signed token's time claims with casts: "exp": "soon" throws here.
      verified = Future.failedFuture(e);
    }
    return verified.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "invalid token"));
      }
      try {
        // The whole payload: vertx-auth-jwt keeps exp, iat and nbf out of the principal.
        return Future.succeededFuture(identity(ar.result().attributes().getJsonObject("accessToken")));
      } catch (RpcException e) {
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "invalid token"));
      }
    });
  }

  /** The identity the verified claims describe; refuses claims of the wrong type. */
  private Identity identity(JsonObject claims) {
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      throw new RpcException(ErrorCode.LOGIN_FAILED, "the token has no sub claim");
    }
    Object exp = claims.getValue("exp");
    if (exp == null && requireExpiry) {
      throw new RpcException(ErrorCode.LOGIN_FAILED, "the token has no exp claim");
    }
    for (String time : TIME_CLAIMS) {
      if (claims.getValue(time) != null && !(claims.getValue(time) instanceof Number)) {
        throw new RpcException(ErrorCode.LOGIN_FAILED, "the token's " + time + " claim is not a number");
      }
    }
    Object roles = claims.getValue(rolesClaim);
    Set<String> granted = new LinkedHashSet<>();
    if (roles instanceof String role) {
      granted.add(role);
    } else if (roles instanceof JsonArray array) {
      for (Object role : array) {
        if (!(role instanceof String name) || name.isEmpty()) {
          throw new RpcException(ErrorCode.LOGIN_FAILED, "the token's " + rolesClaim + " claim must hold non-empty strings");
        }
        granted.add(name);
      }
    } else if (roles != null) {
      throw new RpcException(ErrorCode.LOGIN_FAILED, "the token's " + rolesClaim + " claim must be a string or an array of strings");
    }
    return new Identity(sub, granted);
  }
}
