package io.busrpc.web;

import io.busrpc.gateway.impl.StatelessRpc;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /rpc}: the body (a JSON-RPC request or batch, at most {@code maxFrameSize} bytes, read
 * by vertx-web's body handler before this) goes to the gateway's {@link StatelessRpc}, the answer
 * comes back as the response: 200 with the JSON, 204 when nothing is answered (notifications only),
 * 401 when the bearer token is refused. No session: each request stands alone.
 */
final class HttpRpc implements Handler<RoutingContext> {

  private static final String JSON = "application/json";

  private final StatelessRpc rpc;

  HttpRpc(StatelessRpc rpc) {
    this.rpc = rpc;
  }

  @Override
  public void handle(RoutingContext context) {
    HttpServerRequest request = context.request();
    HttpServerResponse response = context.response();
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String token = null;
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
        refuse(response, new RpcException(ErrorCode.LOGIN_FAILED.code(), ErrorCode.LOGIN_FAILED.message(),
          "Authorization must be Bearer <token>"));
        return;
      }
      token = authorization.substring(7).trim();
    }
    Buffer body = context.body().buffer();
    rpc.answer(body == null ? Buffer.buffer() : body, token, String.valueOf(request.remoteAddress()))
      .onComplete(ar -> {
        if (response.ended() || response.closed()) {
          return;
        }
        if (ar.failed()) {
          refuse(response, ar.cause() instanceof RpcException e ? e : new RpcException(ErrorCode.INTERNAL_ERROR));
        } else if (ar.result() == null) {
          response.setStatusCode(204).end();
        } else {
          response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(ar.result());
        }
      });
  }

  /** The token was refused: 401 with the JSON-RPC error, as a login would get it. */
  private static void refuse(HttpServerResponse response, RpcException error) {
    response.setStatusCode(401)
      .putHeader("www-authenticate", "Bearer realm=\"busrpc\", error=\"invalid_token\"")
      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
      .end(JsonRpcWriter.error(null, error));
  }
}
