package io.busrpc.cli;

import io.busrpc.client.BusRpcClient;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code busrpc call METHOD [PARAMS]}: one call from a shell, like grpcurl. */
@Command(name = "call", mixinStandardHelpOptions = true,
  description = "Calls a method and prints its result as JSON (an error: printed, exit status 1).")
public final class CallCommand implements Callable<Integer> {

  @Mixin
  ConnectionArgs connection = new ConnectionArgs();

  @Mixin
  LoginArgs login = new LoginArgs();

  @Parameters(index = "0", description = "The method to call.")
  String method;

  @Parameters(index = "1", arity = "0..1", description = "The params as a JSON array or object, e.g. '[42,23]'.")
  String params;

  private final PrintStream out;

  /** Prints to standard output. */
  public CallCommand() {
    this(System.out);
  }

  CallCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    Object parsedParams;
    try {
      parsedParams = params == null ? null : Json.decodeValue(params);
    } catch (DecodeException e) {
      System.err.println("PARAMS is not JSON: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      BusRpcClient client = BusRpcClient.create(vertx, connection.clientOptions());
      client.connect().await();
      JsonObject credentials = login.credentials();
      if (credentials != null) {
        client.login(credentials).await();
      }
      Object result = client.call(method, parsedParams).await();
      out.println(Json.encode(result));
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
      System.err.println("call failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close().await();
    }
  }
}
