package io.busrpc.gateway.impl;

import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The connection side of a resume across nodes: a client came back on this node to a session that
 * lives on another one ({@link RemoteConnection} there). What the client sends goes to the session
 * over the event bus; what the session does to the connection (write, flush, pause, close, ping)
 * comes back the same way and is done here, on the connection's event loop. When the session's
 * node stops answering, the connection is cut, so the client resumes again (and learns that the
 * session is gone): each message of the client is acknowledged, and while the client is silent the
 * session is asked every half {@code pingTimeout} whether it is still there, so a dead session
 * node closes the connection within {@code pingTimeout} either way. The connection keeps its place
 * in this node's connection limits until it closes.
 */
final class RemoteSession implements SessionTransport.Receiver {

  private static final Logger log = LoggerFactory.getLogger(RemoteSession.class);

  private final Vertx vertx;
  private final GatewayServices services;
  private final SessionTransport transport;
  private final String address;
  private final long checkEvery;
  private MessageConsumer<Buffer> ops;
  private String sessionAddress;
  private long checkTimer = -1;
  // When the session last answered (System.nanoTime()): a frame's acknowledgement or a check.
  private long heardAt;
  private boolean instructed;

  RemoteSession(GatewayServices services, SessionTransport transport) {
    this.vertx = services.vertx;
    this.services = services;
    this.transport = transport;
    this.address = services.addresses.internal("relay." + UUID.randomUUID());
    this.checkEvery = Math.max(1, services.options.getPingTimeout() / 2);
  }

  /** @return where the session sends what it does to the connection */
  String address() {
    return address;
  }

  /** @return what the session needs to know about the connection */
  JsonObject info() {
    return new JsonObject().put("name", transport.name()).put("remoteAddress", transport.remoteAddress())
      .put("remoteHost", transport.remoteHost()).put("pingsItself", transport.pingsItself()).put("relay", address);
  }

  /** Listens for the session's instructions, on the connection's loop; completes once the whole cluster can reach it. */
  Future<Void> listen() {
    ops = vertx.eventBus().consumer(address, this::onOp);
    return ops.completion();
  }

  /** The session took the connection over: from now on what the client does goes to {@code sessionAddress}. */
  void connected(String sessionAddress) {
    this.sessionAddress = sessionAddress;
    heardAt = System.nanoTime();
    checkTimer = vertx.setPeriodic(checkEvery, t -> checkSession());
  }

  /**
   * Asks the session whether it is still there, unless it answered within the last period; no answer
   * within half the ping timeout (its node is gone, or it ended and stopped listening) cuts the connection.
   */
  private void checkSession() {
    long silent = System.nanoTime() - heardAt;
    if (silent >= 2 * checkEvery * 1_000_000) {
      // Whatever became of the checks sent meanwhile: the session has not answered for a whole pingTimeout.
      gone();
      return;
    }
    if (silent < checkEvery * 1_000_000) {
      return;
    }
    vertx.eventBus().request(sessionAddress, null, new DeliveryOptions().addHeader(RemoteConnection.OP, "alive")
      .setSendTimeout(checkEvery)).onComplete(ar -> answered(ar.succeeded()));
  }

  private void answered(boolean alive) {
    if (alive) {
      heardAt = System.nanoTime();
    } else {
      gone();
    }
  }

  /** The session's node is gone, or the session no longer listens: the client must resume again. */
  private void gone() {
    if (checkTimer != -1) {
      vertx.cancelTimer(checkTimer);
      checkTimer = -1;
      log.info("Closing a connection relayed to a session on another node: the session did not answer within {} ms",
        services.options.getPingTimeout());
    }
    transport.abort();
  }

  /** Stops listening. */
  void close() {
    if (checkTimer != -1) {
      vertx.cancelTimer(checkTimer);
      checkTimer = -1;
    }
    if (ops != null) {
      ops.unregister();
    }
  }

  /**
   * @return whether the session has sent this connection an instruction: it took the connection over
   *     (and may have answered the client's {@code rpc.resume}) even if its reply to the hand-over
   *     request never arrived
   */
  boolean instructed() {
    return instructed;
  }

  private void onOp(Message<Buffer> message) {
    String op = message.headers().get(RemoteConnection.OP);
    if (op == null) {
      return;
    }
    instructed = true;
    switch (op) {
      case "write" -> transport.write(message.body());
      case "flush" -> transport.flush().onComplete(ar -> message.reply(transport.writeQueueFull()));
      case "pause" -> transport.pause();
      case "resume" -> transport.resume();
      case "end" -> transport.end();
      case "abort" -> transport.abort().onComplete(ar -> message.reply(null));
      case "ping" -> transport.ping().onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(null);
        }
      });
      default -> {
        // an op of a newer version: nothing to do
      }
    }
  }

  private void send(String op, Buffer body) {
    if (sessionAddress != null) {
      vertx.eventBus().send(sessionAddress, body, new DeliveryOptions().addHeader(RemoteConnection.OP, op));
    }
  }

  @Override
  public void read(boolean partialFrame) {
    if (partialFrame) {
      send("read", null);
    }
  }

  /** Each frame is acknowledged: no answer within the ping timeout means the session's node is gone. */
  @Override
  public void frame(Buffer json) {
    if (sessionAddress == null) {
      return;
    }
    vertx.eventBus().request(sessionAddress, json.copy(), new DeliveryOptions().addHeader(RemoteConnection.OP, "frame")
      .setSendTimeout(services.options.getPingTimeout())).onComplete(ar -> answered(ar.succeeded()));
  }

  @Override
  public void protocolError(Buffer answer) {
    send("protocolError", answer);
  }

  @Override
  public void inputEnded() {
    send("inputEnded", null);
  }

  @Override
  public void writable() {
    send("writable", null);
  }

  /**
   * This node stops, the session's node does not: the client is told ({@code rpc.shutdown}, not
   * counted: it is about the connection, not the session) and the connection closes, so the client
   * resumes on another node with nothing lost. The session sees a dropped connection.
   */
  @Override
  public void shuttingDown() {
    transport.write(JsonRpcWriter.request(null, "rpc.shutdown", new JsonObject().put("reason", "server shutting down")
      .put("gracePeriod", 0).toBuffer()));
    transport.flush();
    transport.end();
  }

  @Override
  public void closed() {
    send("closed", null);
    close();
    services.counts.release(transport.remoteHost());
  }
}
