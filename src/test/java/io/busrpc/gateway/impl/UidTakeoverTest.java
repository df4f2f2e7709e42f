package io.busrpc.gateway.impl;

import io.busrpc.bus.Addresses;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Taking a uid over, on a real (local) event bus and shared data: the holder is asked to step down
 * at its control address and the entry changes only once it has; a failed claim gives the entry up.
 */
@ExtendWith(VertxExtension.class)
class UidTakeoverTest {

  private Vertx vertx;
  private UidHolders holders;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.holders = new UidHolders(vertx, Addresses.of("takeover-test"));
  }

  private Future<Void> claim(UidTakeover takeover, String uid, Supplier<Future<Void>> listen, Runnable undo) {
    return holders.withLock(uid, () -> takeover.claim(uid, listen, undo));
  }

  @Test
  void aFreeUidIsTakenAndListenedToWhileTheClaimIsUnderWay() {
    UidTakeover takeover = new UidTakeover(vertx, holders, "c-1 control-1");
    AtomicBoolean settlingWhileListening = new AtomicBoolean();
    await(claim(takeover, "alice", () -> {
      settlingWhileListening.set(takeover.whenSettled("alice") != null);
      return Future.succeededFuture();
    }, () -> { }));
    assertEquals("c-1 control-1", await(holders.get("alice")));
    assertTrue(settlingWhileListening.get(), "a step-down request during the claim waits for it");
    assertNull(takeover.whenSettled("alice"), "nothing to wait for once the claim is over");
  }

  @Test
  void theHolderIsAskedToStepDownAndTheEntryChangesOnlyAfterItHas() {
    List<JsonObject> requests = new ArrayList<>();
    Promise<Void> stepDownAnswered = Promise.promise();
    vertx.eventBus().<JsonObject>consumer("control-old", message -> {
      assertEquals(ControlMessage.REPLACED.value(), message.headers().get(Headers.CONTROL));
      requests.add(message.body());
      // The old holder still holds the entry while it stops listening.
      holders.get("bob").onSuccess(current -> {
        assertEquals("c-old control-old", current);
        message.reply(Boolean.TRUE);
        stepDownAnswered.complete();
      });
    });
    await(holders.replace("bob", null, "c-old control-old"));
    UidTakeover takeover = new UidTakeover(vertx, holders, "c-new control-new");
    await(claim(takeover, "bob", Future::succeededFuture, () -> { }));
    assertTrue(stepDownAnswered.future().isComplete());
    assertEquals(List.of(new JsonObject().put("connection", "c-old").put("uid", "bob")), requests);
    assertEquals("c-new control-new", await(holders.get("bob")));
  }

  @Test
  void anEntryBusrpcDidNotWriteIsReplacedWithoutAsking() {
    await(holders.replace("carol", null, "garbage"));
    UidTakeover takeover = new UidTakeover(vertx, holders, "c-2 control-2");
    await(claim(takeover, "carol", Future::succeededFuture, () -> { }));
    assertEquals("c-2 control-2", await(holders.get("carol")));
  }

  @Test
  void aClaimWhoseListenFailsUndoesAndGivesTheEntryUp() {
    UidTakeover takeover = new UidTakeover(vertx, holders, "c-3 control-3");
    AtomicBoolean undone = new AtomicBoolean();
    RpcException failure = awaitFailure(claim(takeover, "dave",
      () -> Future.failedFuture(new RpcException(-32003, "gone")), () -> undone.set(true)));
    assertEquals(-32003, failure.code());
    assertTrue(undone.get());
    assertNull(await(holders.get("dave")), "the entry is given up");
    assertNull(takeover.whenSettled("dave"));
  }
}
