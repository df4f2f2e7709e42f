package io.busrpc.bench;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.HashMap;
import java.util.Map;

/**
 * One soak connection, confined to its event loop: logs in as its uid and joins its room, sends
 * the calls it is given and checks each answer (the right value, once), answers the server's
 * {@code chat.receive} calls with its uid, counts room messages, and goes through logout + login
 * or close + reconnect when told, after its calls in flight are answered.
 */
final class SoakConnection implements MessageReader.Receiver {

  enum State { CONNECTING, READY, DRAINING, CLOSED }

  final int number;
  final String uid;
  private final Soak soak;
  private final SoakStats stats;
  private final NetClient client;
  private final SoakCalls calls;
  private final Map<String, Promise<Object>> control = new HashMap<>();
  private NetSocket socket;
  private State state = State.CONNECTING;
  private Runnable afterDrain;
  private long controlIds;
  private boolean closingByUs;

  SoakConnection(Soak soak, NetClient client, int number) {
    this.soak = soak;
    this.stats = soak.stats;
    this.client = client;
    this.number = number;
    this.uid = soak.uid(number);
    this.calls = new SoakCalls(stats, uid);
  }

  State state() {
    return state;
  }

  int inFlight() {
    return calls.size();
  }

  /** Connects, logs in and joins the room; the connection is ready when the future completes. */
  Future<Void> open() {
    state = State.CONNECTING;
    closingByUs = false;
    SoakOptions o = soak.options;
    return client.connect(o.getPort(), o.getHost()).compose(s -> {
      socket = s;
      MessageReader.attach(s, this);
      s.closeHandler(v -> closed(s));
      return enter();
    });
  }

  /** Logs in and joins the room; then READY. */
  private Future<Void> enter() {
    return controlCall("rpc.login", new JsonObject().put("uid", uid))
      .compose(r -> {
        stats.logins.increment();
        return controlCall("chat.join", new JsonObject().put("room", soak.room(number)));
      })
      .map(r -> {
        state = State.READY;
        soak.ready(number, true);
        return null;
      });
  }

  /** Sends a measured call; only in READY. */
  void send(long id, long intendedNanos, String method, Buffer params, Object expected) {
    calls.sent(id, intendedNanos, expected);
    write(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, params));
  }

  /** Stops taking calls; once those in flight are answered, logs out and in again. */
  void relogin() {
    drainThen(() -> controlCall("rpc.logout", null).compose(r -> {
      stats.logouts.increment();
      return enter();
    }).onFailure(e -> stats.problem(uid + ": relogin failed: " + e.getMessage())));
  }

  /** Stops taking calls; once those in flight are answered, closes and connects again. */
  void reconnect() {
    drainThen(() -> {
      NetSocket old = socket;
      socket = null; // its close event is then not taken for a drop
      old.close().compose(v -> open()).onSuccess(v -> stats.reconnects.increment())
        .onFailure(e -> stats.problem(uid + ": reconnect failed: " + e.getMessage()));
    });
  }

  /** Stops taking calls for good (end of the run); {@code then} runs once the last answer came. */
  void finish(Runnable then) {
    if (state == State.DRAINING) {
      // Already draining for a re-login or reconnect: its calls in flight must be answered (or
      // counted lost) before the run's last line, else they would be neither.
      Runnable before = afterDrain;
      afterDrain = () -> {
        if (before != null) {
          before.run();
        }
        then.run();
      };
      drained();
    } else if (state == State.READY) {
      drainThen(then);
    } else {
      then.run(); // connecting or logging in: no measured call in flight
    }
  }

  /** Closes the socket at the end of the run. */
  Future<Void> close() {
    closingByUs = true;
    state = State.CLOSED;
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  /** Counts calls unanswered after the timeout as lost. */
  void sweep(long now) {
    calls.sweep(now, soak.options.getTimeout());
    drained();
  }

  private void drainThen(Runnable then) {
    if (state != State.READY) {
      return;
    }
    state = State.DRAINING;
    soak.ready(number, false);
    afterDrain = then;
    drained();
  }

  private void drained() {
    if (state == State.DRAINING && calls.isEmpty() && afterDrain != null) {
      Runnable then = afterDrain;
      afterDrain = null;
      then.run();
    }
  }

  private Future<Object> controlCall(String method, JsonObject params) {
    String id = "c" + (++controlIds);
    Promise<Object> promise = Promise.promise();
    control.put(id, promise);
    write(JsonRpcWriter.request(Buffer.buffer("\"" + id + "\""), method, params == null ? null : params.toBuffer()));
    return promise.future();
  }

  @Override
  public void response(JsonRpcMessage m) {
    String id = m.id() == null ? "null" : m.id().toString();
    if (id.startsWith("\"c")) {
      Promise<Object> promise = control.remove(id.substring(1, id.length() - 1));
      if (promise == null) {
        stats.unexpected.increment();
        stats.problem(uid + ": answer to no control call: " + id);
      } else if (m.error() != null) {
        promise.fail(uid + ": " + m.error());
      } else {
        promise.complete(Json.decodeValue(m.result()));
      }
      return;
    }
    long n;
    try {
      n = Long.parseLong(id);
    } catch (NumberFormatException e) {
      stats.unexpected.increment();
      stats.problem(uid + ": answer with an id the soak never used: " + id);
      return;
    }
    calls.answered(n, m);
    drained();
  }

  @Override
  public void request(JsonRpcMessage m) {
    switch (m.method()) {
      case "chat.receive" -> {
        stats.serverCalls.increment();
        write(JsonRpcWriter.result(m.id(), JsonRpcWriter.encodeValue(uid)));
      }
      case "rpc.ping" -> write(JsonRpcWriter.result(m.id(), JsonRpcWriter.encodeValue("pong")));
      default -> write(JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.METHOD_NOT_FOUND, m.method())));
    }
  }

  @Override
  public void notification(JsonRpcMessage m) {
    if ("chat.message".equals(m.method())) {
      stats.roomMessages.increment();
    } else {
      stats.problem(uid + ": notification " + m.method());
    }
  }

  @Override
  public void unexpected(String what) {
    stats.unexpected.increment();
    stats.problem(uid + ": " + what);
  }

  private void write(Buffer json) {
    if (socket != null) {
      socket.write(soak.options.getFraming().framing().encode(json));
    }
  }

  private void closed(NetSocket which) {
    if (which != socket) {
      return;
    }
    soak.ready(number, false);
    control.values().forEach(p -> p.tryFail(uid + ": connection closed"));
    control.clear();
    if (closingByUs) {
      return;
    }
    // The server closed it: calls in flight on it are lost; come back as a client would.
    stats.dropped.increment();
    stats.problem(uid + ": the server closed the connection (" + state + ")");
    calls.lostWithConnection();
    if (state != State.CLOSED) {
      state = State.CONNECTING;
      open().onFailure(e -> stats.problem(uid + ": reconnect after a drop failed: " + e.getMessage()));
    }
  }
}
