package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.RawJsonCodec;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.handler.Caller;
import io.busrpc.handler.impl.HandlerRegistry;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

/**
 * Sends a client's call to the event-bus address of its method and turns the reply, or the
 * failure, into the JSON text of the result or of an {@link RpcException}.
 *
 * <p>Methods of {@code RpcVerticle}s get the params as the raw JSON text the client sent; any other
 * consumer gets the plain Vert.x contract, a {@code JsonArray} or {@code JsonObject}.
 */
final class Forwarder {

  private final EventBus eventBus;
  private final Addresses addresses;
  private final HandlerRegistry registry;
  private final long callTimeout;

  Forwarder(Vertx vertx, GatewayOptions options) {
    this.eventBus = vertx.eventBus();
    this.addresses = Addresses.of(options.getAddressPrefix());
    this.registry = HandlerRegistry.get(vertx);
    this.callTimeout = options.getCallTimeout();
  }

  /**
   * Calls a method.
   *
   * @return the result as JSON text; fails with an {@link RpcException}
   */
  Future<Buffer> call(String method, Buffer params, Caller caller) {
    DeliveryOptions delivery = delivery(method, params, caller).setSendTimeout(callTimeout);
    Object body;
    try {
      body = body(method, params);
    } catch (RpcException e) {
      return Future.failedFuture(e);
    }
    return eventBus.request(addresses.method(method), body, delivery)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(JsonRpcWriter.encodeValue(ar.result().body()))
        : Future.failedFuture(toRpcException(ar.cause())));
  }

  /** Sends a notification; nobody answers it and nothing is reported back. */
  void notify(String method, Buffer params, Caller caller) {
    try {
      eventBus.send(addresses.method(method), body(method, params), delivery(method, params, caller));
    } catch (RpcException ignored) {
      // A notification is never answered, not even with an error.
    }
  }

  private DeliveryOptions delivery(String method, Buffer params, Caller caller) {
    DeliveryOptions delivery = new DeliveryOptions();
    if (params != null && registry.isRpcMethod(method)) {
      delivery.setCodecName(RawJsonCodec.NAME);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    caller.toHeaders(headers);
    return delivery.setHeaders(headers);
  }

  private Object body(String method, Buffer params) {
    if (params == null || registry.isRpcMethod(method)) {
      return params;
    }
    try {
      return Json.decodeValue(params);
    } catch (DecodeException e) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params could not be decoded");
    }
  }

  /** Maps a bus failure to the error the client sees. */
  static RpcException toRpcException(Throwable failure) {
    return BusFailures.toRpcException(failure, ErrorCode.METHOD_NOT_FOUND);
  }
}
