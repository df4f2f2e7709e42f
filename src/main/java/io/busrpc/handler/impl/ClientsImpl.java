package io.busrpc.handler.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.Codecs;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.bus.RawJsonCodec;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonMapper;
import io.busrpc.protocol.Params;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Clients} over the event bus: each uid's connection listens at its client address.
 *
 * <p>The params are written to JSON text once, here, and travel as bytes (the raw JSON codec, the
 * method in the {@link Headers#METHOD} header): the gateway splices them into the JSON-RPC message
 * without reading them, and a publish to many members of a group hands each the same bytes. The
 * client's answer comes back as the bytes it sent and is read once, by the caller's thread, into
 * the type the caller asked for. A call made on an event loop is answered at that event loop's
 * reply address, without a reply consumer and a timer of its own (see {@link ReplyChannel}); other
 * threads make plain requests. Calls still waiting after a while have their uid probed (see
 * {@link WaitingCalls}).
 */
public final class ClientsImpl implements Clients {

  private static final Buffer NO_PARAMS = Buffer.buffer(0);

  private final VertxInternal vertx;
  private final EventBus bus;
  private final Addresses addresses;
  private final long timeout;
  private final String timeoutHeader;
  private final DeliveryOptions controlOptions;
  private final WaitingCalls waiting;

  /** Creates the API; registers busrpc's codecs on the Vert.x instance if needed. */
  public ClientsImpl(Vertx vertx, Addresses addresses, long timeout) {
    Codecs.register(vertx);
    this.vertx = (VertxInternal) vertx;
    this.bus = vertx.eventBus();
    this.addresses = addresses;
    this.timeout = timeout;
    this.timeoutHeader = Long.toString(timeout);
    this.controlOptions = new DeliveryOptions().setSendTimeout(timeout).addHeader(Headers.TIMEOUT, timeoutHeader);
    this.waiting = new WaitingCalls(this.vertx, addresses, timeout);
  }

  @Override
  public Future<Object> call(String uid, String method, Object params) {
    return later(() -> start(uid, method, params, ClientsImpl::decode));
  }

  @Override
  public <T> Future<T> call(String uid, String method, Object params, Class<T> type) {
    return later(() -> start(uid, method, params, bytes -> bind(bytes, type)));
  }

  /**
   * Every future this API returns completes after the method that returned it has returned, also
   * when the outcome is known at once (an offline uid, a bad method name): code that re-issues a
   * call from its callback then loops through the event loop's task queue, never down the stack.
   */
  private <T> Future<T> later(Supplier<Future<T>> operation) {
    Future<T> outcome;
    try {
      outcome = operation.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    if (!outcome.isComplete()) {
      // Completed by a reply, on the caller's context, in a later event-loop turn.
      return outcome;
    }
    ContextInternal context = vertx.getOrCreateContext();
    Promise<T> promise = context.promise();
    Future<T> known = outcome;
    context.runOnContext(v -> promise.handle(known));
    return promise.future();
  }

  private <T> Future<T> start(String uid, String method, Object params, Function<Object, T> reader) {
    DeliveryOptions options;
    Buffer body;
    try {
      options = options(method).setSendTimeout(timeout).addHeader(Headers.TIMEOUT, timeoutHeader);
      body = encode(params);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage()));
    }
    ReplyChannel channel = ReplyChannel.current(addresses);
    Future<Object> reply = channel != null ? channel.call(addresses.client(uid), body, options, timeout)
      : bus.request(addresses.client(uid), body, options).map(Message::body);
    Future<T> answer = reply.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(failure(ar.cause()));
      }
      try {
        return Future.succeededFuture(reader.apply(ar.result()));
      } catch (RpcException e) {
        return Future.failedFuture(e);
      }
    });
    return timeout > WaitingCalls.PROBE_AFTER ? waiting.watch(uid, answer) : answer;
  }

  @Override
  public void notify(String uid, String method, Object params) {
    bus.send(addresses.client(uid), encode(params), options(method));
  }

  @Override
  public Future<Void> join(String uid, String group) {
    return later(() -> control(uid, ControlMessage.JOIN, group).mapEmpty());
  }

  @Override
  public Future<Boolean> leave(String uid, String group) {
    return later(() -> control(uid, ControlMessage.LEAVE, group).map(Boolean.TRUE::equals));
  }

  @Override
  public void publish(String group, String method, Object params) {
    bus.publish(addresses.group(group), encode(params), options(method));
  }

  @Override
  public void broadcast(String method, Object params) {
    bus.publish(addresses.broadcast(), encode(params), options(method));
  }

  @Override
  public Future<Boolean> isOnline(String uid) {
    return later(() -> control(uid, ControlMessage.ONLINE, uid).map(true).recover(e -> e instanceof RpcException rpc
      && rpc.code() == ErrorCode.CLIENT_OFFLINE.code() ? Future.succeededFuture(false) : Future.failedFuture(e)));
  }

  private Future<Object> control(String uid, ControlMessage control, String value) {
    DeliveryOptions options = new DeliveryOptions(controlOptions).addHeader(Headers.CONTROL, control.value());
    return bus.request(addresses.client(uid), value, options)
      .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body()) : Future.failedFuture(failure(ar.cause())));
  }

  /** A message to a client address with its params as JSON text: the method travels in a header. */
  private static DeliveryOptions options(String method) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    return new DeliveryOptions().setCodecName(RawJsonCodec.NAME).addHeader(Headers.METHOD, method);
  }

  /** The params as JSON text, written once; no bytes for no params. */
  private static Buffer encode(Object params) {
    Buffer json = Params.encode(params);
    return json == null ? NO_PARAMS : json;
  }

  /**
   * The client's result in its Vert.x form (JsonObject, JsonArray, String, Number, Boolean or null).
   * A reply that is not JSON text (a consumer other than busrpc's gateway) is taken as it is.
   */
  private static Object decode(Object result) {
    if (!(result instanceof Buffer json)) {
      return result;
    }
    Object scalar = ScalarJson.read(json);
    if (scalar != ScalarJson.NOT_SCALAR) {
      return scalar;
    }
    try {
      return Json.decodeValue(json);
    } catch (DecodeException e) {
      throw new RpcException(ErrorCode.INTERNAL_ERROR.code(), ErrorCode.INTERNAL_ERROR.message(), "the client's result is not JSON");
    }
  }

  /** The client's result bound to {@code type}, straight from its bytes. */
  private static <T> T bind(Object result, Class<T> type) {
    try {
      if (!(result instanceof Buffer json)) {
        return JsonMapper.mapper().convertValue(result, type);
      }
      var buf = ((BufferInternal) json).getByteBuf();
      if (buf.hasArray()) {
        return JsonMapper.mapper().readValue(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes(), type);
      }
      return JsonMapper.mapper().readValue(json.getBytes(), type);
    } catch (IOException | IllegalArgumentException e) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "the client's result is not a " + type.getSimpleName());
    }
  }

  /** No consumer at a client address means the client is not connected. */
  private static Throwable failure(Throwable cause) {
    return BusFailures.toRpcException(cause, ErrorCode.CLIENT_OFFLINE);
  }
}
