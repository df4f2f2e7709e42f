package io.busrpc.handler.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.Headers;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.PendingCalls;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;

import java.util.UUID;

/**
 * The calls to clients made on one event loop, answered at one reply address of their own, as the
 * gateway's calls to handlers are (see {@link io.busrpc.bus.Replies}): each call carries the reply
 * address and a correlation id in its headers instead of costing a temporary reply consumer and a
 * timer. The calls time out in a sweep that runs while some are waiting.
 *
 * <p>Not thread-safe: one per event-loop context and {@code Clients} instance, used on that context
 * only.
 */
final class ReplyChannel {

  /** The pause between two sweeps, in ms: how late a call's timeout may be noticed. */
  static final long SWEEP_INTERVAL = 50;

  private final Vertx vertx;
  private final EventBus bus;
  private final String address;
  private final PendingCalls<Object> pending = new PendingCalls<>(timeout -> new RpcException(ErrorCode.TIMEOUT));
  private final Future<Void> ready;
  private long sweepTimer = -1;

  private ReplyChannel(ContextInternal context, Addresses addresses) {
    this.vertx = context.owner();
    this.bus = vertx.eventBus();
    this.address = addresses.internal("clients." + UUID.randomUUID());
    this.ready = bus.consumer(address, this::onReply).completion();
  }

  /**
   * @return the channel of the event loop running this code, made on its first use (one per context
   *     and address prefix, however many {@code Clients} the code creates), or {@code null} when not
   *     on an event loop (a worker or a thread of its own: such callers use plain requests)
   */
  static ReplyChannel current(Addresses addresses) {
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    if (context == null || !context.isEventLoopContext() || !context.inThread()) {
      return null;
    }
    String key = ReplyChannel.class.getName() + " " + addresses.prefix();
    ReplyChannel channel = (ReplyChannel) context.contextData().get(key);
    // The bus does not retry a registration that failed: the next call makes a new channel.
    if (channel == null || channel.ready.failed()) {
      channel = new ReplyChannel(context, addresses);
      context.contextData().put(key, channel);
    }
    return channel;
  }

  /**
   * Sends a call to a client address.
   *
   * @return the body of the answer (the client's result as JSON text); fails with an
   *     {@link RpcException}: "client offline" when nobody listens at {@code to}
   */
  Future<Object> call(String to, Buffer body, DeliveryOptions options, long timeout) {
    if (!ready.isComplete()) {
      return callWhenReady(to, body, options, timeout);
    }
    Promise<Object> promise = Promise.promise();
    long id = pending.register(promise, timeout, null);
    options.addHeader(Headers.REPLY_TO, address).addHeader(Headers.CORRELATION, Long.toString(id));
    bus.sender(to, options).write(body).onFailure(e -> pending.fail(id, BusFailures.toRpcException(e, ErrorCode.CLIENT_OFFLINE)));
    if (sweepTimer == -1 && !pending.isEmpty()) {
      sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL, this::sweep);
    }
    return promise.future();
  }

  /**
   * Replies from other nodes need the reply address known across the cluster first. That write into
   * the cluster's subscription map can take long (it waits for its backup on a frozen member until the
   * cluster declares that member dead, and is retried while partitions migrate), so the call's timeout
   * runs from now, not from when the address is known.
   */
  private Future<Object> callWhenReady(String to, Buffer body, DeliveryOptions options, long timeout) {
    Promise<Object> promise = Promise.promise();
    long start = System.nanoTime();
    long timer = timeout > 0 ? vertx.setTimer(timeout, t -> promise.tryFail(new RpcException(ErrorCode.TIMEOUT.code(),
      ErrorCode.TIMEOUT.message(), "the reply address was not registered in the cluster within " + timeout + " ms"))) : -1;
    ready.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (promise.future().isComplete()) {
        return;
      }
      if (ar.failed()) {
        promise.fail(new RpcException(ErrorCode.INTERNAL_ERROR.code(), ErrorCode.INTERNAL_ERROR.message(),
          "no reply address: " + ar.cause().getMessage()));
        return;
      }
      long left = timeout > 0 ? Math.max(1, timeout - (System.nanoTime() - start) / 1_000_000) : timeout;
      call(to, body, options, left).onComplete(promise);
    });
    return promise.future();
  }

  private void onReply(Message<Object> reply) {
    long id;
    try {
      id = Long.parseLong(reply.headers().get(Headers.CORRELATION));
    } catch (NumberFormatException e) {
      return;
    }
    if (reply.body() instanceof RpcException error) {
      pending.fail(id, error);
    } else {
      pending.complete(id, reply.body());
    }
  }

  private void sweep(long timer) {
    pending.sweep(System.nanoTime());
    if (pending.isEmpty()) {
      vertx.cancelTimer(timer);
      sweepTimer = -1;
    }
  }
}
