package io.busrpc.gateway.impl;

import io.busrpc.gateway.auth.Identity;
import io.busrpc.handler.Caller;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The session core used without a session, for HTTP {@code POST /rpc}: one request or batch in, its
 * answer out, with the same parsing, checks, limits and metrics as a connection (the same
 * {@link Dispatcher}). Each request is authenticated on its own by the configured authenticator
 * with its bearer token, sent as {@code {"token": ...}} (the params of {@code rpc.login} for the
 * {@code jwt} authenticator). There is no session: no login or logout, no server→client calls (a
 * response in the body is ignored), no groups.
 */
public final class StatelessRpc {

  private static final Logger log = LoggerFactory.getLogger(StatelessRpc.class);

  private final GatewayServices services;
  private final Supplier<String> ids;

  StatelessRpc(GatewayServices services, Supplier<String> ids) {
    this.services = services;
    this.ids = ids;
  }

  /**
   * Answers one body. Call it on the event loop of the gateway instance it belongs to.
   *
   * @param body          a JSON-RPC message or batch, as received
   * @param bearerToken   the token of {@code Authorization: Bearer}, or {@code null}: then only
   *                      public methods may be called, as before a login
   * @param remoteAddress the client's {@code host:port}, as handlers see it in {@code Caller}
   * @return the encoded answer, or {@code null} when nothing is answered (notifications only);
   *     fails with an {@link RpcException} ({@code -32007} login failed, or the authenticator's
   *     error) when the token is refused, before any message of the body is handled
   */
  public Future<Buffer> answer(Buffer body, String bearerToken, String remoteAddress) {
    String id = ids.get();
    Future<Caller> caller = bearerToken == null
      ? Future.succeededFuture(new Caller(id, remoteAddress, null, null))
      : authenticate(bearerToken, remoteAddress).map(identity -> new Caller(id, remoteAddress, identity.uid(), identity.roles()));
    return caller.compose(c -> {
      // A batch over maxInFlight waits inside, as on a connection; nothing else shares its slots.
      Dispatcher dispatcher = new Dispatcher(services, new OneRequest(c), new InFlight(services.options.getMaxInFlight(), () -> {
      }));
      Future<Buffer> answer = dispatcher.handle(body);
      return answer == null ? Future.succeededFuture() : answer;
    });
  }

  /** The authenticator's verdict; one that throws refuses this request only (-32603). */
  private Future<Identity> authenticate(String token, String remoteAddress) {
    try {
      return services.authenticator.authenticate(new JsonObject().put("token", token), remoteAddress);
    } catch (RuntimeException e) {
      log.error("The authenticator threw on a request from {}", remoteAddress, e);
      return Future.failedFuture(new RpcException(ErrorCode.INTERNAL_ERROR));
    }
  }

  /** What a request without a session has: a fixed caller, nothing else. */
  private record OneRequest(Caller caller) implements Dispatcher.Owner {

    @Override
    public boolean stopping() {
      return false;
    }

    @Override
    public Future<Buffer> login(Buffer params) {
      return noSession("rpc.login");
    }

    @Override
    public Future<Buffer> logout() {
      return noSession("rpc.logout");
    }

    private static Future<Buffer> noSession(String method) {
      return Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND.code(), ErrorCode.METHOD_NOT_FOUND.message(),
        method + " needs a session (TCP or WebSocket); over HTTP send Authorization: Bearer <token> with each request"));
    }

    @Override
    public void response(JsonRpcMessage response) {
      // No server→client calls without a session: there is nothing this could answer.
    }
  }
}
