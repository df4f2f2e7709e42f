package io.busrpc.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.bus.Addresses;
import io.busrpc.bus.CallBatch;
import io.busrpc.bus.Codecs;
import io.busrpc.bus.HandlerCall;
import io.busrpc.bus.LoopHandlers;
import io.busrpc.bus.Headers;
import io.busrpc.bus.Replies;
import io.busrpc.discovery.MethodCatalog;
import io.busrpc.discovery.MethodDescriber;
import io.busrpc.bus.HandlerRegistry;
import io.busrpc.handler.impl.MethodInvoker;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base class of handler verticles: every public method annotated {@link RpcMethod} becomes a
 * JSON-RPC method that clients call through the gateway.
 *
 * <pre>{@code
 * public class MathVerticle extends RpcVerticle {
 *   @RpcMethod
 *   public int subtract(int minuend, int subtrahend) { return minuend - subtrahend; }
 * }
 * }</pre>
 *
 * <p>Positional params bind in order, named params by parameter name (compile with
 * {@code -parameters}); a parameter of type {@link Caller} receives the caller; a method returning
 * a {@link Future} answers when it completes. Throw {@link RpcException} for an error of your own;
 * any other exception is answered with -32603.
 *
 * <p>Deployment fails when another handler class already serves one of the names, on this node or
 * on any node of the cluster. Instances of the same class, on any node, share the names and the
 * event bus balances calls between them. The methods' descriptions (name, roles, the annotation's
 * description and summary, JSON Schemas of params and result) are published cluster-wide for
 * {@code rpc.discover} while an instance runs. The verticle reads
 * {@code addressPrefix} from its config (default {@value Addresses#DEFAULT_PREFIX}), and
 * {@value #PER_EVENT_LOOP} (default false), which the node sets for handlers deployed one per event
 * loop: the gateway instances on an instance's event loop then send their calls to that instance.
 */
public abstract class RpcVerticle extends VerticleBase {

  /**
   * The config key that the node sets for a handler deployed with {@code perEventLoop}: each
   * instance then also takes the calls of the gateway instances on its own event loop directly.
   */
  public static final String PER_EVENT_LOOP = "perEventLoop";

  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private String loopAddress;
  private List<String> claimed = List.of();
  private MethodCatalog catalog;
  private Addresses addresses = Addresses.DEFAULT;
  private Clients clients;

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    Map<String, MethodInvoker> invokers = invokers();
    HandlerRegistry registry = HandlerRegistry.get(vertx);
    List<String> names = new ArrayList<>(invokers.keySet());
    addresses = Addresses.of(config().getString("addressPrefix", Addresses.DEFAULT_PREFIX));
    return registry.claim(getClass().getName(), names).compose(v -> {
      claimed = names;
      List<Future<Void>> registrations = new ArrayList<>();
      for (MethodInvoker invoker : invokers.values()) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(addresses.method(invoker.name()),
          message -> handle(invoker, message));
        consumers.add(consumer);
        registrations.add(consumer.completion());
      }
      // Gateways send their calls here, to this node, rather than to the method's address, so that
      // they know where each call went and can fail it at once should this node leave the cluster.
      MessageConsumer<Object> direct = vertx.eventBus().consumer(addresses.handler(getClass().getName(), registry.nodeId()),
        message -> {
          if (message.body() instanceof HandlerCall call) {
            handle(invokers, call, false);
          } else if (message.body() instanceof CallBatch batch) {
            // Calls a gateway on another node gathered into one message; each is answered on its own.
            batch.calls().forEach(call -> handle(invokers, call, true));
          }
        });
      consumers.add(direct);
      registrations.add(direct.completion());
      if (config().getBoolean(PER_EVENT_LOOP, false)) {
        registrations.add(listenOnLoop(registry.nodeId(), invokers));
      }
      return Future.all(registrations);
    }).compose(v -> {
      // Listed by rpc.discover once callable, so a client never sees a method it cannot call yet.
      catalog = new MethodCatalog(vertx, addresses.prefix());
      return catalog.publish(describe(invokers.keySet()));
    }).andThen(ar -> {
      if (ar.succeeded()) {
        announce(false);
      }
    });
  }

  /**
   * Takes the calls of the gateway instances on this verticle's own event loop at an address of
   * this loop's ({@link LoopHandlers}): such a call and its answer never wait for another thread.
   */
  private Future<Void> listenOnLoop(String nodeId, Map<String, MethodInvoker> invokers) {
    String classAddress = addresses.handler(getClass().getName(), nodeId);
    String address = addresses.handlerOnLoop(getClass().getName(), nodeId, LoopHandlers.currentLoop());
    MessageConsumer<Object> onLoop = vertx.eventBus().localConsumer(address, message -> {
      if (message.body() instanceof HandlerCall call) {
        handle(invokers, call, false);
      }
    });
    if (onLoop instanceof MessageConsumerImpl<Object> impl) {
      // A call that reaches it while it stops goes to the other instances of the class.
      impl.discardHandler(message -> vertx.eventBus().send(classAddress, message.body()));
    }
    consumers.add(onLoop);
    return onLoop.completion().onSuccess(v -> {
      loopAddress = address;
      LoopHandlers.get(vertx).add(address);
    });
  }

  /**
   * Tells every gateway that where these methods are served changed: {@code leaving}, stop sending
   * them here (this instance is about to stop listening); otherwise, look them up again.
   */
  private void announce(boolean leaving) {
    if (!claimed.isEmpty()) {
      vertx.eventBus().publish(addresses.handlersChanged(), new JsonArray(new ArrayList<>(claimed)),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader(Headers.CHANGE, leaving ? "leaving" : "changed"));
    }
  }

  @Override
  public Future<?> stop() {
    if (loopAddress != null) {
      LoopHandlers.get(vertx).remove(loopAddress); // gateways on this loop route elsewhere from now on
    }
    // Before the consumers go, so gateways stop sending here, and again once the names are released.
    announce(true);
    List<Future<Void>> unregistrations = new ArrayList<>();
    for (MessageConsumer<Object> consumer : consumers) {
      unregistrations.add(consumer.unregister());
    }
    // Names are freed only once nobody of this class listens at them any more.
    return Future.all(unregistrations)
      .eventually(() -> catalog == null ? Future.succeededFuture() : catalog.withdraw(claimed))
      .eventually(() -> HandlerRegistry.get(vertx).release(getClass().getName(), claimed))
      .andThen(ar -> announce(false));
  }

  /** @return the {@link Clients} API under this verticle's address prefix, to call connected clients */
  protected Clients clients() {
    if (clients == null) {
      clients = Clients.create(vertx, addresses, Clients.DEFAULT_TIMEOUT);
    }
    return clients;
  }

  /** @return the invokers of this class's {@code @RpcMethod}s by method name */
  private Map<String, MethodInvoker> invokers() {
    Map<String, MethodInvoker> invokers = new LinkedHashMap<>();
    for (Method method : getClass().getMethods()) {
      RpcMethod annotation = method.getAnnotation(RpcMethod.class);
      // javac copies annotations onto the bridge methods it adds for generic interfaces and
      // covariant returns; the real method is listed too, so a bridge would be a second 'name'.
      if (annotation == null || Modifier.isStatic(method.getModifiers()) || method.isBridge()) {
        continue;
      }
      String name = nameOf(method, annotation);
      if (name.startsWith("rpc.")) {
        throw new IllegalStateException("method names starting with 'rpc.' are reserved: " + name);
      }
      if (invokers.put(name, new MethodInvoker(name, this, method, Set.of(annotation.roles()))) != null) {
        throw new IllegalStateException(getClass().getName() + " declares method '" + name + "' twice");
      }
    }
    return invokers;
  }

  /** @return the OpenRPC descriptions of the named {@code @RpcMethod}s, for {@code rpc.discover} */
  private List<ObjectNode> describe(Set<String> names) {
    List<ObjectNode> described = new ArrayList<>();
    for (Method method : getClass().getMethods()) {
      RpcMethod annotation = method.getAnnotation(RpcMethod.class);
      if (annotation == null || Modifier.isStatic(method.getModifiers()) || method.isBridge()) {
        continue;
      }
      String name = nameOf(method, annotation);
      if (names.contains(name)) {
        described.add(MethodDescriber.describe(name, method, List.of(annotation.roles()), annotation.summary(),
          annotation.description()));
      }
    }
    return described;
  }

  private static String nameOf(Method method, RpcMethod annotation) {
    return annotation.value().isEmpty() ? method.getName() : annotation.value();
  }

  /**
   * A gateway's call: answered at its reply address, whatever happens; with {@code gathered}, with
   * the other answers of this event-loop turn to the same gateway (the call came in a
   * {@link CallBatch} from another node).
   */
  private void handle(Map<String, MethodInvoker> invokers, HandlerCall call, boolean gathered) {
    MethodInvoker invoker = invokers.get(call.method());
    if (invoker == null) {
      answer(call, Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND)), gathered);
      return;
    }
    Future<Buffer> result = invoker.invoke(call.params(), call.caller());
    if (result.isComplete()) {
      answer(call, result, gathered);
    } else {
      result.onComplete(ar -> answer(call, ar, gathered));
    }
  }

  private void answer(HandlerCall call, AsyncResult<Buffer> result, boolean gathered) {
    if (gathered) {
      Replies.answerGathered(vertx, call, result);
    } else {
      Replies.answer(vertx.eventBus(), call, result);
    }
  }

  private void handle(MethodInvoker invoker, Message<Object> message) {
    Buffer params;
    try {
      params = paramsOf(message.body());
    } catch (RpcException e) {
      Replies.error(vertx.eventBus(), message, e);
      return;
    }
    invoker.invoke(params, Caller.fromHeaders(message.headers())).onComplete(ar -> {
      if (ar.succeeded()) {
        Replies.result(vertx.eventBus(), message, ar.result());
      } else {
        Replies.error(vertx.eventBus(), message, (RpcException) ar.cause());
      }
    });
  }

  /** The gateway sends params as JSON text; server code may also send Vert.x JSON values. */
  private static Buffer paramsOf(Object body) {
    if (body == null || body instanceof Buffer) {
      return (Buffer) body;
    }
    if (body instanceof JsonArray || body instanceof JsonObject) {
      return JsonRpcWriter.encodeValue(body);
    }
    throw new RpcException(ErrorCode.INVALID_PARAMS, "params must be an array or an object");
  }
}
