package io.busrpc.cli;

import io.busrpc.client.BusRpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code busrpc listen --uid U}: logs in and prints every call and notification the server sends,
 * answering calls with a fixed reply, so a user plays a client from a shell.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
  description = "Logs in and prints each call and notification the server sends; answers calls with --reply.")
public final class ListenCommand implements Callable<Integer> {

  @Mixin
  ConnectionArgs connection = new ConnectionArgs();

  @Option(names = "--uid", required = true, description = "The uid to log in as.")
  String uid;

  @Option(names = "--reply", defaultValue = "\"ok\"", description = "The JSON result of every call (default: ${DEFAULT-VALUE}).")
  String reply;

  @Override
  public Integer call() throws InterruptedException {
    Object result = Json.decodeValue(reply);
    Vertx vertx = Vertx.vertx();
    CountDownLatch closed = new CountDownLatch(1);
    BusRpcClient client = BusRpcClient.create(vertx, connection.clientOptions())
      .fallbackHandler((method, params) -> {
        System.out.println(method + " " + Json.encode(params));
        System.out.flush();
        return result;
      })
      .closeHandler(v -> closed.countDown());
    try {
      client.connect().await();
      JsonObject login = client.login(new JsonObject().put("uid", uid)).await();
      System.err.println("listening as " + login.getString("uid") + " (Ctrl-C to stop)");
      closed.await();
      System.err.println("connection closed by the server");
      return 0;
    } catch (RuntimeException e) {
      System.err.println("listen failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().await();
    }
  }
}
