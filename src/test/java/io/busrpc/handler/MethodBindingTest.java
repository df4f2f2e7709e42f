package io.busrpc.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link RpcVerticle} binds JSON params to Java parameters and turns results and exceptions into
 * answers, seen by a client on a real socket (DESIGN.md §3).
 */
@ExtendWith(VertxExtension.class)
class MethodBindingTest {

  /** The handler under test; every method is called through the gateway. */
  public static class Binder extends RpcVerticle {

    public record Point(int x, int y) {
    }

    public static class Person {
      public String name;
      public int age;
    }

    @RpcMethod
    public int subtract(int minuend, int subtrahend) {
      return minuend - subtrahend;
    }

    @RpcMethod
    public int square(int x) {
      return x * x;
    }

    @RpcMethod
    public String shout(String text) {
      return text.toUpperCase();
    }

    @RpcMethod
    public String where(Point point) {
      return point.x() + "," + point.y();
    }

    @RpcMethod
    public Point mirror(Point point) {
      return new Point(point.y(), point.x());
    }

    @RpcMethod
    public String describe(Person person) {
      return person.name + " is " + person.age;
    }

    @RpcMethod
    public int total(List<Integer> values) {
      return values.stream().mapToInt(Integer::intValue).sum();
    }

    @RpcMethod
    public Map<String, Object> sorted(Map<String, Object> map) {
      Map<String, Object> out = new TreeMap<>(map);
      out.put("size", map.size());
      return out;
    }

    @RpcMethod
    public int sum(int... values) {
      int total = 0;
      for (int v : values) {
        total += v;
      }
      return total;
    }

    @RpcMethod
    public String join(String separator, String... parts) {
      return String.join(separator, parts);
    }

    @RpcMethod
    public Map<String, Object> whoami(Caller caller) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("connectionId", caller.connectionId());
      out.put("remoteAddress", caller.remoteAddress());
      out.put("uid", caller.uid());
      out.put("loggedIn", caller.loggedIn());
      return out;
    }

    @RpcMethod
    public String greet(String greeting, Caller caller, String name) {
      return greeting + " " + name + (caller != null && caller.connectionId() != null ? " (with caller)" : " (no caller)");
    }

    @RpcMethod
    public Future<String> later(String name) {
      Promise<String> promise = Promise.promise();
      vertx.setTimer(20, id -> promise.complete("later " + name));
      return promise.future();
    }

    @RpcMethod
    public Future<String> laterFailing() {
      Promise<String> promise = Promise.promise();
      vertx.setTimer(20, id -> promise.fail(new RpcException(-32050, "too late", new JsonArray().add("x"))));
      return promise.future();
    }

    @RpcMethod
    public Future<String> laterBroken() {
      Promise<String> promise = Promise.promise();
      vertx.setTimer(20, id -> promise.fail(new IllegalStateException("secret")));
      return promise.future();
    }

    @RpcMethod
    public void nothing() {
    }

    @RpcMethod
    public int custom() {
      throw new RpcException(42, "custom", new JsonObject().put("k", "v"));
    }

    @RpcMethod
    public int broken() {
      throw new IllegalStateException("secret");
    }

