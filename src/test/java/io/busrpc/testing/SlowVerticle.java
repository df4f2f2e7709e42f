package io.busrpc.testing;

import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler whose {@code slow.echo [value, ms]} answers {@code value} after {@code ms} on a timer of
 * its own, as handlers doing asynchronous work do: a timer dies with its verticle, so an answer
 * comes only if the verticle is still deployed. Counts the calls that reached it (static: call
 * {@link #reset()} first).
 */
public class SlowVerticle extends RpcVerticle {

  private static final AtomicInteger started = new AtomicInteger();

  /** Zeroes the counter. */
  public static void reset() {
    started.set(0);
  }

  /** @return the calls that reached the handler */
  public static int started() {
    return started.get();
  }

  /** Answers {@code value} after {@code ms} milliseconds. */
  @RpcMethod("slow.echo")
  public Future<String> echo(String value, long ms) {
    started.incrementAndGet();
    Promise<String> answer = Promise.promise();
    vertx.setTimer(ms, t -> answer.complete(value)); // cancelled when the verticle is undeployed
    return answer.future();
  }
}
