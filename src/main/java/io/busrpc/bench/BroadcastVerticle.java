package io.busrpc.bench;

import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;

import java.util.List;

/**
 * Server side of {@code bench --mode many}: {@code bench.broadcast [k]} sends the notification
 * {@code bench.broadcast [k]} to every logged-in client of the cluster ({@code Clients.broadcast})
 * and answers {@code k}. Deployed by the benchmark configuration {@code conf/many.json}, not by the
 * demo: anyone who can call it reaches every client.
 */
public class BroadcastVerticle extends RpcVerticle {

  /** Broadcasts {@code bench.broadcast [k]}; see the class comment. */
  @RpcMethod("bench.broadcast")
  public long broadcast(long k) {
    clients().broadcast("bench.broadcast", List.of(k));
    return k;
  }
}
