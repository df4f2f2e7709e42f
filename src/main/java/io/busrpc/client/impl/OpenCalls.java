package io.busrpc.client.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcErrors;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.PendingCalls;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's calls waiting for their answers, timed out by one periodic sweep. */
final class OpenCalls {

  private static final Logger log = LoggerFactory.getLogger(OpenCalls.class);

  private final Vertx vertx;
  private final long timeout;
  private final PendingCalls<Object> pending;
  private final long sweepPeriod;
  private long sweepTimer = -1;

  OpenCalls(Vertx vertx, long timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.pending = new PendingCalls<>(t -> new RpcException(ErrorCode.TIMEOUT, "no answer within " + t + " ms"));
    // A tenth of the call timeout, between 10 ms and 1 s: how late a timeout may fire.
    this.sweepPeriod = Math.max(10, Math.min(1000, timeout / 10));
  }

  /** @return the id of a new call, whose answer completes {@code promise} */
  long open(Promise<Object> promise) {
    long id = pending.register(promise, timeout, null);
    startSweeping();
    return id;
  }

  /** Completes the call the answer is for; an answer for no call of ours is only logged. */
  void answer(JsonRpcMessage response) {
    Promise<Object> call = pending.remove(PendingCalls.idOf(response.id()));
    if (call == null) {
      if (response.error() != null) {
        log.warn("The server reported an error: {}", response.error());
      }
      return;
    }
    if (response.error() != null) {
      call.fail(JsonRpcErrors.read(response.error()));
    } else {
      call.complete(Json.decodeValue(response.result()));
    }
  }

  /** Fails every waiting call with -32003 (client offline): their answers cannot come. */
  void failAll(String why) {
    pending.failAll(new RpcException(ErrorCode.CLIENT_OFFLINE, why));
  }

  /** Times calls out with one periodic sweep while any are waiting, instead of a timer per call. */
  private void startSweeping() {
    if (sweepTimer == -1) {
      sweepTimer = vertx.setPeriodic(sweepPeriod, t -> {
        pending.sweep(System.nanoTime());
        if (pending.isEmpty()) {
          vertx.cancelTimer(sweepTimer);
          sweepTimer = -1;
        }
      });
    }
  }
}
