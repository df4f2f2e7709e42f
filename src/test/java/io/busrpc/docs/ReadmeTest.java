package io.busrpc.docs;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.TlsOptions;
import io.busrpc.management.ManagementOptions;
import io.busrpc.gateway.auth.AuthOptions;
import io.busrpc.handler.Caller;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.busrpc.web.WebOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.busrpc.testing.TestDefaults.DEMO_CONFIG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the README honest: its handler example works and its configuration table is complete. */
@ExtendWith(VertxExtension.class)
class ReadmeTest {

  /** The README's handler, as printed there. */
  public static class MathVerticle extends RpcVerticle {

    @RpcMethod
    public int subtract(int minuend, int subtrahend) {
      return minuend - subtrahend;
    }

    @RpcMethod("math.greet")
    public Future<String> greet(Caller caller, String name) {
      return vertx.timer(10).map(t -> "hello " + name + " from " + caller.remoteAddress());
    }

    @RpcMethod
    public Point move(Point from, int dx) {
      if (dx > 100) throw new RpcException(4001, "too far", new JsonObject().put("max", 100));
      return new Point(from.x() + dx, from.y());
    }
  }

  public record Point(int x, int y) {
  }

  @Test
  void theHandlerExampleWorksAsDescribed(Vertx vertx) throws IOException {
    int port = TestNode.start(vertx, new BusRpcOptions()
      .setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*")))
      .addHandler(new HandlerDeployment(MathVerticle.class.getName(), 1, new JsonObject())));
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}",
        client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"minuend\":42,\"subtrahend\":23},\"id\":1}"));
      assertTrue(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"math.greet\",\"params\":[\"bob\"],\"id\":2}")
        .startsWith("{\"jsonrpc\":\"2.0\",\"result\":\"hello bob from 127.0.0.1:"));
      assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"x\":3,\"y\":2},\"id\":3}",
        client.call("{\"jsonrpc\":\"2.0\",\"method\":\"move\",\"params\":[{\"x\":1,\"y\":2},2],\"id\":3}"));
      assertEquals("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":4001,\"message\":\"too far\",\"data\":{\"max\":100}},\"id\":4}",
        client.call("{\"jsonrpc\":\"2.0\",\"method\":\"move\",\"params\":[{\"x\":1,\"y\":2},200],\"id\":4}"));
    }
  }

  @Test
  void theConfigurationExampleIsTheDemoFile() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int intro = readme.indexOf("is the demo:");
    int start = readme.indexOf("```json", intro) + "```json".length();
    String shown = readme.substring(start, readme.indexOf("```", start)).strip();
    assertEquals(Files.readString(DEMO_CONFIG).strip(), shown);
  }

  @Test
  void theConfigurationTableListsEveryOption() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `((?:gateway|management|web)\\.[A-Za-z.]+)` \\|").matcher(readme);
    while (row.find()) {
      documented.add(row.group(1));
    }
    Set<String> options = new TreeSet<>();
    new GatewayOptions().toJson().fieldNames().forEach(name -> options.add("gateway." + name));
    options.remove("gateway.auth");
    options.remove("gateway.tls");
    new TlsOptions().setCertificate("c", "k").setClientCaPath("ca").toJson()
      .fieldNames().forEach(name -> options.add("gateway.tls." + name));
    // Optional members are absent from toJson() while unset; set them all to list every name.
    new AuthOptions().setAddress("a").setJwtKey("k").setJwtIssuer("i").setJwtAudience("a").toJson()
      .fieldNames().forEach(name -> options.add("gateway.auth." + name));
    new ManagementOptions().setToken("t".repeat(16)).toJson().fieldNames().forEach(name -> options.add("management." + name));
    new WebOptions().toJson().fieldNames().forEach(name -> options.add("web." + name));
    options.remove("web.tls");
    new TlsOptions().setCertificate("c", "k").setClientCaPath("ca").toJson()
      .fieldNames().forEach(name -> options.add("web.tls." + name));
    assertEquals(options, documented);
    assertTrue(new BusRpcOptions().toJson().containsKey("handlers"));
  }
}
