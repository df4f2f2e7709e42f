package io.busrpc.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The {@code RpcVerticle} instances deployed one per event loop ({@code handlers[].perEventLoop}),
 * by the address each takes calls at on its own event loop ({@link Addresses#handlerOnLoop}). A
 * gateway instance sends a call there when its own event loop has an instance of the class, so the
 * call and its answer cross the event bus without a hand-off to another thread.
 *
 * <p>The counts live in a local map shared by the verticles of the Vert.x instance: these addresses
 * are local consumers, never known to other nodes.
 */
public final class LoopHandlers {

  private static final String LOCAL_MAP = "busrpc.loop-handlers";

  private final LocalMap<String, Integer> instances;

  private LoopHandlers(Vertx vertx) {
    this.instances = vertx.sharedData().getLocalMap(LOCAL_MAP);
  }

  /** @return the loop handlers of this Vert.x instance */
  public static LoopHandlers get(Vertx vertx) {
    return new LoopHandlers(vertx);
  }

  /** @return a name of the event loop running this code, the same for every context on it */
  public static String currentLoop() {
    return Thread.currentThread().getName();
  }

  /** One more instance listens at {@code address}. */
  public void add(String address) {
    instances.compute(address, (a, count) -> count == null ? 1 : count + 1);
  }

  /** One instance less listens at {@code address}: called before it stops listening. */
  public void remove(String address) {
    instances.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
  }

  /** @return whether an instance listens at {@code address} */
  public boolean serves(String address) {
    return instances.containsKey(address);
  }
}
