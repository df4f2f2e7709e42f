package io.busrpc.gateway.auth;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** Trusts the uid the client names, {@code {"uid": "alice"}}; for local try-outs only. No roles. */
final class AnonymousAuthenticator implements Authenticator {

  @Override
  public Future<Identity> authenticate(JsonObject params, String remoteAddress) {
    Object uid = params.getValue("uid");
    if (!(uid instanceof String s) || s.isEmpty()) {
      return Future.failedFuture(new RpcException(ErrorCode.LOGIN_FAILED, "rpc.login needs {\"uid\": \"...\"}"));
    }
    return Future.succeededFuture(new Identity(s, Set.of()));
  }
}
