package io.busrpc.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Checks the params of {@code rpc.login} and says who the client is.
 *
 * <p>Implementations: {@code anonymous} (trusts the given uid, for try-outs), {@code bus} (asks a
 * verticle of yours at a bus address) and {@code jwt} (verifies a token). {@link #create} picks one
 * from {@link AuthOptions}.
 */
public interface Authenticator {

  /**
   * @param params        the params of {@code rpc.login}
   * @param remoteAddress the client's {@code host:port}
   * @return the identity; fails with an {@code RpcException} (login failed) when refused
   */
  Future<Identity> authenticate(JsonObject params, String remoteAddress);

  /**
   * @return the authenticator the options describe
   * @throws IllegalArgumentException when the options are incomplete
   */
  static Authenticator create(Vertx vertx, AuthOptions options) {
    return switch (options.getType()) {
      case NONE -> (params, remote) -> Future.failedFuture(
        new io.busrpc.protocol.RpcException(io.busrpc.protocol.ErrorCode.LOGIN_FAILED, "no authenticator is configured"));
      case ANONYMOUS -> new AnonymousAuthenticator();
      case BUS -> new BusAuthenticator(vertx, options.getAddress(), options.getTimeout());
      case JWT -> new JwtAuthenticator(vertx, options);
    };
  }
}
