package io.busrpc.client.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcErrors;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * What the client writes, and when it may (PROTOCOL §8): nothing else while a login that asks for
 * resume or an {@code rpc.resume} waits for its answer; with a resumable session, a copy of each
 * counted message until the gateway acknowledges it, also while the connection is down.
 */
final class Outbox {

  /** The id of {@code rpc.resume}: never one of the numbered calls. */
  static final String RESUME_ID = "\"resume\"";

  private final Framing framing;
  private final ResumeSession session;
  private NetSocket socket;
  /** What the application sent while a resumable login waits: it goes out, counted, after the answer. */
  private List<Buffer> held;
  private boolean resuming;

  Outbox(Vertx vertx, Framing framing) {
    this.framing = framing;
    this.session = new ResumeSession(vertx, this::sendAck);
  }

  ResumeSession session() {
    return session;
  }

  NetSocket socket() {
    return socket;
  }

  void attached(NetSocket socket) {
    this.socket = socket;
  }

  /** The connection closed: a login or resume that waited gets no answer on it. */
  void detached() {
    socket = null;
    resuming = false;
    held = null;
  }

  /** @return whether a message can go out now or, for a resumable session, after the resume */
  boolean canSend() {
    return socket != null || session.active();
  }

  /** @return whether the gateway's messages count now: a session runs and no resume waits */
  boolean counting() {
    return session.active() && !resuming;
  }

  /** Sends a counted message: held during a resumable login, kept while the session is resumable. */
  Future<Void> send(Buffer json) {
    if (held != null) {
      held.add(json);
      return Future.succeededFuture();
    }
    if (session.active()) {
      session.sending(json);
      return socket != null && !resuming ? write(json) : Future.succeededFuture();
    }
    return write(json);
  }

  /** Sends a message that does not count (acks, answers to pings) if the connection can take it now. */
  void sendUncounted(Buffer json) {
    if (socket != null && !resuming) {
      write(json);
    }
  }

  /** Sends the login that asks for resume: until its answer, what the application sends waits. */
  void sendResumableLogin(Buffer login) {
    send(login);
    held = new ArrayList<>();
  }

  private void loginAnswered(String token, long windowMillis) {
    List<Buffer> waiting = held == null ? List.of() : held;
    held = null;
    if (token != null) {
      session.start(token, windowMillis);
    }
    waiting.forEach(this::send);
  }

  /** Sends {@code rpc.resume}, the new connection's first message; nothing else goes out until its answer. */
  void resume() {
    resuming = true;
    JsonObject params = new JsonObject().put("token", session.token()).put("seq", session.received());
    write(JsonRpcWriter.request(Buffer.buffer(RESUME_ID), "rpc.resume", params.toBuffer()));
  }

  /**
   * Takes the answer to {@code rpc.resume}: if the gateway took the session back, the client resends
   * what the gateway lacks (the gateway does the same by itself).
   *
   * @return null when resumed, else why not (the session is gone; the connection serves a fresh login)
   */
  RpcException resumeAnswered(JsonRpcMessage response) {
    if (response.error() == null && Json.decodeValue(response.result()) instanceof JsonObject result) {
      resumed(result.getString("token"), result.getLong("seq"));
      return null;
    }
    resuming = false;
    session.end();
    return response.error() == null ? new RpcException(ErrorCode.SESSION_EXPIRED) : JsonRpcErrors.read(response.error());
  }

  /** The login's answer came: counting starts if the gateway gave a token; what waited goes out. */
  void loginAnswered(JsonRpcMessage response) {
    JsonObject resume = response.error() == null && Json.decodeValue(response.result()) instanceof JsonObject result
      ? result.getJsonObject("resume") : null;
    loginAnswered(resume == null ? null : resume.getString("token"), resume == null ? 0 : resume.getLong("window", 0L));
  }

  private void resumed(String nextToken, long seq) {
    resuming = false;
    session.renew(nextToken);
    session.after(seq).forEach(this::write);
    session.ackSoon();
  }

  private void sendAck(long seq) {
    sendUncounted(JsonRpcWriter.request(null, "rpc.ack", new JsonObject().put("seq", seq).toBuffer()));
  }

  private Future<Void> write(Buffer json) {
    return socket.write(framing.encode(json));
  }
}
