package io.busrpc.bench;

import io.busrpc.bus.Addresses;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain event-bus consumers at busrpc's method addresses ({@code Addresses.DEFAULT.method(m)}) for the
 * reference servers that go through the bus: the body is the params, the reply is the result, a
 * failure carries the JSON-RPC error code.
 */
final class BusConsumersVerticle extends VerticleBase {

  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  @Override
  public Future<?> start() {
    List<Future<Void>> registrations = new ArrayList<>();
    for (String method : MathFunctions.METHODS) {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.DEFAULT.method(method), message -> {
        Object result;
        try {
          result = MathFunctions.call(method, message.body());
        } catch (RpcException e) {
          message.fail(e.code(), e.getMessage());
          return;
        } catch (ArithmeticException e) {
          message.fail(-32602, e.getMessage());
          return;
        }
        message.reply(result);
      });
      consumers.add(consumer);
      registrations.add(consumer.completion());
    }
    return Future.all(registrations);
  }
}
