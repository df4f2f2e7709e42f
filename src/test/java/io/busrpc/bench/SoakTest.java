package io.busrpc.bench;

import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.ChatVerticle;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --soak} against a real node serving the chat, for a few seconds: every call is
 * answered once with the right value (errors only from calls to connections that were leaving), server→client calls and room messages flow, connections log
 * out, in and reconnect, and a line comes every interval. Counts only, no timing thresholds.
 */
@ExtendWith(VertxExtension.class)
class SoakTest {

  @Test
  void aShortSoakAnswersEverythingOnceWithChurnAndServerCalls(Vertx vertx) {
    int port = TestNode.start(vertx, TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject())));
    SoakOptions options = new SoakOptions().setPort(port).setConnections(60).setRate(300).setLoginsPerSecond(10)
      .setReconnectsPerSecond(4).setServerCallPercent(20).setRoomPercent(5).setRoomSize(10).setDuration(4)
      .setInterval(1).setThreads(2).setServerPid(ProcessHandle.current().pid());
    List<SoakLine> seen = new ArrayList<>();
    SoakResult result = Soak.create(vertx, options).run(seen::add).await();
    SoakLine last = result.last();

    assertFalse(result.hasProblems(), result.summary());
    assertEquals(last.sent(), last.answered(), result.summary());
    assertEquals(0, last.lost() + last.duplicated() + last.late() + last.wrong() + last.unexpected(), result.summary());
    assertTrue(last.sent() > 0 && last.serverCalls() > 0 && last.roomMessages() > 0, result.summary());
    assertTrue(last.logins() > 60 && last.logouts() > 0 && last.reconnects() > 0, result.summary());
    // The only error a churning run may see: a chat.send whose target was logging out or reconnecting
    // as the server called it, "client offline" (also for a call that reached its address just then).
    assertTrue(Set.of(-32003).containsAll(last.errors().keySet()), result.summary());
    // A line per interval (timers under load may merge one into the next) and the last after the final answers.
    assertTrue(seen.size() >= 2, "lines: " + seen.size());
    assertEquals(last, seen.get(seen.size() - 1));
    assertEquals(4, last.second());
    assertTrue(last.heapAfterGcBytes() > 0 && last.rssBytes() > 0, "this JVM's heap after GC and RSS: " + last.format());
    assertTrue(SoakReport.render(result).contains("<polyline"), "the HTML report plots heap and p99");
  }
}
