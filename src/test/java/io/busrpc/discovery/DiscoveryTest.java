package io.busrpc.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.bus.Addresses;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.testing.Discover;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rpc.discover} on one node (DESIGN.md §12): a valid OpenRPC 1.3 document, schemas for every
 * Java shape the binder accepts, filtered by login and roles, without raw consumers or {@code rpc.*},
 * and following deploys and undeploys.
 */
@ExtendWith(VertxExtension.class)
class DiscoveryTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, List<String>> USERS = Map.of(
    "bob", List.of(),
    "alice", List.of("admin"),
    "olga", List.of("ops"),
    "root", List.of("admin", "ops"));

  /** The handler of MethodBindingTest: every Java shape the binder accepts. */
  static final String BINDER = "io.busrpc.handler.MethodBindingTest$Binder";

  static Vertx vertx;
  static int port;

  /** Methods guarded by the handler's roles, by the gateway's methodRoles, and by both. */
  public static class Guarded extends RpcVerticle {

    @RpcMethod(value = "guarded.any", summary = "Anyone logged in", description = "Answers **any** caller that is logged in.")
    public String any() {
      return "any";
    }

    @RpcMethod(value = "guarded.admin", roles = "admin")
    public String admin() {
      return "admin";
    }

    @RpcMethod("ops.restart")
    public boolean restart() {
      return true;
    }

    @RpcMethod(value = "ops.audit", roles = {"auditor", "admin"})
    public boolean audit() {
      return true;
    }
  }

  /** Shapes beyond MethodBindingTest's: enums, nesting, recursion, maps of records, Vert.x JSON, sets, arrays. */
  public static class Shapes extends RpcVerticle {

    public enum Suit { HEARTS, SPADES }

    public record Card(Suit suit, int rank) {
    }

    public record Hand(String player, List<Card> cards, Map<String, Card> named, Card[] spare) {
    }

    public record Node(String label, List<Node> children) {
    }

    public static class Settings {
      @JsonProperty(required = true)
      public String name;
      public boolean loud;
      public long limit;
      public Set<String> tags;
    }

    @RpcMethod("shapes.deal")
    public Hand deal(Suit trumps, int count, Settings settings) {
      return null;
    }

    @RpcMethod("shapes.tree")
    public Future<Node> tree(Node root) {
      return Future.succeededFuture(root);
    }

    @RpcMethod("shapes.json")
    public JsonObject json(JsonArray array, JsonObject object, JsonNode anything, Object value) {
      return object;
    }

    @RpcMethod("shapes.small")
    public char small(short s, byte b, byte[] bytes, float f, java.math.BigInteger big) {
      return 'c';
    }

    @RpcMethod("shapes.numbers")
    public Future<Void> numbers(BigDecimal exact, double real, long big, Integer boxed, List<Map<String, List<Double>>> nested) {
      return Future.succeededFuture();
    }
  }

  /** Deployed and undeployed by the tests. */
  public static class Late extends RpcVerticle {

    @RpcMethod("late.arrival")
    public String arrival() {
      return "here";
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    DiscoveryTest.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer("test.auth", message -> {
      String user = message.body().getJsonObject("params").getString("user");
      message.reply(new JsonObject().put("uid", user).put("roles", new JsonArray(USERS.get(user))));
    }).completion().await();
    // A raw consumer: callable, but nothing describes it.
    vertx.eventBus().consumer(Addresses.DEFAULT.method("raw.thing"), message -> message.reply("raw")).completion().await();
    // One gateway instance: each instance keeps its own catalog snapshot for SNAPSHOT_TTL, so with
    // two, a method one instance lists may still be missing at the other for that long, and
    // aMethodIsListedWhileItsHandlerIsDeployed could not tell a wrong withdrawal from that.
    port = TestNode.start(vertx, new BusRpcOptions()
      .setGateway(new GatewayOptions().setPort(0).setInstances(1).setPublicMethods(List.of("subtract", "guarded.*", "raw.thing"))
        .setAuth(new AuthOptions().setType(AuthOptions.Type.BUS).setAddress("test.auth"))
        .setMethodRoles(Map.of("ops.*", List.of("ops", "admin"))))
      .addHandler(new HandlerDeployment(BINDER, 1, new JsonObject()))
      .addHandler(new HandlerDeployment(Guarded.class.getName(), 1, new JsonObject()))
      .addHandler(new HandlerDeployment(Shapes.class.getName(), 1, new JsonObject())));
  }

  static String login(String user) {
    return "{\"user\":\"" + user + "\"}";
  }

  @Test
  void theDocumentIsValidOpenRpcWithBusRpcsVersion() {
    JsonNode document = Discover.document(port, login("root"));
    assertEquals(DiscoveryDocument.OPENRPC_VERSION, document.path("openrpc").asText());
    assertEquals("busrpc", document.path("info").path("title").asText());
    assertEquals(BusRpcVersion.get(), document.path("info").path("version").asText());
    assertTrue(BusRpcVersion.get().matches("\\d+\\.\\d+\\.\\d+.*"), BusRpcVersion.get());
  }

  @Test
  void everyJavaShapeTheBinderAcceptsHasItsSchema() throws IOException {
    JsonNode expected;
    try (InputStream in = DiscoveryTest.class.getResourceAsStream("/discovery/shapes.json")) {
      expected = MAPPER.readTree(in);
    }
    JsonNode document = Discover.document(port, login("root"));
    for (JsonNode method : expected.path("methods")) {
      String name = method.path("name").asText();
      assertEquals(method, Discover.method(document, name), name);
    }
    assertEquals(expected.path("components"), document.path("components"));
    // The Caller never appears, wherever it stands among the parameters.
    assertEquals(List.of("greeting", "name"), paramNames(Discover.method(document, "greet")));
    assertEquals(List.of(), paramNames(Discover.method(document, "whoami")));
  }

  @Test
  void summaryAndDescriptionComeFromTheAnnotation() {
    JsonNode any = Discover.method(Discover.document(port, login("bob")), "guarded.any");
    assertEquals("Anyone logged in", any.path("summary").asText());
    assertEquals("Answers **any** caller that is logged in.", any.path("description").asText());
    JsonNode square = Discover.method(Discover.document(port, login("bob")), "square");
    assertFalse(square.has("summary"), square::toString);
    assertFalse(square.has("description"), square::toString);
  }

  @Test
  void beforeLoginOnlyPublicMethodsAreListed() {
    assertEquals(List.of("guarded.any", "subtract"), Discover.names(Discover.document(port, null)));
  }

  @Test
  void methodsWhoseRolesTheCallerLacksAreLeftOut() {
    List<String> bob = Discover.names(Discover.document(port, login("bob")));
    assertTrue(bob.contains("guarded.any") && bob.contains("square"), bob::toString);
    assertFalse(bob.contains("guarded.admin") || bob.contains("ops.restart") || bob.contains("ops.audit"), bob::toString);

    JsonNode alice = Discover.document(port, login("alice"));
    // admin satisfies the handler's roles of ops.audit and the gateway's ops.* at once.
    assertEquals(List.of("guarded.admin", "guarded.any", "ops.audit", "ops.restart"), guardedNames(alice));
    assertEquals(roles("admin"), Discover.method(alice, "guarded.admin").path("x-roles"));
    assertEquals(roles("admin"), Discover.method(alice, "ops.audit").path("x-roles"));
    assertEquals(roles("admin", "ops"), Discover.method(alice, "ops.restart").path("x-roles"));
    assertNull(Discover.method(alice, "guarded.any").get("x-roles"));

    // ops passes the gateway's methodRoles, not ops.audit's own roles.
    assertEquals(List.of("guarded.any", "ops.restart"), guardedNames(Discover.document(port, login("olga"))));
  }

  @Test
  void rawConsumersAndReservedMethodsAreNotListed() {
    List<String> names = Discover.names(Discover.document(port, login("root")));
    assertFalse(names.contains("raw.thing"), names::toString);
    assertTrue(names.stream().noneMatch(name -> name.startsWith("rpc.")), names::toString);
  }

  @Test
  void aMethodIsListedWhileItsHandlerIsDeployed() {
    String first = vertx.deployVerticle(new Late()).await();
    assertTrue(Poll.until(vertx, WAIT_MS, () -> listed("late.arrival")), "late.arrival listed after its deploy");
    // A second deployment of the class serves the name too: undeploying the first keeps it listed.
    String second = vertx.deployVerticle(new Late()).await();
    vertx.undeploy(first).await();
    // The withdrawal is done when undeploy completes and a gateway's snapshot lives SNAPSHOT_TTL: a
    // wrongly withdrawn name would be gone within one TTL; two and a half is a margin.
    assertFalse(Poll.until(vertx, 2 * MethodCatalog.SNAPSHOT_TTL + 500, () -> !listed("late.arrival")),
      "late.arrival stays listed while a deployment serves it");
    vertx.undeploy(second).await();
    assertTrue(Poll.until(vertx, WAIT_MS, () -> !listed("late.arrival")), "late.arrival gone after its last undeploy");
  }

  private static boolean listed(String method) {
    return Discover.names(Discover.document(port, login("bob"))).contains(method);
  }

  private static List<String> guardedNames(JsonNode document) {
    return Discover.names(document).stream().filter(name -> name.startsWith("guarded.") || name.startsWith("ops.")).toList();
  }

  private static List<String> paramNames(JsonNode method) {
    assertNotNull(method);
    return Discover.names(MAPPER.createObjectNode().set("methods", method.path("params")));
  }

  private static ArrayNode roles(String... roles) {
    ArrayNode array = MAPPER.createArrayNode();
    for (String role : roles) {
      array.add(role);
    }
    return array;
  }
}
