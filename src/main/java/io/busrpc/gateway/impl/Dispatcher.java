package io.busrpc.gateway.impl;

import io.busrpc.handler.Caller;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers the JSON texts of one client, whatever the transport: parses each, checks every message
 * (shutdown, reserved {@code rpc.*} methods, login, roles) and forwards it to its handler through
 * {@link InFlight}, so at most {@code maxInFlight} are in flight; batches are answered as one batch.
 * Metrics are recorded once per call, when its answer is ready. What depends on the session (who
 * the caller is, login and logout, answers to the server's calls) is asked of its {@link Owner}.
 */
final class Dispatcher {

  /** What the dispatcher asks of the session it answers for. */
  interface Owner {

    /** @return who the calls come from now */
    Caller caller();

    /** @return true once the server is shutting down: new calls are refused with -32006 */
    boolean stopping();

    /** {@code rpc.login} with its params; the future's value is the result to answer. */
    Future<Buffer> login(Buffer params);

    /** {@code rpc.logout}; the future's value is the result to answer. */
    Future<Buffer> logout();

    /** An answer of the client to a call of the server. */
    void response(JsonRpcMessage response);
  }

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Buffer PONG = Buffer.buffer("\"pong\"");

  private final GatewayServices services;
  private final Owner owner;
  private final InFlight inFlight;

  Dispatcher(GatewayServices services, Owner owner, InFlight inFlight) {
    this.services = services;
    this.owner = owner;
    this.inFlight = inFlight;
  }

  /**
   * Answers one JSON text: a message or a batch.
   *
   * @return the encoded answer, which never fails, or {@code null} when nothing is answered
   *     (notifications and responses only)
   */
  Future<Buffer> handle(Buffer text) {
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(text);
    } catch (RpcException e) {
      return parseError(e);
    }
    return handle(parsed);
  }

  /** @return the answer to a JSON text that is not JSON */
  static Future<Buffer> parseError(RpcException e) {
    return Future.succeededFuture(error(null, ErrorCode.PARSE_ERROR, e.getMessage()));
  }

  /**
   * Answers one parsed JSON text.
   *
   * @return the encoded answer, which never fails, or {@code null} when nothing is answered
   */
  Future<Buffer> handle(ParsedFrame parsed) {
    if (!parsed.batch()) {
      return handleSafely(parsed.messages().get(0));
    }
    int maxBatch = services.options.getMaxBatchSize();
    if (parsed.messages().size() > maxBatch) {
      return Future.succeededFuture(JsonRpcWriter.error(null, new RpcException(ErrorCode.BATCH_TOO_LARGE,
        "Batch of " + parsed.messages().size() + " exceeds the maximum of " + maxBatch)));
    }
    List<Future<Buffer>> answers = new ArrayList<>(parsed.messages().size());
    for (JsonRpcMessage message : parsed.messages()) {
      Future<Buffer> answer = handleSafely(message);
      if (answer != null) {
        answers.add(answer);
      }
    }
    if (answers.isEmpty()) {
      return null;
    }
    return Future.join(answers).map(all -> {
      List<Buffer> responses = new ArrayList<>(answers.size());
      answers.forEach(a -> responses.add(a.result()));
      return JsonRpcWriter.batch(responses);
    });
  }

  /**
   * One message's failure is that message's error answer: whatever throws while it is handled (a
   * bug, an authenticator that throws instead of failing its future), the messages after it in the
   * same packet are still handled and the connection stays open.
   */
  private Future<Buffer> handleSafely(JsonRpcMessage message) {
    try {
      return handle(message);
    } catch (RuntimeException e) {
      log.error("Handling a message of connection {} failed", owner.caller().connectionId(), e);
      services.metrics.error(ErrorCode.INTERNAL_ERROR.code());
      return message.kind() == JsonRpcMessage.Kind.REQUEST
        ? Future.succeededFuture(JsonRpcWriter.error(message.id(), new RpcException(ErrorCode.INTERNAL_ERROR))) : null;
    }
  }

  /** @return the encoded answer, which never fails, or {@code null} when the message gets none */
  private Future<Buffer> handle(JsonRpcMessage message) {
    switch (message.kind()) {
      case INVALID:
        return Future.succeededFuture(error(message.id(), ErrorCode.INVALID_REQUEST, message.problem()));
      case RESPONSE:
        owner.response(message);
        return null;
      case NOTIFICATION:
        Caller caller = owner.caller();
        if (!message.method().startsWith("rpc.") && mayCall(caller, message.method())
          && services.isAllowed(message.method(), caller.roles()) && !owner.stopping()) {
          notifyHandler(caller, message.method(), message.params());
        }
        return null;
      default:
        return call(message);
    }
  }

  private Future<Buffer> call(JsonRpcMessage message) {
    Buffer id = message.id();
    String method = message.method();
    Caller caller = owner.caller();
    Future<Buffer> result;
    boolean forwarded = false; // forwarded calls count their errors with their latency
    if (owner.stopping()) {
      result = Future.failedFuture(new RpcException(ErrorCode.SHUTTING_DOWN, "the server is shutting down"));
    } else if (method.startsWith("rpc.")) {
      result = reserved(caller, method, message.params());
    } else if (!mayCall(caller, method)) {
      result = Future.failedFuture(new RpcException(ErrorCode.NOT_LOGGED_IN, "log in with rpc.login to call " + method));
    } else if (!services.isAllowed(method, caller.roles())) {
      result = Future.failedFuture(new RpcException(ErrorCode.FORBIDDEN, "a role you do not have is needed to call " + method));
    } else {
      forwarded = true;
      result = inFlight.submit(() -> forward(caller, method, message.params()));
    }
    boolean countedAlready = forwarded;
    return result.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(JsonRpcWriter.result(id, ar.result()));
      }
      RpcException error = Forwarder.toRpcException(ar.cause());
      if (!countedAlready) {
        services.metrics.error(error.code());
      }
      return Future.succeededFuture(JsonRpcWriter.error(id, error));
    });
  }

  private Future<Buffer> forward(Caller caller, String method, Buffer params) {
    long started = System.nanoTime();
    Future<Buffer> answer = services.forwarder.call(method, params, caller);
    answer.onComplete(ar -> services.metrics.call(method, System.nanoTime() - started,
      ar.succeeded() ? null : Forwarder.toRpcException(ar.cause()).code()));
    return answer;
  }

  /**
   * Forwards a notification. It takes an in-flight slot until its handler is done with it, like a
   * call whose answer nobody reads, so a client that floods notifications is throttled as one that
   * floods calls is: the gateway stops reading it.
   */
  private void notifyHandler(Caller caller, String method, Buffer params) {
    inFlight.submit(() -> services.forwarder.call(method, params, caller));
  }

  private boolean mayCall(Caller caller, String method) {
    return caller.loggedIn() || services.isPublic(method);
  }

  private Future<Buffer> reserved(Caller caller, String method, Buffer params) {
    return switch (method) {
      case "rpc.ping" -> Future.succeededFuture(PONG);
      case "rpc.login" -> owner.login(params);
      case "rpc.discover" -> services.discovery.document(caller);
      case "rpc.logout" -> owner.logout();
      case "rpc.resume" -> Future.failedFuture(new RpcException(ErrorCode.INVALID_REQUEST.code(),
        ErrorCode.INVALID_REQUEST.message(), "rpc.resume must be a connection's first message"));
      default -> Future.failedFuture(new RpcException(ErrorCode.METHOD_NOT_FOUND.code(),
        ErrorCode.METHOD_NOT_FOUND.message(), "no reserved method " + method));
    };
  }

  /** An error with the standard message of its code and the reason as {@code data}. */
  static Buffer error(Buffer id, ErrorCode code, String reason) {
    return JsonRpcWriter.error(id, new RpcException(code.code(), code.message(), reason));
  }
}
