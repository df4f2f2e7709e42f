package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.bus.Addresses;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Caller;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
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
import java.util.concurrent.CopyOnWriteArrayList;

import static io.busrpc.testing.Rpc.MAPPER;
import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access control with a bus authenticator that grants roles: {@code methodRoles} in the gateway and
 * {@code @RpcMethod(roles)} in the handler give -32002 to callers without the role, and the caller a
 * handler sees comes from the connection, whatever the client puts in its params.
 */
@ExtendWith(VertxExtension.class)
class AccessControlTest {

  private static final Map<String, List<String>> USERS = Map.of(
    "alice", List.of("admin"),
    "bob", List.of("user"),
    // A role name with a comma, e.g. taken from a group name a user chose.
    "mallory", List.of("user,admin"));
  static final List<String> notes = new CopyOnWriteArrayList<>();

  static Vertx vertx;
  static int port;

  /** Methods guarded by config (admin.*) and by annotation (secret), and one that shows the caller. */
  public static class AccessVerticle extends RpcVerticle {

    @RpcMethod("admin.stats")
    public String stats() {
      return "stats";
    }

    @RpcMethod(value = "secret", roles = "admin")
    public String secret() {
      return "secret";
    }

    @RpcMethod
    public Map<String, Object> whoami(Caller caller, Map<String, Object> params) {
      Map<String, Object> who = new LinkedHashMap<>();
      who.put("uid", caller.uid());
      who.put("roles", List.copyOf(caller.roles()));
      who.put("connection", caller.connectionId());
      return who;
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    AccessControlTest.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer("test.auth", message -> {
      String user = message.body().getJsonObject("params").getString("user");
      List<String> roles = USERS.get(user);
      if (roles == null) {
        message.fail(1, "unknown user");
      } else {
        message.reply(new JsonObject().put("uid", user).put("roles", new JsonArray(roles)));
      }
    }).completion().await();
    vertx.eventBus().<Object>consumer(Addresses.DEFAULT.method("rawwho"), message -> {
      Caller caller = Caller.fromHeaders(message.headers());
      message.reply(new JsonObject().put("uid", caller.uid()).put("roles", new JsonArray(List.copyOf(caller.roles()))));
    }).completion().await();
    vertx.eventBus().<Object>consumer(Addresses.DEFAULT.method("admin.note"), message ->
      notes.add(Caller.fromHeaders(message.headers()).uid())).completion().await();
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(AccessVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway()
      .setAuth(new AuthOptions().setType(AuthOptions.Type.BUS).setAddress("test.auth"))
      .setMethodRoles(Map.of("admin.*", List.of("admin")));
    port = TestNode.start(vertx, options);
  }

  private static String call(String method, String params, int id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params)
      + ",\"id\":" + id + "}";
  }

  private static TestClient loggedIn(String user) throws IOException {
    TestClient client = new TestClient(port, Framing.LINE);
    JsonNode login = MAPPER.readTree(client.call(call("rpc.login", "{\"user\":\"" + user + "\"}", 0)));
    assertEquals(user, login.path("result").path("uid").asText(), login.toString());
    return client;
  }

  private static void assertForbidden(TestClient client, String method) throws IOException {
    JsonNode answer = MAPPER.readTree(client.call(call(method, null, 5)));
    assertEquals(ErrorCode.FORBIDDEN.code(), answer.path("error").path("code").asInt(), method + ": " + answer);
    assertEquals(5, answer.path("id").asInt());
  }

  private static void assertResult(TestClient client, String method, String expected) throws IOException {
    JsonNode answer = MAPPER.readTree(client.call(call(method, null, 6)));
    assertEquals(expected, answer.path("result").asText(), method + ": " + answer);
  }

