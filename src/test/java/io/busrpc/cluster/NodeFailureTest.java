package io.busrpc.cluster;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.GatedVerticle;
import io.busrpc.testing.NodeProcess;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's call waits on a handler of another node, which then fails: killed (SIGKILL), frozen
 * (SIGSTOP, until the cluster declares it dead: 4 s without heartbeats here), or stopped (SIGTERM).
 * The call fails at once with -32012 instead of waiting for the 30 s call timeout, and the method,
 * which no live node serves any more, is -32601 again within seconds. The client's own node goes on
 * serving it.
 */
class NodeFailureTest {

  enum Failure { KILLED, FROZEN, STOPPED }

  private ClusterNodes cluster;
  private NodeProcess handlerNode;

  @AfterEach
  void stop() {
    if (handlerNode != null) {
      handlerNode.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void aCallWaitingOnANodeThatFailsIsAnsweredAtOnce(Failure failure, @TempDir Path dir) throws Exception {
    cluster = new ClusterNodes();
    Vertx a = cluster.start();
    int portA = TestNode.start(a, TestNode.demoOptions()); // no handler of 'gated' on A
    BusRpcOptions b = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(GatedVerticle.class.getName(), 1, new JsonObject()));
    handlerNode = NodeProcess.start(cluster, b, dir, "node-b");

    try (TestClient client = new TestClient(portA, Framing.LINE)) {
      // The call crosses to B, whose handler never answers (its gate stays closed).
      client.send(Rpc.request(1, "gated", new JsonArray().add("x")));
      // A second call on the same connection proves A keeps serving while the first one waits.
      assertEquals(1, Rpc.call(client, 2, "subtract", new JsonArray().add(3).add(2)).getInteger("result"));

      long failed = System.nanoTime();
      switch (failure) {
        case KILLED -> handlerNode.kill();
        case FROZEN -> handlerNode.freeze();
        case STOPPED -> handlerNode.terminate();
      }
      JsonObject answer = new JsonObject(client.receive());
      long answeredMs = (System.nanoTime() - failed) / 1_000_000;
      assertEquals(1, answer.getInteger("id"), answer.encode());
      assertEquals(ErrorCode.NODE_LEFT.code(), Rpc.errorCode(answer), answer.encode());

      // The method is served by no live node now: -32601, not a timeout.
      long since = System.nanoTime();
      JsonObject again = Rpc.call(client, 3, "gated", new JsonArray().add("y"));
      long notFoundMs = (System.nanoTime() - since) / 1_000_000;
      assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), Rpc.errorCode(again), again.encode());
      assertEquals(1, Rpc.call(client, 4, "subtract", new JsonArray().add(3).add(2)).getInteger("result"));
      System.out.printf("FIGURE handler node %s: waiting call answered -32012 after %d ms; next call -32601 after %d ms%n",
        failure, answeredMs, notFoundMs);
      assertTrue(answeredMs < 20_000, "answered after " + answeredMs + " ms");
    }
  }
}
