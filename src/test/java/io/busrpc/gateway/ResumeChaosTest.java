package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.handler.Clients;
import io.busrpc.testing.ChaosTraffic;
import io.busrpc.testing.Poll;
import io.busrpc.testing.ResumeClient;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestNode;
import io.busrpc.web.WebOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Session resume under fire, on one node with two gateway instances: a client's connection is cut
 * at random moments (a reset or close, or a new connection that takes over a half-open one; it comes
 * back over TCP or a WebSocket) while thousands
 * of numbered room messages and server→client calls flow to it and while it calls the server.
 * Every message must arrive exactly once and in order, every call get exactly one answer, in both
 * directions. The seed of each run is in the failure messages.
 */
@ExtendWith(VertxExtension.class)
public class ResumeChaosTest {

  static final int MESSAGES = 3_000;
  public static final int SERVER_CALLS = 300;
  static final int CLIENT_CALLS = 300;

  /** The client comes back over TCP or a WebSocket, to either gateway instance. */
  @Test
  void everythingArrivesExactlyOnceAndInOrderAcrossRandomCuts(Vertx vertx) throws Exception {
    BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(0));
    // The client falls behind on a loaded machine: the server's calls wait for it meanwhile.
    options.getGateway().setInstances(2).setMaxPendingClientCalls(SERVER_CALLS);
    BusRpcVerticle node = TestNode.deploy(vertx, options);
    ResumeClient.Connector tcp = ResumeClient.tcp(node.gateway().actualPort());
    run(vertx, tcp, List.of(tcp, ResumeClient.ws(vertx, node.webListener().actualPort())), "chaos");
  }

  /**
   * Logs a client in as {@code uid} through {@code first}, then cuts and resumes it through one of {@code resumeOn},
   * picked at random each time, while {@code vertx}'s node sends it room messages and calls and it
   * calls a handler on that node.
   */
  public static void run(Vertx vertx, ResumeClient.Connector first, List<ResumeClient.Connector> resumeOn, String uid)
    throws Exception {
    String room = uid + "-room";
    Clients clients = Clients.create(vertx);
    Map<Integer, Integer> handled = ChaosTraffic.serveNotes(vertx);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String run = "seed " + seed;

    ResumeClient client = ResumeClient.login(first, uid);
    await(clients.join(uid, room));

    // The server side: numbered room messages, and a numbered call every tenth message, from one event loop.
    Future<Object>[] serverCalls = ChaosTraffic.publish(vertx, clients, room, uid, MESSAGES, SERVER_CALLS);

    List<Integer> chats = new ArrayList<>();
    List<Integer> asks = new ArrayList<>();
    int[] answers = new int[CLIENT_CALLS];
    int answered = 0;
    int nextCall = 0;
    int cuts = 0;
    long acked = 0;
    long nextCut = System.nanoTime() + cutDelay(random);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (chats.size() < MESSAGES || asks.size() < SERVER_CALLS || answered < CLIENT_CALLS) {
      if (System.nanoTime() > deadline) {
        Future<Object> next = asks.size() < SERVER_CALLS ? serverCalls[asks.size()] : null;
        fail(run + ": stuck with " + chats.size() + " messages, " + asks.size() + " server calls, " + answered
          + " answers, after " + cuts + " cuts; the next server call " + (next == null ? "was never made"
          : !next.isComplete() ? "waits" : next.failed() ? "failed: " + next.cause() : "succeeded: " + next.result()));
      }
      try {
        if (nextCall < CLIENT_CALLS && nextCall - answered < 8) {
          client.send(Rpc.request(nextCall, "chaos.note", new JsonObject().put("n", nextCall)));
          nextCall++;
        }
        Object received = client.poll(5);
        if (received instanceof JsonObject message) {
          String method = message.getString("method");
          if ("chat".equals(method)) {
            int n = message.getJsonObject("params").getInteger("n");
            assertEquals(chats.size(), n, run + ": room message out of order or twice");
            chats.add(n);
          } else if ("echo".equals(method)) {
            int c = message.getJsonObject("params").getInteger("c");
            int expected = asks.size();
            assertEquals(expected, c, () -> run + ": server call out of order or twice; call " + expected + ": "
              + (serverCalls[expected].failed() ? serverCalls[expected].cause() : "not failed"));
            asks.add(c);
            client.send(new JsonObject().put("jsonrpc", "2.0").put("result", new JsonObject().put("c", c))
              .put("id", message.getValue("id")).encode());
          } else {
            int id = message.getInteger("id");
            assertEquals(id, message.getInteger("result"), run + ": " + message.encode());
            assertEquals(1, ++answers[id], run + ": answer " + id + " twice");
            answered++;
          }
        } else if (received != null) {
          fail(run + ": unexpected " + received);
        }
        if (client.received() - acked >= 20 || (received == null && client.received() > acked)) {
          client.ack();
          acked = client.received();
        }
        if (System.nanoTime() > nextCut) {
          cuts++;
          client.connectWith(resumeOn.get(random.nextInt(resumeOn.size())));
          nextCut = System.nanoTime() + cutDelay(random);
          ResumeClient.Wire old = client.wire();
          if (random.nextBoolean()) {
            old.cut();
            // Varies how far the gateway got in seeing the drop; waits for nothing.
            vertx.timer(random.nextInt(30) + 1).await();
            resume(client, run, false);
          } else {
            resume(client, run, true); // the old connection is still open: half-open
            old.close();
          }
          acked = client.received();
        }
      } catch (IOException e) {
        cuts++;
        client.connectWith(resumeOn.get(random.nextInt(resumeOn.size())));
        resume(client, run, false);
        acked = client.received();
      }
    }
    assertTrue(cuts >= 10, run + ": only " + cuts + " cuts");
    System.out.printf("FIGURE resume chaos (%s): %d cuts, %d room messages, %d server calls, %d client calls%n",
      run, cuts, MESSAGES, SERVER_CALLS, CLIENT_CALLS);
    for (int c = 0; c < SERVER_CALLS; c++) {
      assertEquals(new JsonObject().put("c", c), await(serverCalls[c]), run + ": server call " + c);
    }
    assertTrue(Poll.until(vertx, 10_000, () -> handled.size() == CLIENT_CALLS), run + ": calls handled " + handled.size());
    handled.forEach((n, times) -> assertEquals(1, times, run + ": call " + n + " handled " + times + " times"));
    client.ack();
    // A message resent twice would come within a second of the others on loopback.
    assertNull(client.poll(1_000), run);
    client.close();
  }

  private static long cutDelay(Random random) {
    return TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(250));
  }

  private static void resume(ResumeClient client, String run, boolean keepOld) throws IOException {
    JsonObject answer = client.resume(keepOld);
    assertNotNull(answer.getJsonObject("result"), () -> run + ": resume failed: " + answer.encode());
  }
}
