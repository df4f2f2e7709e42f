package io.busrpc.client.impl;

import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.PendingCalls;
import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * What the gateway sends on the client's connection: answers to the client's calls (among them the
 * answers to a login that asked for resume and to {@code rpc.resume}, which start or refuse the
 * resume counting), and the server's calls and notifications; each counted message is counted for
 * resume.
 *
 * <p>Not thread-safe: used on the client's context only.
 */
final class ServerMessages {

  private static final Logger log = LoggerFactory.getLogger(ServerMessages.class);

  private final Outbox outbox;
  private final ResumeSession session;
  private final OpenCalls calls;
  private final ServerCalls serverCalls;
  private final Consumer<RpcException> sessionLost;
  /** The login that asked for resume, waiting for its answer; -1 when none. */
  private long resumeLoginId = -1;
  private boolean replaced;

  /** @param sessionLost the gateway refused to resume the session */
  ServerMessages(Outbox outbox, OpenCalls calls, ServerCalls serverCalls, Consumer<RpcException> sessionLost) {
    this.outbox = outbox;
    this.session = outbox.session();
    this.calls = calls;
    this.serverCalls = serverCalls;
    this.sessionLost = sessionLost;
  }

  /** A login that asks for resume went out with this id: its answer starts the counting. */
  void resumableLogin(long id) {
    resumeLoginId = id;
  }

  /** A new connection: no login waits, and it has not been replaced. */
  void attached() {
    replaced = false;
  }

  /** The connection closed: a login that waited gets no answer on it. */
  void detached() {
    resumeLoginId = -1;
  }

  /** @return true when the gateway said that a newer login of the uid took over ({@code rpc.replaced}) */
  boolean replaced() {
    return replaced;
  }

  /** One JSON text from the gateway. */
  void frame(Buffer frame) {
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(frame);
    } catch (RpcException e) {
      log.warn("The server sent unparsable JSON: {}", e.getMessage());
      return;
    }
    if (outbox.counting() && Counting.counts(parsed)) {
      session.receivedOne();
    }
    for (JsonRpcMessage message : parsed.messages()) {
      switch (message.kind()) {
        case RESPONSE -> response(message);
        case REQUEST, NOTIFICATION -> serverCall(message);
        default -> log.warn("The server sent an invalid message: {}", message.problem());
      }
    }
  }

  private void response(JsonRpcMessage response) {
    if (response.id() != null && Outbox.RESUME_ID.equals(response.id().toString())) {
      RpcException refused = outbox.resumeAnswered(response);
      if (refused != null) {
        sessionLost.accept(refused);
      }
      return;
    }
    if (resumeLoginId != -1 && PendingCalls.idOf(response.id()) == resumeLoginId) {
      // Counting starts with this answer, if the gateway gave a token; what waited for it goes out now.
      resumeLoginId = -1;
      outbox.loginAnswered(response);
    }
    calls.answer(response);
  }

  private void serverCall(JsonRpcMessage request) {
    if (request.id() == null && "rpc.replaced".equals(request.method())) {
      // A newer login of the uid took over: coming back would take the uid from it, and so on for ever.
      replaced = true;
    }
    serverCalls.handle(request);
  }
}
