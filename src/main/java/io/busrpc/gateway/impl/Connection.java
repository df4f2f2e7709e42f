package io.busrpc.gateway.impl;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.handler.Caller;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.protocol.codec.FramingException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything that belongs to one client socket: its frame decoder, the calls it has in flight and
 * who the caller is. It reads frames, answers each request in the client's framing and stops
 * reading while too many calls are in flight or the socket cannot take more writes.
 */
public final class Connection {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final Buffer PONG = Buffer.buffer("\"pong\"");

  private final NetSocket socket;
  private final Forwarder forwarder;
  private final GatewayOptions options;
  private final FrameDecoder decoder;
  private final Consumer<Connection> onClose;
  private final Caller caller;
  private int inFlight;
  private int unanswered;
  private boolean paused;
  private boolean inputShutdown;
  private boolean closed;

  Connection(String id, NetSocket socket, Forwarder forwarder, GatewayOptions options, Consumer<Connection> onClose) {
    this.socket = socket;
    this.forwarder = forwarder;
    this.options = options;
    this.onClose = onClose;
    this.caller = new Caller(id, String.valueOf(socket.remoteAddress()), null, null);
    this.decoder = new FrameDecoder(options.getMaxFrameSize(), this::onFrame, this::onFramingError);
    socket.drainHandler(v -> updateReading());
    socket.exceptionHandler(e -> log.debug("Connection {} failed: {}", id, e.getMessage()));
    socket.closeHandler(v -> closed());
    HalfClose.enable(socket, decoder, this::inputShutdown);
  }

  /** @return who this connection's calls come from */
  public Caller caller() {
    return caller;
  }

  /** Closes the socket; pending answers are dropped. */
  public Future<Void> close() {
    return socket.close();
  }

  private void onFrame(Buffer frame) {
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(frame);
    } catch (RpcException e) {
      write(error(null, ErrorCode.PARSE_ERROR, e.getMessage()));
      return;
    }
    if (!parsed.batch()) {
      Future<Buffer> answer = handle(parsed.messages().get(0));
      if (answer != null) {
        answerLater(answer);
      }
      return;
    }
    if (parsed.messages().size() > options.getMaxBatchSize()) {
      write(JsonRpcWriter.error(null, new RpcException(ErrorCode.BATCH_TOO_LARGE,
        "Batch of " + parsed.messages().size() + " exceeds the maximum of " + options.getMaxBatchSize())));
      return;
    }
    List<Future<Buffer>> answers = new ArrayList<>(parsed.messages().size());
    for (JsonRpcMessage message : parsed.messages()) {
      Future<Buffer> answer = handle(message);
      if (answer != null) {
        answers.add(answer);
      }
    }
    if (!answers.isEmpty()) {
      answerLater(Future.join(answers).map(all -> {
        List<Buffer> responses = new ArrayList<>(answers.size());
        answers.forEach(a -> responses.add(a.result()));
        return JsonRpcWriter.batch(responses);
      }));
    }
  }

  /** Writes an answer once it is ready; a client that stopped sending is closed after its last answer. */
  private void answerLater(Future<Buffer> answer) {
    if (answer.isComplete()) {
      write(answer.result());
      return;
    }
    unanswered++;
    answer.onSuccess(json -> {
      write(json);
      if (--unanswered == 0 && inputShutdown) {
        socket.end();
      }
    });
  }

  /** @return the encoded answer, which never fails, or {@code null} when the message gets none */
  private Future<Buffer> handle(JsonRpcMessage message) {
    switch (message.kind()) {
      case INVALID:
        return Future.succeededFuture(error(message.id(), ErrorCode.INVALID_REQUEST, message.problem()));
      case RESPONSE:
        return null; // server to client calls come with client addresses
      case NOTIFICATION:
        if (!message.method().startsWith("rpc.")) {
          forwarder.notify(message.method(), message.params(), caller);
        }
        return null;
      default:
        return call(message);
    }
  }

  private Future<Buffer> call(JsonRpcMessage message) {
    Buffer id = message.id();
    String method = message.method();
    if (method.startsWith("rpc.")) {
      return Future.succeededFuture(reserved(id, method));
    }
    callStarted();
    return forwarder.call(method, message.params(), caller).transform(ar -> {
      callEnded();
      return Future.succeededFuture(ar.succeeded() ? JsonRpcWriter.result(id, ar.result())
        : JsonRpcWriter.error(id, Forwarder.toRpcException(ar.cause())));
    });
  }

  private Buffer reserved(Buffer id, String method) {
    if (method.equals("rpc.ping")) {
      return JsonRpcWriter.result(id, PONG);
    }
    return error(id, ErrorCode.METHOD_NOT_FOUND, "no reserved method " + method);
  }

  /** An error with the standard message of its code and the reason as {@code data}. */
  private static Buffer error(Buffer id, ErrorCode code, String reason) {
    return JsonRpcWriter.error(id, new RpcException(code.code(), code.message(), reason));
  }

  private void onFramingError(FramingException e) {
    switch (e.kind()) {
      case FRAME_TOO_LARGE -> write(error(null, ErrorCode.FRAME_TOO_LARGE, e.getMessage()));
      case BAD_HEADER -> write(error(null, ErrorCode.PARSE_ERROR, e.getMessage()));
      default -> log.debug("Closing {}: {}", caller.connectionId(), e.getMessage());
    }
    // The stream cannot be resynchronised: the answer above is flushed, then the socket closes.
    socket.end();
  }

  private void write(Buffer json) {
    if (closed) {
      return;
    }
    Framing framing = decoder.framing();
    socket.write(framing.encode(json));
    if (socket.writeQueueFull()) {
      updateReading();
    }
  }

  private void callStarted() {
    if (++inFlight >= options.getMaxInFlight()) {
      updateReading();
    }
  }

  private void callEnded() {
    inFlight--;
    if (paused) {
      updateReading();
    }
  }

  /** The client sent its last byte: close once the calls it made are answered. */
  private void inputShutdown() {
    inputShutdown = true;
    if (unanswered == 0) {
      socket.end();
    }
  }

  /** Reads from the socket only while it has room for calls and for their answers. */
  private void updateReading() {
    boolean shouldPause = !closed && (inFlight >= options.getMaxInFlight() || socket.writeQueueFull());
    if (shouldPause != paused) {
      paused = shouldPause;
      if (paused) {
        socket.pause();
      } else {
        socket.resume();
      }
    }
  }

  private void closed() {
    closed = true;
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return new JsonObject().put("id", caller.connectionId()).put("remote", caller.remoteAddress()).encode();
  }
}
