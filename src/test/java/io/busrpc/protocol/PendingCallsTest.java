package io.busrpc.protocol;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PendingCallsTest {

  private final PendingCalls<String> calls = new PendingCalls<>(timeout -> new RpcException(ErrorCode.TIMEOUT, "after " + timeout));

  private Future<String> register(long timeout, Object tag, long[] id) {
    Promise<String> promise = Promise.promise();
    id[0] = calls.register(promise, timeout, tag);
    return promise.future();
  }

  @Test
  void idsFollowTheSequenceAndAnAnswerCompletesItsCallOnly() {
    long[] first = new long[1];
    long[] second = new long[1];
    Future<String> a = register(1000, null, first);
    Future<String> b = register(1000, null, second);
    assertEquals(1, first[0]);
    assertEquals(2, second[0]);
    assertTrue(calls.complete(second[0], "two"));
    assertEquals("two", b.result());
    assertFalse(a.isComplete());
    assertEquals(1, calls.size());
  }

  @Test
  void theFirstToRemoveACallWinsAndEveryoneAfterFindsNothing() {
    long[] id = new long[1];
    Future<String> call = register(1000, null, id);
    assertTrue(calls.fail(id[0], new RpcException(ErrorCode.INTERNAL_ERROR)));
    assertFalse(calls.complete(id[0], "late answer"));
    assertNull(calls.remove(id[0]));
    calls.sweep(System.nanoTime() + 10_000_000_000L);
    assertEquals(ErrorCode.INTERNAL_ERROR.code(), ((RpcException) call.cause()).code());
    assertFalse(calls.complete(42, "unknown id"));
  }

  @Test
  void theSweepTimesOutOnlyOverdueCallsAndAnAnswerAfterItIsDropped() {
    long[] soon = new long[1];
    long[] late = new long[1];
    long[] never = new long[1];
    Future<String> overdue = register(100, null, soon);
    Future<String> waiting = register(60_000, null, late);
    Future<String> untimed = register(0, null, never);
    calls.sweep(System.nanoTime() + 1_000_000_000L);
    RpcException timeout = (RpcException) overdue.cause();
    assertEquals(ErrorCode.TIMEOUT.code(), timeout.code());
    assertEquals("after 100", timeout.getMessage());
    assertFalse(waiting.isComplete());
    assertFalse(untimed.isComplete());
    assertFalse(calls.complete(soon[0], "too late"));
    assertEquals(2, calls.size());
  }

  @Test
  void failAllEmptiesTheTableAndACallbackMayRegisterAgain() {
    long[] id = new long[1];
    List<Future<String>> again = new ArrayList<>();
    Future<String> first = register(1000, null, id);
    first.onFailure(e -> again.add(register(1000, null, new long[1])));
    register(1000, null, id);
    calls.failAll(new RpcException(ErrorCode.CLIENT_OFFLINE));
    assertTrue(first.failed());
    assertEquals(1, again.size());
    assertEquals(1, calls.size(), "only the call registered by the callback waits");
  }

  @Test
  void failIfFailsTheCallsWhoseTagMatches() {
    Future<String> toA = register(1000, "node-a", new long[1]);
    Future<String> toB = register(1000, "node-b", new long[1]);
    Future<String> untagged = register(1000, null, new long[1]);
    calls.failIf("node-a"::equals, new RpcException(ErrorCode.INTERNAL_ERROR, "left"));
    assertTrue(toA.failed());
    assertFalse(toB.isComplete());
    assertFalse(untagged.isComplete());
  }

  @Test
  void idOfReadsOnlyPlainDecimalIds() {
    assertEquals(17, PendingCalls.idOf(Buffer.buffer("17")));
    for (String id : new String[] {"\"17\"", "-1", "1.0", "", "1e3", "99999999999999999999"}) {
      assertEquals(-1, PendingCalls.idOf(Buffer.buffer(id)), id);
    }
    assertEquals(-1, PendingCalls.idOf(null));
  }
}
