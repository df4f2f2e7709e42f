package io.busrpc.gateway.impl;

import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns accepted connections of every transport into {@link SessionCore}s, enforces the connection limits and keeps track
 * of the open connections of one gateway instance.
 */
public final class ConnectionAcceptor implements Handler<NetSocket> {

  private static final Logger log = LoggerFactory.getLogger(ConnectionAcceptor.class);
  // Connection ids are unique in a cluster: a random node part and a counter.
  private static final String NODE = UUID.randomUUID().toString().substring(0, 8);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final long REFUSAL_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

  private final GatewayServices services;
  private final ConnectionCounts counts;
  private final StatelessRpc stateless;
  private final Map<String, SessionCore> connections = new LinkedHashMap<>();
  private final Map<String, RefusedConnection> refusedConnections = new LinkedHashMap<>();
  private MessageConsumer<Object> control;
  private long refused;
  private long refusalLoggedAt;

  /** Creates the acceptor of one gateway instance. */
  public ConnectionAcceptor(Vertx vertx, GatewayOptions options) {
    this.services = new GatewayServices(vertx, options);
    this.counts = services.counts;
    this.stateless = new StatelessRpc(services, ConnectionAcceptor::nextId);
  }

  @Override
  public void handle(NetSocket socket) {
    accept(new TcpTransport(socket, services.metrics, services.options.getMaxFrameSize()));
  }

  /**
   * Opens a session on a new connection of any transport, or refuses it when the node or the
   * client's address has too many open.
   */
  public void accept(SessionTransport transport) {
    String id = nextId();
    String host = transport.remoteHost();
    GatewayOptions options = services.options;
    if (!counts.tryAcquire(host, options.getMaxConnections(), options.getMaxConnectionsPerAddress())) {
      logRefusal(host);
      services.metrics.rejected("too_many_connections");
      // Kept (but not counted) until it is closed, so the sweep can close it if it sends nothing.
      refusedConnections.put(id, new RefusedConnection(transport, System.nanoTime(),
        options.getPingTimeout() * 1_000_000, () -> refusedConnections.remove(id)));
      return;
    }
    connections.put(id, new SessionCore(id, transport, services, this::closed));
    log.debug("Connection {} ({}) opened from {}", id, transport.name(), transport.remoteAddress());
  }

  /** @return a new connection id, unique in the cluster */
  private static String nextId() {
    return NODE + "-" + SEQUENCE.incrementAndGet();
  }

  /**
   * @return the core without a session, for HTTP {@code POST /rpc}: each request authenticated on
   *     its own, answered with the same checks and limits as a connection's
   */
  public StatelessRpc stateless() {
    return stateless;
  }

  /** One warning per interval, with the count, so a flood of connections does not flood the log. */
  private void logRefusal(String host) {
    refused++;
    long now = System.nanoTime();
    if (now - refusalLoggedAt > REFUSAL_LOG_INTERVAL) {
      log.warn("Refused {} connection(s) over the limits (last from {}; {} open on this node)", refused, host,
        counts.total());
      refused = 0;
      refusalLoggedAt = now;
    }
  }

  /** A session ended (it released its place in the connection limits itself), or handed its connection to another. */
  private void closed(SessionCore session) {
    connections.remove(session.id());
    log.debug("Connection {} closed", session.id());
  }

  /** Starts what the connections share (the reply address of forwarded calls, the control address). */
  public Future<Void> start() {
    control = services.vertx.eventBus().consumer(services.controlAddress, this::onControl);
    return Future.all(services.forwarder.start(), control.completion()).mapEmpty();
  }

  /** Stops what the connections share; calls still waiting for answers fail. */
  public Future<Void> stop() {
    Future<Void> unregistered = control == null ? Future.succeededFuture() : control.unregister();
    return Future.all(services.forwarder.stop(), unregistered).mapEmpty();
  }

  /**
   * A newer login asks one of these connections to give its uid up ({@code {"connection", "uid"}});
   * the answer comes once that connection no longer listens at the uid's address, or at once when it
   * is gone or holds the uid no more.
   */
  private void onControl(Message<Object> message) {
    if (ControlMessage.of(message.headers().get(Headers.CONTROL)) == ControlMessage.RESUME && message.body() instanceof JsonObject body) {
      resumeHere(message, body);
      return;
    }
    if (ControlMessage.of(message.headers().get(Headers.CONTROL)) != ControlMessage.REPLACED
      || !(message.body() instanceof JsonObject body) || !(body.getValue("uid") instanceof String uid)
      || !(body.getValue("connection") instanceof String id)) {
      message.reply(Boolean.FALSE);
      return;
    }
    SessionCore connection = connections.get(id);
    Future<Void> done = connection == null ? Future.succeededFuture() : connection.stepDown(uid);
    done.onComplete(ar -> message.reply(Boolean.TRUE));
  }

  /**
   * A client came back on another node to a session of this instance: the session takes its
   * connection over through the relay that node set up (see {@link RemoteConnection}); the answer is
   * {@code {"events": <where the relay sends what the client does>}} or the -32010 error.
   */
  private void resumeHere(Message<Object> message, JsonObject body) {
    SessionCore target = body.getValue("connection") instanceof String id ? connections.get(id) : null;
    if (target == null || !(body.getValue("secret") instanceof String secret) || !(body.getValue("seq") instanceof Number seq)
      || !(body.getValue("id") instanceof String requestId) || !(body.getValue("relay") instanceof String relay)) {
      message.reply(ResumeAttempt.expired("the token is unknown, used or expired"));
      return;
    }
    RemoteConnection remote = new RemoteConnection(services.vertx, services.addresses.internal(""), relay, body,
      services.options.getPingTimeout());
    remote.listen()
      .compose(v -> target.resumeSide().takeOver(secret.getBytes(StandardCharsets.US_ASCII), seq.longValue(),
        Buffer.buffer(requestId), remote, null))
      .onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(new JsonObject().put("events", remote.address()));
        } else {
          remote.close();
          message.reply(Forwarder.toRpcException(ar.cause()));
        }
      });
  }

  /**
   * The shutdown grace period is over: calls still waiting get -32006, which their connections
   * write before they close.
   */
  public void endGracePeriod() {
    services.forwarder.close(new RpcException(ErrorCode.SHUTTING_DOWN, "the call did not finish within the shutdown grace period"));
  }

  /** Applies the time limits (calls, ping, slow frames, login); called periodically. */
  public void sweep() {
    long now = System.nanoTime();
    services.forwarder.sweep(now);
    for (SessionCore connection : new ArrayList<>(connections.values())) {
      connection.sweep(now);
    }
    for (RefusedConnection connection : new ArrayList<>(refusedConnections.values())) {
      connection.sweep(now);
    }
  }

  /** @return the number of open connections of this instance */
  public int size() {
    return connections.size() + refusedConnections.size();
  }

  /** Closes every open connection. */
  public Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    for (SessionCore connection : new ArrayList<>(connections.values())) {
      closing.add(connection.close());
    }
    for (RefusedConnection connection : new ArrayList<>(refusedConnections.values())) {
      closing.add(connection.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
