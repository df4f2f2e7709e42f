package io.busrpc.client;

import io.busrpc.client.impl.BusRpcClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A Java client of a busrpc gateway: calls server methods, logs in, and answers the calls the
 * server makes to it.
 *
 * <pre>{@code
 * BusRpcClient client = BusRpcClient.create(vertx, new ClientOptions().setPort(7000));
 * client.register("chat.receive", params -> "got it");
 * client.connect()
 *   .compose(v -> client.login(new JsonObject().put("uid", "alice")))
 *   .compose(v -> client.call("subtract", List.of(42, 23), Integer.class))
 *   .onSuccess(System.out::println);
 * }</pre>
 *
 * <p>Params are a {@code JsonArray}/{@code JsonObject}, a {@code List} or array (positional), a
 * {@code Map} or an object Jackson writes as an object (named), or {@code null}. Results are Vert.x
 * JSON values. A failed call fails with {@link io.busrpc.protocol.RpcException} carrying the
 * server's code, message and data; calls pending when the connection drops, and calls made while
 * it is down, fail at once with -32003 (client offline), unless the session is resumable
 * ({@link ClientOptions#setResume}): then they wait for the resume and get their answers.
 */
public interface BusRpcClient {

  /** @return a client; call {@link #connect()} before anything else */
  static BusRpcClient create(Vertx vertx, ClientOptions options) {
    return new BusRpcClientImpl(vertx, options);
  }

  /** Connects to the gateway. */
  Future<Void> connect();

  /** Calls a method; the result is a Vert.x JSON value. */
  Future<Object> call(String method, Object params);

  /** Calls a method and binds the result to {@code type} with Jackson. */
  <T> Future<T> call(String method, Object params, Class<T> type);

  /** Sends a notification; completes once written. */
  Future<Void> notify(String method, Object params);

  /**
   * Logs in with {@code rpc.login}; with reconnection on, the client logs in again with the same
   * params after each reconnect.
   *
   * @return the login result, at least {@code {"uid": ...}}
   */
  Future<JsonObject> login(JsonObject params);

  /** Logs out with {@code rpc.logout}; the connection stays open. */
  Future<Void> logout();

  /**
   * Answers the server's calls (and notifications) of {@code method}. The function gets the params
   * as a Vert.x JSON value and returns the result: a value, or a {@link Future} of one; throwing
   * {@link io.busrpc.protocol.RpcException} answers with that error.
   */
  BusRpcClient register(String method, Function<Object, Object> handler);

  /**
   * Answers the server's calls and notifications of every method that has no handler of its own
   * (without one, such calls are answered with "method not found"). The function gets the method
   * and the params.
   */
  BusRpcClient fallbackHandler(BiFunction<String, Object, Object> handler);

  /** Sets a handler called each time the connection closes. */
  BusRpcClient closeHandler(Handler<Void> handler);

  /**
   * Sets a handler called when a resumable session (see {@link ClientOptions#setResume}) could not
   * be resumed, with the gateway's reason (-32010 "Session expired" mostly): what was sent to the
   * client while it was away is lost, the calls that waited for answers have failed with -32003,
   * and the client logs in afresh with the same params (the application re-joins rooms etc.).
   */
  BusRpcClient sessionLostHandler(Handler<io.busrpc.protocol.RpcException> handler);

  /** @return whether the client is connected now */
  boolean isConnected();

  /** Closes the connection for good (no reconnection); pending calls fail. */
  Future<Void> close();
}
