package io.busrpc.cli;

import io.busrpc.client.BusRpcClient;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code busrpc methods}: asks a gateway's {@code rpc.discover} and prints the methods this caller
 * may call, one a line with its params and result, or the whole OpenRPC document with {@code --json}.
 */
@Command(name = "methods", mixinStandardHelpOptions = true,
  description = "Lists the methods you may call (rpc.discover): one a line with params and result; --json prints the OpenRPC document.")
public final class MethodsCommand implements Callable<Integer> {

  @Mixin
  ConnectionArgs connection = new ConnectionArgs();

  @Mixin
  LoginArgs login = new LoginArgs();

  @Option(names = "--json", description = "Print the whole OpenRPC document as JSON.")
  boolean json;

  private final PrintStream out;
  private final PrintStream err;

  /** Prints to standard output and standard error. */
  public MethodsCommand() {
    this(System.out, System.err);
  }

  MethodsCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Vertx vertx = Vertx.vertx();
    try {
      BusRpcClient client = BusRpcClient.create(vertx, connection.clientOptions());
      client.connect().await();
      JsonObject credentials = login.credentials();
      if (credentials != null) {
        client.login(credentials).await();
      }
      Object document = client.call("rpc.discover", null).await();
      if (!(document instanceof JsonObject openrpc)) {
        err.println("methods failed: rpc.discover answered " + document);
        return 1;
      }
      out.println(json ? openrpc.encodePrettily() : table(openrpc.getJsonArray("methods", new JsonArray())));
      return 0;
    } catch (RpcException e) {
      JsonObject error = new JsonObject().put("code", e.code()).put("message", e.getMessage());
      if (e.data() != null) {
        error.put("data", e.data());
      }
      out.println(error.encode());
      return 1;
    } catch (Exception e) {
      // await() rethrows a failed connect's IOException as it is, unchecked
      err.println("methods failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().await();
    }
  }

  /** One line per method: name, params, result and summary in aligned columns. */
  static String table(JsonArray methods) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[]{"METHOD", "PARAMS", "RESULT", "SUMMARY"});
    for (Object entry : methods) {
      if (entry instanceof JsonObject method) {
        rows.add(new String[]{method.getString("name", ""), params(method), result(method), summary(method)});
      }
    }
    int[] widths = new int[3];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i < widths.length ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString().stripTrailing();
  }

  private static String params(JsonObject method) {
    List<String> params = new ArrayList<>();
    for (Object entry : method.getJsonArray("params", new JsonArray())) {
      if (entry instanceof JsonObject param) {
        String type = SchemaText.of(param.getValue("schema"));
        boolean varargs = param.getBoolean("x-varargs", false);
        params.add(param.getString("name", "?") + (param.getBoolean("required", false) ? "" : "?") + ": "
          + (varargs && type.endsWith("[]") ? type.substring(0, type.length() - 2) + "..." : type));
      }
    }
    return params.isEmpty() ? "-" : String.join(", ", params);
  }

  private static String result(JsonObject method) {
    JsonObject result = method.getJsonObject("result");
    return result == null ? "-" : SchemaText.of(result.getValue("schema"));
  }

  private static String summary(JsonObject method) {
    String summary = method.getString("summary", "");
    JsonArray roles = method.getJsonArray("x-roles");
    if (roles != null && !roles.isEmpty()) {
      List<String> names = new ArrayList<>();
      roles.forEach(role -> names.add(String.valueOf(role)));
      summary = (summary.isEmpty() ? "" : summary + " ") + "(roles: " + String.join(", ", names) + ")";
    }
    return summary;
  }
}
