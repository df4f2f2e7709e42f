package io.busrpc.gateway.impl;

import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * How one session takes a uid over from its holder, wherever that is (see {@link UidHolders}): under
 * the uid's lock it reads the holder, asks it to step down (through its gateway instance's control
 * address) and waits until it has stopped listening, replaces the entry with itself, and only then
 * listens. A step-down request that reaches this session meanwhile waits for the attempt to end.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class UidTakeover {

  private static final long STEP_DOWN_TIMEOUT = 5_000;
  // Compare-and-set fails only when another login slipped past the lock (see UidHolders) or the
  // holder logged out meanwhile; a few attempts are plenty.
  private static final int TAKE_OVER_ATTEMPTS = 5;

  private final Vertx vertx;
  private final UidHolders holders;
  private final String holder;
  private String claiming;
  private Future<Void> claimDone;

  /** @param holder this session's entry: its connection id and its gateway instance's control address */
  UidTakeover(Vertx vertx, UidHolders holders, String holder) {
    this.vertx = vertx;
    this.holders = holders;
    this.holder = holder;
  }

  /**
   * Under the uid's lock (held by the caller): becomes the uid's holder, then {@code listen}s. When
   * either fails, {@code undo} runs and the entry is given up again.
   */
  Future<Void> claim(String uid, Supplier<Future<Void>> listen, Runnable undo) {
    // From here on a holder entry naming this session may exist before it listens: a step-down
    // request that arrives meanwhile waits for this attempt (see whenSettled).
    claiming = uid;
    Promise<Void> done = Promise.promise();
    claimDone = done.future();
    return takeOver(uid, 1).compose(v -> listen.get()).andThen(ar -> {
      claiming = null;
      if (ar.failed()) {
        undo.run();
        holders.release(uid, holder);
      }
      done.complete();
    });
  }

  /** @return completes when the claim of {@code uid} under way ends; null when none is */
  Future<Void> whenSettled(String uid) {
    return uid.equals(claiming) ? claimDone : null;
  }

  /** Gives the uid's entry up, if this session still holds it. */
  Future<Void> release(String uid) {
    return holders.release(uid, holder);
  }

  /** Makes this session the uid's holder once the current one has stopped listening. */
  private Future<Void> takeOver(String uid, int attempt) {
    return holders.get(uid).compose(current -> askToStepDown(current, uid)
      .compose(v -> holders.replace(uid, current, holder))
      .compose(replaced -> {
        if (replaced) {
          return Future.succeededFuture();
        }
        if (attempt >= TAKE_OVER_ATTEMPTS) {
          return Future.failedFuture(new RpcException(ErrorCode.INTERNAL_ERROR.code(),
            ErrorCode.INTERNAL_ERROR.message(), "the holder of " + uid + " kept changing"));
        }
        return takeOver(uid, attempt + 1);
      }));
  }

  /**
   * Asks the uid's holder, on whichever node it is, to step down, and waits until it has stopped
   * listening. No answer in time (its node is gone or frozen): carry on.
   */
  private Future<Void> askToStepDown(String current, String uid) {
    if (current == null || current.equals(holder)) {
      return Future.succeededFuture();
    }
    int space = current.indexOf(' ');
    if (space < 0) {
      return Future.succeededFuture(); // not an entry busrpc wrote: replace it
    }
    JsonObject request = new JsonObject().put("connection", current.substring(0, space)).put("uid", uid);
    return vertx.eventBus().request(current.substring(space + 1), request,
      new DeliveryOptions().setSendTimeout(STEP_DOWN_TIMEOUT).addHeader(Headers.CONTROL, ControlMessage.REPLACED.value())).<Void>mapEmpty().otherwiseEmpty();
  }
}
