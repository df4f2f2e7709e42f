package io.busrpc.gateway.impl;

import io.busrpc.bus.Codecs;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.testing.Rpc;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * One gateway instance's session core without sockets: a started {@link ConnectionAcceptor} on an
 * event-loop context of its own, which {@link InMemoryTransport}s connect to. The event bus, the
 * handlers and the core are real; only the bytes stay in memory.
 */
final class InMemoryGateway {

  private final Context context;
  private final ConnectionAcceptor acceptor;

  private InMemoryGateway(Context context, ConnectionAcceptor acceptor) {
    this.context = context;
    this.acceptor = acceptor;
  }

  /** Registers busrpc's codecs and starts an acceptor of these options on a new context. */
  static InMemoryGateway start(Vertx vertx, GatewayOptions options) {
    Codecs.register(vertx);
    Context context = vertx.getOrCreateContext();
    ConnectionAcceptor acceptor = onContext(context, () -> {
      ConnectionAcceptor created = new ConnectionAcceptor(vertx, options);
      return created.start().map(created);
    });
    return new InMemoryGateway(context, acceptor);
  }

  /** @return the event loop the core runs on */
  Context context() {
    return context;
  }

  /** @return the started acceptor */
  ConnectionAcceptor acceptor() {
    return acceptor;
  }

  /** Runs {@code work} on the gateway instance's event loop and waits for its outcome. */
  <T> T onContext(Supplier<Future<T>> work) {
    return onContext(context, work);
  }

  /** @return a new connection, accepted (or refused) by the acceptor */
  InMemoryTransport connect() {
    InMemoryTransport transport = new InMemoryTransport(context);
    onContext(() -> {
      acceptor.accept(transport);
      return Future.succeededFuture();
    });
    return transport;
  }

  private static <T> T onContext(Context context, Supplier<Future<T>> work) {
    Promise<T> outcome = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(outcome));
    return Rpc.await(outcome.future());
  }
}
