package io.busrpc.handler;

import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.bus.HandlerRegistry;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may serve a method name (DESIGN.md §3): one handler class per name, shared by the instances of
 * that class, given back when they are all undeployed.
 */
@ExtendWith(VertxExtension.class)
class HandlerRegistrationTest {

  public static class SumA extends RpcVerticle {
    @RpcMethod("sum")
    public String sum(int... values) {
      return "A";
    }
  }

  public static class SumB extends RpcVerticle {
    @RpcMethod("sum")
    public String sum(int... values) {
      return "B";
    }

    @RpcMethod("onlyB")
    public String onlyB() {
      return "onlyB";
    }
  }

  public static class Who extends RpcVerticle {
    @RpcMethod
    public int who() {
      return System.identityHashCode(this);
    }
  }

  public static class Reserved extends RpcVerticle {
    @RpcMethod
    public String fine() {
      return "fine";
    }

    @RpcMethod("rpc.login")
    public String login() {
      return "hijacked";
    }
  }

  /** A typed API a handler implements; javac adds a bridge {@code echo(Object)} to the class. */
  public interface Echo<T> {
    T echo(T value);
  }

  public static class GenericEcho extends RpcVerticle implements Echo<String> {
    @Override
    @RpcMethod
    public String echo(String value) {
      return "echo " + value;
    }
  }

  public static class BaseGreeter extends RpcVerticle {
    @RpcMethod
    public Object greet() {
      return "base";
    }
  }

  /** Overrides with a covariant return type, which also makes javac add a bridge method. */
  public static class CovariantGreeter extends BaseGreeter {
    @Override
    @RpcMethod
    public String greet() {
      return "covariant";
    }
  }


  Vertx vertx;
  int port;
  TestClient client;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    this.vertx = vertx;
    port = TestNode.start(vertx, new BusRpcOptions().setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*"))));
    client = new TestClient(port, Framing.LINE);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
  }

  @Test
  void secondClassServingTheSameNameFailsToDeployAndTheFirstKeepsServing() throws IOException {
    deploy(SumA.class, 1);

    Throwable failure = deployFailure(SumB.class, 1);
    String message = String.valueOf(failure.getMessage());
    assertTrue(message.contains("method 'sum' is already served by"), message);
    assertTrue(message.contains(SumA.class.getName()), message);
    assertTrue(message.contains(SumB.class.getName()), message);

    assertEquals(MAPPER.readTree("\"A\""), result(call("sum", "[1, 2]")));
    // All or none: the failed deployment claimed none of its other names either.
    assertEquals(-32601, errorCode(call("onlyB", null)));
    assertFalse(HandlerRegistry.get(vertx).isRpcMethod("onlyB"));
  }

  @Test
  void conflictIsAlsoReportedWhenTheNodeDeploysBothClasses() {
    BusRpcOptions options = new BusRpcOptions().setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*")))
      .addHandler(new HandlerDeployment(SumA.class.getName(), 1, new JsonObject()))
      .addHandler(new HandlerDeployment(SumB.class.getName(), 1, new JsonObject()));
    Throwable failure = assertThrows(Throwable.class, () -> TestNode.start(vertx, options),
      "a node configured with two classes serving 'sum' must not start");
    assertTrue(String.valueOf(failure.getMessage()).contains("'sum'"), String.valueOf(failure));
  }

  @Test
  void instancesOfOneClassShareTheNameAndCallsAreSpreadOverThem() throws IOException {
    deploy(Who.class, 4);
    Set<Integer> answered = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      JsonNode result = result(call("who", null));
      assertTrue(result.isInt(), result::toString);
      answered.add(result.asInt());
    }
    assertTrue(answered.size() > 1, "all 50 calls went to one instance: " + answered);
    assertTrue(answered.size() <= 4, "more answering instances than deployed: " + answered);
  }

  @Test
  void sameClassMayBeDeployedAgainAndSharesTheName() throws IOException {
    String first = deploy(SumA.class, 2);
    String second = deploy(SumA.class, 2);
    vertx.undeploy(first).await();
    // Two instances still serve 'sum', so another class still may not take it.
    assertEquals(MAPPER.readTree("\"A\""), result(call("sum", "[]")));
    deployFailure(SumB.class, 1);
    vertx.undeploy(second).await();
    deploy(SumB.class, 1);
    assertEquals(MAPPER.readTree("\"B\""), result(call("sum", "[]")));
  }

  @Test
  void undeployingAllInstancesFreesTheName() throws IOException {
    String id = deploy(SumA.class, 4);
    deployFailure(SumB.class, 1);

    vertx.undeploy(id).await();
    assertEquals(-32601, errorCode(call("sum", "[]")));

    deploy(SumB.class, 1);
    assertEquals(MAPPER.readTree("\"B\""), result(call("sum", "[]")));
    assertEquals(MAPPER.readTree("\"onlyB\""), result(call("onlyB", null)));
  }

  @Test
  void reservedRpcPrefixFailsDeployment() throws IOException {
    Throwable failure = deployFailure(Reserved.class, 1);
    assertTrue(String.valueOf(failure.getMessage()).contains("rpc.login"), String.valueOf(failure));
    // Nothing of the refused class is served or claimed.
    assertEquals(-32601, errorCode(call("fine", null)));
    assertFalse(HandlerRegistry.get(vertx).isRpcMethod("fine"));
    assertFalse(HandlerRegistry.get(vertx).isRpcMethod("rpc.login"));
  }

  @Test
  void bridgeMethodsDoNotCountAsASecondDeclaration() throws IOException {
    deploy(GenericEcho.class, 1);
    deploy(CovariantGreeter.class, 2);
    assertEquals(MAPPER.readTree("\"echo hi\""), result(call("echo", "[\"hi\"]")));
    assertEquals(MAPPER.readTree("\"covariant\""), result(call("greet", null)));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private String deploy(Class<? extends RpcVerticle> type, int instances) {
    return vertx.deployVerticle(type.getName(), new DeploymentOptions().setInstances(instances)).await();
  }

  private Throwable deployFailure(Class<? extends RpcVerticle> type, int instances) {
    Future<String> deployment = vertx.deployVerticle(type.getName(), new DeploymentOptions().setInstances(instances));
    try {
      deployment.await();
    } catch (Throwable ignored) {
      // checked below
    }
    assertTrue(deployment.failed(), type.getSimpleName() + " should not deploy");
    return deployment.cause();
  }

  private JsonNode call(String method, String params) throws IOException {
    return MAPPER.readTree(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\""
      + (params == null ? "" : ",\"params\":" + params) + ",\"id\":1}"));
  }

  private static JsonNode result(JsonNode answer) {
    assertTrue(answer.has("result"), answer::toString);
    return answer.get("result");
  }

  private static int errorCode(JsonNode answer) {
    assertTrue(answer.has("error"), answer::toString);
    return answer.get("error").get("code").asInt();
  }
}
