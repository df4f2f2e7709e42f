package io.busrpc.testing;

import io.busrpc.bus.Addresses;
import io.busrpc.handler.Clients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's side of the resume chaos tests ({@code ResumeChaosTest}, {@code ClientResumeTest}):
 * the handler the client calls, and the numbered room messages and server→client calls the client
 * must each see once and in order.
 */
public final class ChaosTraffic {

  private ChaosTraffic() {
  }

  /**
   * Serves {@code chaos.note} on {@code vertx}'s node: each call is answered with its {@code n}.
   *
   * @return how often each {@code n} was handled, filled as calls come (a call resent after a resume
   *   that had already run shows as 2)
   */
  public static Map<Integer, Integer> serveNotes(Vertx vertx) {
    Map<Integer, Integer> handled = new ConcurrentHashMap<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.DEFAULT.method("chaos.note"), message -> {
      int n = message.body().getInteger("n");
      handled.merge(n, 1, Integer::sum);
      message.reply(n);
    }).completion().await();
    return handled;
  }

  /**
   * Publishes {@code messages} room messages {@code chat {"n": 0, 1, ...}} to {@code room}, three
   * every 5 ms from one event loop, and with every ({@code messages / calls})th also calls
   * {@code echo {"c": 0, 1, ...}} on {@code uid}.
   *
   * @return the server calls, each set when it is made
   */
  public static Future<Object>[] publish(Vertx vertx, Clients clients, String room, String uid, int messages, int calls) {
    @SuppressWarnings("unchecked")
    Future<Object>[] serverCalls = new Future[calls];
    AtomicInteger published = new AtomicInteger();
    int callEvery = messages / calls;
    vertx.setPeriodic(5, timer -> {
      for (int k = 0; k < 3 && published.get() < messages; k++) {
        int n = published.getAndIncrement();
        clients.publish(room, "chat", Map.of("n", n));
        if (n % callEvery == 0) {
          serverCalls[n / callEvery] = clients.call(uid, "echo", Map.of("c", n / callEvery));
        }
      }
      if (published.get() >= messages) {
        vertx.cancelTimer(timer);
      }
    });
    return serverCalls;
  }
}
