package io.busrpc.handler;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handlers deployed one per event loop ({@code handlers[].perEventLoop}): a gateway instance sends
 * the calls it receives to the instance on its own event loop, through the event bus, so a
 * connection's calls are all served on that one thread; once they are undeployed, the class's
 * other instances serve the calls.
 */
@ExtendWith(VertxExtension.class)
class EventLoopHandlersTest {

  private static final int GATEWAY_INSTANCES = 2;
  private static final int CONNECTIONS = 6;
  private static final int CALLS = 12;

  /** Answers the name of the thread that runs it. */
  public static class ThreadVerticle extends RpcVerticle {
    @RpcMethod("thread")
    public String thread(Caller caller) {
      return Thread.currentThread().getName() + " " + caller.connectionId();
    }
  }

  @Test
  void aConnectionsCallsAreServedOnItsGatewaysEventLoop(Vertx vertx) throws Exception {
    int port = TestNode.start(vertx, options(true));
    Set<String> threads = new HashSet<>();
    for (TestClient client : clients(port)) {
      try (client) {
        Set<String> ofThisConnection = threadsServing(client);
        assertEquals(1, ofThisConnection.size(), () -> "one connection's calls ran on " + ofThisConnection);
        threads.addAll(ofThisConnection);
      }
    }
    assertTrue(threads.size() <= GATEWAY_INSTANCES, () -> "the calls ran on " + threads + ", more threads than gateway instances");
  }

  @Test
  void withoutPerEventLoopTheInstancesShareTheCalls(Vertx vertx) throws Exception {
    // The balancing the event bus does between instances is what perEventLoop replaces: here one
    // connection's calls reach several instances, on several threads.
    int port = TestNode.start(vertx, options(false));
    try (TestClient client = new TestClient(port, Framing.LENGTH)) {
      Set<String> threads = threadsServing(client);
      assertTrue(threads.size() > 1, () -> "all calls ran on " + threads);
    }
  }

  @Test
  void callsGoToTheOtherInstancesOnceTheLoopInstancesAreUndeployed(Vertx vertx) throws Exception {
    // One instance deployed the usual way, and a deployment per event loop of the same class.
    int port = TestNode.start(vertx, options(new HandlerDeployment(ThreadVerticle.class.getName(), 1, new JsonObject())));
    String perLoop = vertx.deployVerticle(ThreadVerticle.class.getName(), new DeploymentOptions().setInstances(8)
      .setConfig(new JsonObject().put(RpcVerticle.PER_EVENT_LOOP, true))).await();
    try (TestClient client = new TestClient(port, Framing.LENGTH)) {
      assertEquals(1, threadsServing(client).size());
      vertx.undeploy(perLoop).await();
      // Each call is answered (none waits for a loop instance that is gone), by the remaining one.
      assertEquals(1, threadsServing(client).size());
    }
  }

  private static BusRpcOptions options(boolean perEventLoop) {
    return options(new HandlerDeployment(ThreadVerticle.class.getName(), perEventLoop ? 1 : 4, new JsonObject(), perEventLoop));
  }

  private static BusRpcOptions options(HandlerDeployment handler) {
    return new BusRpcOptions()
      .setGateway(new GatewayOptions().setPort(0).setInstances(GATEWAY_INSTANCES).setPublicMethods(List.of("*")))
      .addHandler(handler);
  }

  private static List<TestClient> clients(int port) throws Exception {
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      clients.add(new TestClient(port, Framing.LENGTH));
    }
    return clients;
  }

  private static Set<String> threadsServing(TestClient client) throws Exception {
    Set<String> threads = new HashSet<>();
    for (int i = 0; i < CALLS; i++) {
      JsonObject answer = Rpc.call(client, i, "thread", new JsonArray());
      String result = answer.getString("result");
      assertTrue(result != null, answer::encode);
      threads.add(result.substring(0, result.indexOf(' ')));
    }
    return threads;
  }
}
