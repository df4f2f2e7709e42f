package io.busrpc.cli;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.bus.Addresses;
import io.busrpc.handler.Caller;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code call} tool run in-process through picocli against a real node. */
@ExtendWith(VertxExtension.class)
class CliTest {

  static Vertx vertx;
  static int port;
  static int privatePort;

  record Run(int status, String out) {
  }

  @BeforeAll
  static void start(Vertx vertx) {
    CliTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
    BusRpcOptions closed = TestNode.demoOptions();
    closed.getGateway().setPublicMethods(List.of());
    privatePort = TestNode.start(vertx, closed);
    vertx.eventBus().consumer(Addresses.DEFAULT.method("whoami"), msg ->
      msg.reply(new JsonObject().put("uid", Caller.fromHeaders(msg.headers()).uid()))).completion().await();
  }

  private static Run call(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = new CommandLine(new CallCommand(out)).execute(args);
    return new Run(status, bytes.toString(StandardCharsets.UTF_8).trim());
  }

  @Test
  void printsTheResultAndExitsZero() {
    assertEquals(new Run(0, "19"), call("--port", String.valueOf(port), "subtract", "[42,23]"));
    assertEquals(new Run(0, "[\"hello\",5]"), call("--port", String.valueOf(port), "get_data"));
  }

  @Test
  void aMissingMethodPrintsTheErrorAndExitsOne() {
    Run run = call("--port", String.valueOf(port), "no.such.method", "[]");
    assertEquals(1, run.status());
    JsonObject error = new JsonObject(run.out());
    assertEquals(-32601, error.getInteger("code"));
    assertEquals("Method not found", error.getString("message"));
  }

  @Test
  void uidLogsInFirst() {
    String p = String.valueOf(privatePort);
    Run refused = call("--port", p, "whoami");
    assertEquals(1, refused.status());
    assertEquals(-32001, new JsonObject(refused.out()).getInteger("code"));
    assertEquals(new Run(0, "{\"uid\":\"cli-user\"}"), call("--port", p, "--uid", "cli-user", "whoami"));
    assertEquals(new Run(0, "{\"uid\":\"cli-2\"}"), call("--port", p, "--login", "{\"uid\":\"cli-2\"}", "whoami"));
  }

  @Test
  void everyFraming() {
    for (String framing : List.of("line", "len", "lsp")) {
      assertEquals(new Run(0, "19"), call("--port", String.valueOf(port), "--framing", framing, "subtract", "{\"minuend\":42,\"subtrahend\":23}"), framing);
    }
  }

  @Test
  void badParamsExitTwoWithoutCalling() {
    assertEquals(new Run(2, ""), call("--port", String.valueOf(port), "subtract", "[42,"));
  }
}
