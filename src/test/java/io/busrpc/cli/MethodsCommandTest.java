package io.busrpc.cli;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.ChatVerticle;
import io.busrpc.testing.OpenRpcSchema;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code methods} tool run in-process through picocli against a real node. */
@ExtendWith(VertxExtension.class)
class MethodsCommandTest {

  static int port;
  static int privatePort;

  record Run(int status, String out, String err) {
  }

  @BeforeAll
  static void start(Vertx vertx) {
    port = TestNode.start(vertx, TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject())));
    BusRpcOptions closed = TestNode.demoOptions();
    closed.getGateway().setPublicMethods(List.of("get_data"));
    privatePort = TestNode.start(vertx, closed);
  }

  private static Run methods(String... args) {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int status = new CommandLine(new MethodsCommand(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
      new PrintStream(errBytes, true, StandardCharsets.UTF_8))).execute(args);
    return new Run(status, outBytes.toString(StandardCharsets.UTF_8).trim(), errBytes.toString(StandardCharsets.UTF_8).trim());
  }

  @Test
  void printsOneMethodALineWithParamsAndResult() {
    Run run = methods("--port", String.valueOf(port));
    assertEquals(0, run.status(), run.out());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).matches("METHOD +PARAMS +RESULT +SUMMARY"), lines.get(0));
    assertTrue(lines.contains(row("subtract", "minuend: integer, subtrahend: integer", "integer", "minuend - subtrahend", lines)),
      run.out());
    assertTrue(lines.contains(row("sum", "values: number...", "number", "The sum of any number of numbers", lines)), run.out());
    assertTrue(lines.contains(row("get_data", "-", "any[]", "Always [\"hello\", 5]", lines)), run.out());
    assertTrue(lines.contains(row("chat.send", "to: string, text: string", "any",
      "Sends a direct message; answers with the receiver's answer", lines)), run.out());
    // The header, then one line per method of the demo's handlers.
    assertEquals(1 + 11, lines.size(), run.out());
  }

  @Test
  void jsonPrintsTheWholeOpenRpcDocument() {
    Run run = methods("--port", String.valueOf(port), "--json", "--framing", "line");
    assertEquals(0, run.status(), run.out());
    OpenRpcSchema.assertValid(run.out());
    JsonArray methods = new JsonObject(run.out()).getJsonArray("methods");
    assertEquals("chat.join", methods.getJsonObject(0).getString("name"));
  }

  @Test
  void loginOptionsShowWhatALoggedInCallerMayCall() {
    String p = String.valueOf(privatePort);
    Run before = methods("--port", p);
    assertEquals(0, before.status(), before.out());
    assertEquals(List.of("METHOD", "get_data"), firstColumn(before.out()));
    Run after = methods("--port", p, "--uid", "cli-methods");
    assertEquals(0, after.status(), after.out());
    assertTrue(firstColumn(after.out()).containsAll(List.of("get_data", "subtract", "sum", "echo")), after.out());
  }

  @Test
  void aRefusedLoginPrintsTheErrorAndExitsOne() {
    Run run = methods("--port", String.valueOf(port), "--login", "{}");
    assertEquals(1, run.status());
    assertEquals(-32007, new JsonObject(run.out()).getInteger("code"), run.out());
  }

  @Test
  void aServerThatNeverAnswersPrintsTheTimeoutAndExitsOne(Vertx vertx) {
    NetServer silent = vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1").await();
    Run run = methods("--port", String.valueOf(silent.actualPort()), "--timeout", "500");
    assertEquals(1, run.status(), run.out());
    assertEquals(-32000, new JsonObject(run.out()).getInteger("code"), run.out());
  }

  @Test
  void noGatewayExitsOne() throws IOException {
    // A socket bound but not listening: the port is taken, so nobody else listens there, and a
    // connection to it is refused.
    try (Socket bound = new Socket()) {
      bound.bind(new InetSocketAddress("127.0.0.1", 0));
      Run run = methods("--port", String.valueOf(bound.getLocalPort()));
      assertEquals(new Run(1, "", "methods failed: Connection refused: /127.0.0.1:" + bound.getLocalPort()), run);
    }
  }

  @Test
  void rolesAndOptionalParamsShowInTheTable() {
    JsonArray methods = new JsonArray().add(new JsonObject("{\"name\":\"admin.kick\",\"summary\":\"Kicks a user\","
      + "\"params\":[{\"name\":\"uid\",\"required\":true,\"schema\":{\"type\":\"string\"}},"
      + "{\"name\":\"reason\",\"schema\":{\"type\":\"string\"}}],"
      + "\"result\":{\"name\":\"result\",\"schema\":{\"type\":\"null\"}},\"x-roles\":[\"admin\",\"mod\"]}"));
    assertEquals(List.of("METHOD      PARAMS                        RESULT  SUMMARY",
        "admin.kick  uid: string, reason?: string  null    Kicks a user (roles: admin, mod)"),
      MethodsCommand.table(methods).lines().toList());
  }

  private static List<String> firstColumn(String table) {
    return table.lines().map(line -> line.split(" +")[0]).toList();
  }

  /** @return the line the table prints for these cells, padded as the header is */
  private static String row(String method, String params, String result, String summary, List<String> lines) {
    String header = lines.get(0);
    int paramsAt = header.indexOf("PARAMS");
    int resultAt = header.indexOf("RESULT");
    int summaryAt = header.indexOf("SUMMARY");
    return String.format("%-" + paramsAt + "s%-" + (resultAt - paramsAt) + "s%-" + (summaryAt - resultAt) + "s%s", method, params,
      result, summary).stripTrailing();
  }
}
