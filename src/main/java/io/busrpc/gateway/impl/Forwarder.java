package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.BusFailures;
import io.busrpc.bus.HandlerAnswer;
import io.busrpc.bus.HandlerCall;
import io.busrpc.bus.Headers;
import io.busrpc.bus.LoopHandlers;
import io.busrpc.bus.Replies;
import io.busrpc.bus.ReplyBatch;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.handler.Caller;
import io.busrpc.bus.HandlerRegistry;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.PendingCalls;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sends a client's call to the event-bus address of its method and turns the answer, or the
 * failure, into the JSON text of the result or of an {@link RpcException}.
 *
 * <p>Methods of {@code RpcVerticle}s get a {@link HandlerCall}: the caller, and the params as the raw
 * JSON text the client sent, in one body without delivery headers; they answer at this gateway
 * instance's one reply address (see {@link Replies}); their calls time out in
 * {@link #sweep(long)}. Each such call goes to the handler class's address on one node, this node
 * when it serves the method ({@link HandlerRegistry#target}), so the gateway knows where it went:
 * when that node leaves the cluster, the calls waiting on it fail at once with -32012. Calls to
 * another node leave at the end of the event loop's turn, gathered per node and class into one
 * message ({@link RemoteCalls}), and their answers may come back gathered too ({@link ReplyBatch}).
 * Any other consumer gets the plain Vert.x contract: a {@code JsonArray} or
 * {@code JsonObject} body and an ordinary request/reply.
 *
 * <p>Not thread-safe: one instance per gateway verticle, used on its event loop only.
 */
final class Forwarder {

  /** How often the cluster's members are checked for nodes that left, in ms. */
  static final long MEMBERSHIP_CHECK_INTERVAL = 200;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final Addresses addresses;
  private final HandlerRegistry registry;
  private final long callTimeout;
  private final String replyAddress;
  private final String nodeId;
  private RemoteCalls remoteCalls;
  private final PendingCalls<Buffer> pending = new PendingCalls<>(timeout -> new RpcException(ErrorCode.TIMEOUT));
  private MessageConsumer<Object> replies;
  private MessageConsumer<Object> handlerChanges;
  private RpcException closedWith;
  private Set<String> liveNodes;
  private long roundRobin;
  private long membershipTimer = -1;
  // Handler addresses by node and class: a call costs no string building.
  private final Map<String, Map<String, String>> handlerAddresses = new HashMap<>();
  private final Map<String, String> loopAddresses = new HashMap<>();
  private final LoopHandlers loopHandlers;
  private String loop;

  Forwarder(Vertx vertx, GatewayOptions options) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.addresses = Addresses.of(options.getAddressPrefix());
    this.registry = HandlerRegistry.get(vertx);
    this.loopHandlers = LoopHandlers.get(vertx);
    this.callTimeout = options.getCallTimeout();
    this.replyAddress = addresses.internal("reply." + UUID.randomUUID());
    this.nodeId = registry.nodeId();
  }

  /** Starts listening at the reply address and watching the cluster's members. */
  Future<Void> start() {
    remoteCalls = new RemoteCalls(eventBus, (ContextInternal) vertx.getOrCreateContext());
    liveNodes = registry.liveNodeIds();
    loop = LoopHandlers.currentLoop();
    if (vertx.isClustered()) {
      membershipTimer = vertx.setPeriodic(MEMBERSHIP_CHECK_INTERVAL, t -> checkMembers());
    }
    handlerChanges = eventBus.consumer(addresses.handlersChanged(), message -> {
      if (message.body() instanceof io.vertx.core.json.JsonArray names) {
        boolean leaving = "leaving".equals(message.headers().get(Headers.CHANGE));
        names.forEach(name -> {
          registry.forget(String.valueOf(name));
          if (!leaving) {
            registry.learn(String.valueOf(name));
          }
        });
      }
    });
    registry.preload();
    replies = eventBus.consumer(replyAddress, this::onReply);
    return Future.all(replies.completion(), handlerChanges.completion()).mapEmpty();
  }

  /**
   * Fails at once the calls that went to a node that is no longer in the cluster (killed, frozen
   * past failure detection, or stopped): its answer will never come, and waiting for the call
   * timeout would only hold the client. Later calls go to the nodes that are left.
   */
  private void checkMembers() {
    Set<String> now = registry.liveNodeIds();
    if (now.equals(liveNodes)) {
      return;
    }
    liveNodes = now;
    pending.failIf(node -> !now.contains(node), new RpcException(ErrorCode.NODE_LEFT,
      "the node handling the call left the cluster before it answered"));
  }

  /** Stops listening; calls still waiting fail with the shutting-down error. */
  Future<Void> stop() {
    close(new RpcException(ErrorCode.SHUTTING_DOWN, "the gateway stopped"));
    if (membershipTimer != -1) {
      vertx.cancelTimer(membershipTimer);
    }
    if (handlerChanges != null) {
      handlerChanges.unregister();
    }
    return replies == null ? Future.succeededFuture() : replies.unregister();
  }

  /**
   * Fails every call still waiting, and every call made from now on, with {@code failure}: the end
   * of the shutdown grace period, after which the connections write these answers and close.
   */
  void close(RpcException failure) {
    if (closedWith == null) {
      closedWith = failure;
    }
    failAll(failure);
  }

  /**
   * Calls a method.
   *
   * @return the result as JSON text; fails with an {@link RpcException}
   */
  Future<Buffer> call(String method, Buffer params, Caller caller) {
    if (closedWith != null) {
      return Future.failedFuture(closedWith);
    }
    HandlerRegistry.Target target = registry.target(method, liveNodes, ++roundRobin);
    if (target == null && registry.unknown(method)) {
      // First call of a name this gateway knows nothing about (a handler deployed a moment ago):
      // ask the cluster where it is served, so that this call too goes to a known node.
      return registry.lookUp(method).compose(v -> call(method, params, caller));
    }
    if (target == null && registry.servedOnlyByLostNodes(method, liveNodes)) {
      // Its nodes left the cluster: the event bus may still route to them for a moment (their
      // registrations are dropped asynchronously), where the call would wait for the timeout.
      return Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND));
    }
    if (target != null) {
      Promise<Buffer> promise = Promise.promise();
      long id = pending.register(promise, callTimeout, target.node());
      HandlerCall call = new HandlerCall(method, caller, replyAddress, id, params);
      if (target.node().equals(nodeId)) {
        eventBus.send(localRoute(target), call);
      } else {
        remoteCalls.send(handlerAddress(target), call);
      }
      return promise.future();
    }
    Object body;
    try {
      body = decode(params);
    } catch (RpcException e) {
      return Future.failedFuture(e);
    }
    // Kept among the pending calls (without a deadline: the request has its own timeout), so that
    // the end of a shutdown answers it too.
    Promise<Buffer> promise = Promise.promise();
    long id = pending.register(promise, 0, null);
    eventBus.request(addresses.method(method), body, new DeliveryOptions().setHeaders(headers(caller)).setSendTimeout(callTimeout))
      .onComplete(ar -> {
        if (pending.remove(id) == null) {
          return; // answered already, by the end of a shutdown
        }
        if (ar.succeeded() || ar.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
          // Someone serves it: perhaps an RpcVerticle on another node, which would take the fast contract.
          registry.learn(method);
        }
        if (ar.succeeded()) {
          promise.complete(JsonRpcWriter.encodeValue(ar.result().body()));
        } else {
          promise.fail(toRpcException(ar.cause()));
        }
      });
    return promise.future();
  }

  /** Times out the calls whose answer is overdue; called by the gateway's periodic sweep. */
  void sweep(long now) {
    pending.sweep(now);
  }

  private void onReply(Message<Object> reply) {
    if (reply.body() instanceof ReplyBatch batch) {
      batch.answers().forEach(this::answer);
    } else if (reply.body() instanceof HandlerAnswer answer) {
      answer(answer);
    }
  }

  private void answer(HandlerAnswer answer) {
    Promise<Buffer> call = pending.remove(answer.correlation());
    if (call == null) {
      return; // timed out already
    }
    if (answer.error() != null) {
      call.fail(answer.error());
    } else {
      call.complete(answer.result());
    }
  }

  /**
   * @return the address of the target class's instance on this gateway's own event loop when the
   *     class has one there (this node's target), else the class's address on this node
   */
  private String localRoute(HandlerRegistry.Target target) {
    String onLoop = loopAddresses.computeIfAbsent(target.className(),
      className -> addresses.handlerOnLoop(className, nodeId, loop));
    return loopHandlers.serves(onLoop) ? onLoop : handlerAddress(target);
  }

  /** @return the address of the target's class on its node, made once per class and node */
  private String handlerAddress(HandlerRegistry.Target target) {
    return handlerAddresses.computeIfAbsent(target.node(), node -> new HashMap<>())
      .computeIfAbsent(target.className(), className -> addresses.handler(className, target.node()));
  }

  private void failAll(RpcException failure) {
    pending.failAll(failure);
  }

  private static MultiMap headers(Caller caller) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    caller.toHeaders(headers);
    return headers;
  }

  private static Object decode(Buffer params) {
    if (params == null) {
      return null;
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
