package io.busrpc.handler.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.Codecs;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonMapper;
import io.busrpc.protocol.Params;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@link Clients} over the event bus: each uid's connection listens at its client address. */
public final class ClientsImpl implements Clients {

  private final EventBus bus;
  private final Addresses addresses;
  private final DeliveryOptions callOptions;

  /** Creates the API; registers busrpc's codecs on the Vert.x instance if needed. */
  public ClientsImpl(Vertx vertx, Addresses addresses, long timeout) {
    Codecs.register(vertx);
    this.bus = vertx.eventBus();
    this.addresses = addresses;
    this.callOptions = new DeliveryOptions().setSendTimeout(timeout)
      .addHeader(Addresses.TIMEOUT_HEADER, Long.toString(timeout));
  }

  @Override
  public Future<Object> call(String uid, String method, Object params) {
    JsonObject body;
    try {
      body = body(method, params);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage()));
    }
    return bus.request(addresses.client(uid), body, callOptions)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body()) : Future.failedFuture(failure(ar.cause())));
  }

  @Override
  public <T> Future<T> call(String uid, String method, Object params, Class<T> type) {
    return call(uid, method, params).compose(result -> {
      try {
        return Future.succeededFuture(JsonMapper.mapper().convertValue(result, type));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS,
          "the client's result is not a " + type.getSimpleName()));
      }
    });
  }

  @Override
  public void notify(String uid, String method, Object params) {
    bus.send(addresses.client(uid), body(method, params));
  }

  @Override
  public Future<Void> join(String uid, String group) {
    return control(uid, "join", group).mapEmpty();
  }

  @Override
  public Future<Boolean> leave(String uid, String group) {
    return control(uid, "leave", group).map(Boolean.TRUE::equals);
  }

  @Override
  public void publish(String group, String method, Object params) {
    bus.publish(addresses.group(group), body(method, params));
  }

  @Override
  public void broadcast(String method, Object params) {
    bus.publish(addresses.broadcast(), body(method, params));
  }

  @Override
  public Future<Boolean> isOnline(String uid) {
    return control(uid, "online", uid).map(true).recover(e -> e instanceof RpcException rpc
      && rpc.code() == ErrorCode.CLIENT_OFFLINE.code() ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  private Future<Object> control(String uid, String control, String value) {
    DeliveryOptions options = new DeliveryOptions(callOptions).addHeader(Addresses.CONTROL_HEADER, control);
    return bus.request(addresses.client(uid), value, options)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body()) : Future.failedFuture(failure(ar.cause())));
  }

  private static JsonObject body(String method, Object params) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    return new JsonObject().put("method", method).put("params", toJson(params));
  }

  /** Params as a Vert.x JsonArray or JsonObject, written with busrpc's mapper. */
  private static Object toJson(Object params) {
    if (params == null || params instanceof JsonArray || params instanceof JsonObject) {
      return params;
    }
    return Json.decodeValue(Params.encode(params));
  }

  /** No consumer at a client address means the client is not connected. */
  private static Throwable failure(Throwable cause) {
    return BusFailures.toRpcException(cause, ErrorCode.CLIENT_OFFLINE);
  }
}
