package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.util.UUID;

/**
 * A client connection on another node, seen by the session it resumed (DESIGN §11, across nodes):
 * the session stays where it is, with its uid address, groups and the server's calls waiting for
 * the client, and the connection's node relays ({@link RemoteSession}) what the client sends here and
 * what the session sends there, over the event bus, in order. Used on the session's event loop.
 */
final class RemoteConnection implements SessionTransport {

  /** The header that names what a relay message is. */
  static final String OP = "busrpc.relay";

  private final Vertx vertx;
  private final String connectionAddress;
  private final JsonObject info;
  private final long timeout;
  private final String address;
  private MessageConsumer<Buffer> events;
  private Receiver receiver;
  private boolean writeQueueFull;

  /**
   * @param connectionAddress where the connection's node takes what the session does to it
   * @param info              the connection's {@code name}, {@code remoteAddress}, {@code remoteHost}, {@code pingsItself}
   * @param timeout           how long a flush, ping or close may take over the bus, in ms
   */
  RemoteConnection(Vertx vertx, String internalPrefix, String connectionAddress, JsonObject info, long timeout) {
    this.vertx = vertx;
    this.connectionAddress = connectionAddress;
    this.info = info;
    this.timeout = timeout;
    this.address = internalPrefix + "relay." + UUID.randomUUID();
  }

  /** @return where the connection's node sends what the client does */
  String address() {
    return address;
  }

  /** Listens for what the connection reports; completes once the whole cluster can reach it. Call on the session's loop. */
  Future<Void> listen() {
    events = vertx.eventBus().consumer(address, this::onEvent);
    return events.completion();
  }

  /** Stops listening: the resume failed, or the connection closed. */
  void close() {
    if (events != null) {
      events.unregister();
    }
  }

  private void onEvent(Message<Buffer> message) {
    String op = message.headers().get(OP);
    if (receiver == null || op == null) {
      return;
    }
    switch (op) {
      case "frame" -> {
        message.reply(null); // the connection's node learns that the session is still there
        receiver.read(false);
        receiver.frame(message.body());
      }
      case "alive" -> message.reply(null); // the connection's node asks while the client is silent
      case "read" -> receiver.read(true);
      case "protocolError" -> receiver.protocolError(message.body());
      case "inputEnded" -> receiver.inputEnded();
      case "writable" -> {
        writeQueueFull = false;
        receiver.writable();
      }
      case "shuttingDown" -> receiver.shuttingDown();
      case "closed" -> {
        close();
        receiver.closed();
      }
      default -> {
        // an op of a newer version: nothing to do
      }
    }
  }

  private void send(String op, Buffer body) {
    vertx.eventBus().send(connectionAddress, body, new DeliveryOptions().addHeader(OP, op));
  }

  private Future<Message<Object>> request(String op) {
    return vertx.eventBus().request(connectionAddress, null, new DeliveryOptions().addHeader(OP, op).setSendTimeout(timeout));
  }

  @Override
  public String name() {
    return info.getString("name");
  }

  @Override
  public SocketAddress peer() {
    return null; // on another node: remoteAddress and remoteHost come with the resume
  }

  @Override
  public String remoteAddress() {
    return info.getString("remoteAddress");
  }

  @Override
  public String remoteHost() {
    return info.getString("remoteHost");
  }

  @Override
  public void start(Receiver receiver) {
    this.receiver = receiver;
  }

  @Override
  public int write(Buffer json) {
    send("write", json);
    return json.length();
  }

  @Override
  public Future<Void> flush() {
    return request("flush").map(reply -> {
      writeQueueFull = Boolean.TRUE.equals(reply.body());
      return null;
    });
  }

  @Override
  public boolean writeQueueFull() {
    return writeQueueFull;
  }

  @Override
  public void pause() {
    send("pause", null);
  }

  @Override
  public void resume() {
    send("resume", null);
  }

  @Override
  public void end() {
    send("end", null);
  }

  @Override
  public Future<Void> abort() {
    return request("abort").<Void>mapEmpty().otherwiseEmpty();
  }

  @Override
  public boolean pingsItself() {
    return info.getBoolean("pingsItself", false);
  }

  /** A ping the connection's node could not get answered in time is, for the session, an unanswered ping. */
  @Override
  public Future<Void> ping() {
    return request("ping").<Void>mapEmpty()
      .recover(e -> Future.failedFuture(new RpcException(ErrorCode.TIMEOUT, "no answer to ping")));
  }
}