    @RpcMethod("custom.name")
    public String renamed() {
      return "renamed";
    }
  }


  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    MethodBindingTest.vertx = vertx;
    // Not the demo options: SpecExamplesVerticle serves 'sum' and 'subtract' too.
    port = TestNode.start(vertx, new BusRpcOptions().setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*")))
      .addHandler(new HandlerDeployment(Binder.class.getName(), 1, new JsonObject())));
  }

  // ---- params ------------------------------------------------------------------------------

  @Test
  void positionalParamsBindInOrder() throws IOException {
    assertResult("19", call("subtract", "[42, 23]"));
    assertResult("-19", call("subtract", "[23, 42]"));
  }

  @Test
  void namedParamsBindByParameterName() throws IOException {
    assertResult("19", call("subtract", "{\"minuend\": 42, \"subtrahend\": 23}"));
    assertResult("19", call("subtract", "{\"subtrahend\": 23, \"minuend\": 42}"));
  }

  @Test
  void recordParamBindsFromAnObject() throws IOException {
    assertResult("\"1,2\"", call("where", "[{\"x\": 1, \"y\": 2}]"));
    assertResult("\"1,2\"", call("where", "{\"point\": {\"x\": 1, \"y\": 2}}"));
  }

  @Test
  void singleUnnamedParamGetsTheWholeObject() throws IOException {
    assertResult("\"3,4\"", call("where", "{\"x\": 3, \"y\": 4}"));
    assertResult("\"Ada is 36\"", call("describe", "{\"name\": \"Ada\", \"age\": 36}"));
    assertResult("{\"a\": 1, \"b\": [true], \"size\": 2}", call("sorted", "{\"b\": [true], \"a\": 1}"));
  }

  @Test
  void pojoParamBindsFromAnObject() throws IOException {
    assertResult("\"Ada is 36\"", call("describe", "[{\"name\": \"Ada\", \"age\": 36}]"));
    assertResult("\"Ada is 36\"", call("describe", "{\"person\": {\"name\": \"Ada\", \"age\": 36}}"));
  }

  @Test
  void listAndMapParams() throws IOException {
    assertResult("6", call("total", "[[1, 2, 3]]"));
    assertResult("6", call("total", "{\"values\": [1, 2, 3]}"));
    assertResult("{\"a\": {\"n\": null}, \"z\": \"last\", \"size\": 2}", call("sorted", "[{\"z\": \"last\", \"a\": {\"n\": null}}]"));
    assertError(-32602, call("total", "[[1, \"two\"]]"));
  }

  @Test
  void varargsTakeTheRestOfThePositionalParams() throws IOException {
    assertResult("0", call("sum", "[]"));
    assertResult("0", call("sum", null));
    assertResult("7", call("sum", "[1, 2, 4]"));
    assertResult("7", call("sum", "{\"values\": [1, 2, 4]}"));
    assertResult("\"a-b-c\"", call("join", "[\"-\", \"a\", \"b\", \"c\"]"));
    assertResult("\"\"", call("join", "[\"-\"]"));
    assertErrorNaming(-32602, "values", call("sum", "[1, \"2\"]"));
    assertError(-32602, call("join", "[]"));
  }

  @Test
  void callerParamIsFilledByTheGatewayNotByTheClient() throws IOException {
    JsonNode answer = call("whoami", null);
    JsonNode result = answer.get("result");
    assertNotNull(result, answer::toString);
    assertTrue(result.get("connectionId").isTextual(), answer::toString);
    assertFalse(result.get("connectionId").asText().isEmpty(), answer::toString);
    assertTrue(result.get("remoteAddress").isTextual(), answer::toString);
    assertTrue(result.get("remoteAddress").asText().contains("127.0.0.1"), answer::toString);
    assertTrue(result.get("uid").isNull(), answer::toString);
    assertFalse(result.get("loggedIn").asBoolean(), answer::toString);

    // The Caller takes no param slot, positionally or by name, and a client cannot name it.
    assertResult("\"hi Ada (with caller)\"", call("greet", "[\"hi\", \"Ada\"]"));
    assertResult("\"hi Ada (with caller)\"", call("greet", "{\"name\": \"Ada\", \"greeting\": \"hi\"}"));
    assertError(-32602, call("greet", "[\"hi\", {\"connectionId\": \"forged\"}, \"Ada\"]"));
    assertErrorNaming(-32602, "caller", call("greet", "{\"greeting\": \"hi\", \"name\": \"Ada\", \"caller\": {}}"));
  }

  @Test
  void callersOfTwoConnectionsDiffer() throws IOException {
    String first = call("whoami", null).get("result").get("connectionId").asText();
    String second = call("whoami", null).get("result").get("connectionId").asText();
    assertFalse(first.equals(second), first + " == " + second);
  }

  // ---- results -----------------------------------------------------------------------------

  @Test
  void futureResultAnswersWhenItCompletes() throws IOException {
    assertResult("\"later Ada\"", call("later", "[\"Ada\"]"));
  }

  @Test
  void futureFailingWithRpcExceptionKeepsCodeMessageAndData() throws IOException {
    JsonNode error = assertError(-32050, call("laterFailing", null));
    assertEquals(MAPPER.readTree("{\"code\": -32050, \"message\": \"too late\", \"data\": [\"x\"]}"), error);
  }

  @Test
  void futureFailingWithOtherExceptionIsInternalErrorWithoutDetails() throws IOException {
    String text = callText("laterBroken", null);
    JsonNode error = assertError(-32603, MAPPER.readTree(text));
    assertEquals("Internal error", error.get("message").asText());
    assertHidesInternals(text);
  }

  @Test
  void recordResultIsAJsonObject() throws IOException {
    assertResult("{\"x\": 2, \"y\": 1}", call("mirror", "[{\"x\": 1, \"y\": 2}]"));
  }

  @Test
  void voidResultIsNull() throws IOException {
    JsonNode answer = call("nothing", null);
    assertTrue(answer.has("result"), answer::toString);
    assertResult("null", answer);
  }

  // ---- errors ------------------------------------------------------------------------------

  @Test
  void rpcExceptionReachesTheClientUnchanged() throws IOException {
    JsonNode error = assertError(42, call("custom", null));
    assertEquals(MAPPER.readTree("{\"code\": 42, \"message\": \"custom\", \"data\": {\"k\": \"v\"}}"), error);
  }

  @Test
  void otherExceptionIsInternalErrorWithoutDetails() throws IOException {
    String text = callText("broken", null);
    JsonNode error = assertError(-32603, MAPPER.readTree(text));
    assertEquals("Internal error", error.get("message").asText());
    assertFalse(error.has("data"), text);
    assertHidesInternals(text);
  }

  @Test
  void wrongParamCountIsInvalidParams() throws IOException {
    assertError(-32602, call("subtract", "[1]"));
    assertError(-32602, call("subtract", "[1, 2, 3]"));
    assertError(-32602, call("subtract", null));
    assertError(-32602, call("nothing", "[1]"));
  }

  @Test
  void wrongTypeIsInvalidParamsNamingTheParam() throws IOException {
    assertErrorNaming(-32602, "x", call("square", "[\"5\"]"));
    assertErrorNaming(-32602, "x", call("square", "[1.5]"));
    assertErrorNaming(-32602, "x", call("square", "[null]"));
    assertErrorNaming(-32602, "x", call("square", "[true]"));
    assertErrorNaming(-32602, "x", call("square", "[3000000000]"));
    assertErrorNaming(-32602, "subtrahend", call("subtract", "{\"minuend\": 1, \"subtrahend\": \"2\"}"));
    assertErrorNaming(-32602, "point", call("where", "[[1, 2]]"));
  }

  @Test
  void scalarIsNotSilentlyTurnedIntoAString() throws IOException {
    assertResult("\"HI\"", call("shout", "[\"hi\"]"));
    assertErrorNaming(-32602, "text", call("shout", "[42]"));
    assertErrorNaming(-32602, "text", call("shout", "[1.5]"));
    assertErrorNaming(-32602, "text", call("shout", "[true]"));
    // Also inside a POJO: the error names the parameter the object was bound to.
    assertErrorNaming(-32602, "person", call("describe", "[{\"name\": 7, \"age\": 1}]"));
  }

  @Test
  void missingNamedParamIsInvalidParamsNamingIt() throws IOException {
    assertErrorNaming(-32602, "subtrahend", call("subtract", "{\"minuend\": 1}"));
    assertErrorNaming(-32602, "minuend", call("subtract", "{\"subtrahend\": 1}"));
  }

  @Test
  void unknownNamedParamIsInvalidParamsNamingIt() throws IOException {
    assertErrorNaming(-32602, "extra", call("subtract", "{\"minuend\": 1, \"subtrahend\": 2, \"extra\": 3}"));
    assertErrorNaming(-32602, "y", call("square", "{\"y\": 3}"));
  }

  // ---- names -------------------------------------------------------------------------------

  @Test
  void nameDefaultsToTheJavaMethodName() throws IOException {
    assertResult("9", call("square", "[3]"));
  }

  @Test
  void annotationValueOverridesTheName() throws IOException {
    assertResult("\"renamed\"", call("custom.name", null));
    assertError(-32601, call("renamed", null));
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Calls a method on a fresh connection; {@code params} is JSON text or {@code null} to omit it. */
  static String callText(String method, String params) throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      return client.call("{\"jsonrpc\":\"2.0\",\"method\":" + MAPPER.writeValueAsString(method)
        + (params == null ? "" : ",\"params\":" + params) + ",\"id\":1}");
    }
  }

  static JsonNode call(String method, String params) throws IOException {
    return MAPPER.readTree(callText(method, params));
  }

  static void assertResult(String expectedResult, JsonNode answer) throws IOException {
    ObjectNode expected = MAPPER.createObjectNode().put("jsonrpc", "2.0");
    expected.set("result", MAPPER.readTree(expectedResult));
    expected.put("id", 1);
    assertEquals(expected, answer);
  }

  /** @return the error member, after checking the answer is an error with that code */
  static JsonNode assertError(int code, JsonNode answer) {
    assertEquals("2.0", answer.path("jsonrpc").asText(), answer::toString);
    assertEquals(1, answer.path("id").asInt(), answer::toString);
    assertFalse(answer.has("result"), answer::toString);
    JsonNode error = answer.get("error");
    assertNotNull(error, answer::toString);
    assertEquals(code, error.path("code").asInt(), answer::toString);
    assertTrue(error.path("message").isTextual(), answer::toString);
    return error;
  }

  static void assertErrorNaming(int code, String param, JsonNode answer) {
    JsonNode error = assertError(code, answer);
    assertTrue(error.get("message").asText().contains("'" + param + "'"), "message should name '" + param + "': " + answer);
  }

  static void assertHidesInternals(String text) {
    assertFalse(text.contains("secret"), text);
    assertFalse(text.contains("Exception"), text);
    assertFalse(text.contains("\tat "), text);
    assertFalse(text.contains("io.busrpc"), text);
  }
}
