package io.busrpc.gateway.impl;

import io.busrpc.testing.Poll;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One consumer per address and event loop, fanning out to its members: each member gets each
 * message once and in order, a slice of members per event-loop turn, on a real event bus.
 */
@ExtendWith(VertxExtension.class)
class AddressFanoutTest {

  private Vertx vertx;
  private Context context;
  private Fanouts fanouts;

  /** A session's link to its client that records the notifications it is given. */
  private static final class Member implements ClientLink {
    final List<String> got = new CopyOnWriteArrayList<>();
    final AtomicInteger delivered;

    Member(AtomicInteger delivered) {
      this.delivered = delivered;
    }

    @Override
    public Future<Buffer> call(String method, Buffer params, long timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void notify(String method, Buffer params) {
      delivered.incrementAndGet();
      got.add(method + " " + (params == null ? "" : params.toString()));
    }

    @Override
    public void replaced(String reason) {
    }

    @Override
    public void offline() {
    }
  }

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.fanouts = new Fanouts(vertx);
  }

  private <T> T onContext(Callable<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.call().onComplete(promise);
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return await(promise.future());
  }

  private List<Member> join(String address, int count, AtomicInteger delivered) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Member member = new Member(delivered);
      members.add(member);
      onContext(() -> fanouts.join(context, address, member));
    }
    return members;
  }

  private static JsonObject notification(String method, int n) {
    return new JsonObject().put("method", method).put("params", new JsonArray().add(n));
  }

  @Test
  void everyMemberGetsEveryPublishOnceInOrderASliceOfMembersPerTurn() {
    AtomicInteger delivered = new AtomicInteger();
    int count = 3 * AddressFanout.SLICE + 10;
    List<Member> members = join("fanout.all", count, delivered);
    // A task that keeps requeueing itself on the fan-out's event loop: between two of its runs lies
    // one turn of the others' tasks, so the most deliveries between two runs is the largest slice.
    AtomicInteger largestTurn = new AtomicInteger();
    AtomicInteger lastSeen = new AtomicInteger();
    Promise<Void> probeDone = Promise.promise();
    context.runOnContext(new Handler<Void>() {
      @Override
      public void handle(Void v) {
        int now = delivered.get();
        largestTurn.accumulateAndGet(now - lastSeen.getAndSet(now), Math::max);
        if (now < 3 * count) {
          context.runOnContext(this);
        } else {
          probeDone.complete();
        }
      }
    });
    // Published in one task, so that the second and third arrive while the first is handed out.
    context.runOnContext(v -> {
      for (int n = 1; n <= 3; n++) {
        vertx.eventBus().publish("fanout.all", notification("m" + n, n));
      }
    });
    await(probeDone.future());
    for (Member member : members) {
      assertEquals(List.of("m1 [1]", "m2 [2]", "m3 [3]"), member.got);
    }
    assertTrue(largestTurn.get() <= AddressFanout.SLICE,
      largestTurn.get() + " members were handed a message in one event-loop turn, more than a slice");
  }

  @Test
  void aMemberThatLeftGetsNothingAndTheLastOneUnregistersTheConsumer() {
    AtomicInteger delivered = new AtomicInteger();
    List<Member> members = join("fanout.leave", 3, delivered);
    onContext(() -> fanouts.leave(context, "fanout.leave", members.get(1)));
    vertx.eventBus().publish("fanout.leave", notification("first", 1));
    assertTrue(Poll.until(vertx, WAIT_MS, () -> delivered.get() == 2));
    assertEquals(List.of(), members.get(1).got);
    onContext(() -> fanouts.leave(context, "fanout.leave", members.get(0)));
    onContext(() -> fanouts.leave(context, "fanout.leave", members.get(2)));
    // No consumer is left at the address: a request to it fails at once, for want of a handler.
    ReplyException none = assertThrows(ReplyException.class,
      () -> vertx.eventBus().request("fanout.leave", notification("gone", 2)).await(WAIT_MS, TimeUnit.MILLISECONDS));
    assertEquals(ReplyFailure.NO_HANDLERS, none.failureType());
  }

  @Test
  void aMessageSentPointToPointGoesToOneMemberInTurn() {
    AtomicInteger delivered = new AtomicInteger();
    List<Member> members = join("fanout.send", 2, delivered);
    for (int n = 1; n <= 4; n++) {
      vertx.eventBus().send("fanout.send", notification("s" + n, n));
    }
    assertTrue(Poll.until(vertx, WAIT_MS, () -> delivered.get() == 4));
    assertEquals(2, members.get(0).got.size(), members.get(0).got::toString);
    assertEquals(2, members.get(1).got.size(), members.get(1).got::toString);
  }
}