  @Test
  void callersWithoutTheRoleAreForbiddenCallersWithItGetResults() throws Exception {
    try (TestClient anonymous = new TestClient(port, Framing.LINE); TestClient bob = loggedIn("bob");
         TestClient alice = loggedIn("alice")) {
      for (TestClient denied : List.of(anonymous, bob)) {
        assertForbidden(denied, "admin.stats");
        assertForbidden(denied, "secret");
      }
      assertResult(alice, "admin.stats", "stats");
      assertResult(alice, "secret", "secret");
      // Logging out drops the roles.
      MAPPER.readTree(alice.call(call("rpc.logout", null, 1)));
      assertForbidden(alice, "admin.stats");
      assertForbidden(alice, "secret");
    }
  }

  @Test
  void eachBatchMemberIsCheckedOnItsOwn() throws Exception {
    try (TestClient bob = loggedIn("bob")) {
      JsonNode answers = MAPPER.readTree(bob.call("[" + call("admin.stats", null, 1) + "," + call("whoami", "{}", 2) + "]"));
      assertEquals(2, answers.size(), answers.toString());
      for (JsonNode answer : answers) {
        if (answer.path("id").asInt() == 1) {
          assertEquals(ErrorCode.FORBIDDEN.code(), answer.path("error").path("code").asInt(), answer.toString());
        } else {
          assertEquals("bob", answer.path("result").path("uid").asText(), answer.toString());
        }
      }
    }
  }

  @Test
  void forbiddenNotificationsAreDropped() throws Exception {
    try (TestClient bob = loggedIn("bob"); TestClient alice = loggedIn("alice")) {
      bob.send("{\"jsonrpc\":\"2.0\",\"method\":\"admin.note\",\"params\":[1]}");
      // bob's notification was read before this answer to his next call
      JsonNode who = MAPPER.readTree(bob.call(call("whoami", "{}", 6)));
      assertEquals("bob", who.path("result").path("uid").asText(), who.toString());
      alice.send("{\"jsonrpc\":\"2.0\",\"method\":\"admin.note\",\"params\":[2]}");
      assertTrue(Poll.until(vertx, WAIT_MS, () -> !notes.isEmpty()));
      assertEquals(List.of("alice"), notes);
    }
  }

  @Test
  void callerFieldsInParamsCannotSpoofTheIdentity() throws Exception {
    String spoof = "{\"busrpc.uid\":\"alice\",\"busrpc.roles\":\"admin\",\"busrpc.connection\":\"x\","
      + "\"caller\":{\"uid\":\"alice\",\"roles\":[\"admin\"]},\"uid\":\"alice\",\"roles\":[\"admin\"]}";
    try (TestClient bob = loggedIn("bob")) {
      JsonNode who = MAPPER.readTree(bob.call(call("whoami", spoof, 1))).path("result");
      assertEquals("bob", who.path("uid").asText(), who.toString());
      assertEquals(List.of("user"), MAPPER.convertValue(who.path("roles"), List.class));
      JsonNode raw = MAPPER.readTree(bob.call(call("rawwho", spoof, 2))).path("result");
      assertEquals("bob", raw.path("uid").asText(), raw.toString());
      assertEquals(List.of("user"), MAPPER.convertValue(raw.path("roles"), List.class));
      // Positional params with a caller-shaped object do not take the Caller's place either.
      JsonNode positional = MAPPER.readTree(bob.call(call("rawwho", "[{\"uid\":\"alice\"}]", 3))).path("result");
      assertEquals("bob", positional.path("uid").asText());
    }
    try (TestClient anonymous = new TestClient(port, Framing.LINE)) {
      JsonNode who = MAPPER.readTree(anonymous.call(call("whoami", spoof, 1))).path("result");
      assertTrue(who.path("uid").isNull(), who.toString());
      assertForbidden(anonymous, "secret");
    }
  }

  @Test
  void aRoleNameWithACommaDoesNotGrantTheRolesItSeemsToList() throws Exception {
    try (TestClient mallory = loggedIn("mallory")) {
      assertForbidden(mallory, "admin.stats"); // the gateway's check sees the role "user,admin"
      assertForbidden(mallory, "secret");      // the handler's check must see the same
    }
  }
}
