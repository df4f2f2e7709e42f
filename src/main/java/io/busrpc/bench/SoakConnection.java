package io.busrpc.bench;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One soak connection, confined to its event loop: logs in as its uid and joins its room, sends
 * the calls it is given and checks each answer (the right value, once), answers the server's
 * {@code chat.receive} calls with its uid, counts room messages, and goes through logout + login
 * or close + reconnect when told, after its calls in flight are answered.
 */
final class SoakConnection {

  private static final int MAX_FRAME = 16 * 1024 * 1024;

  enum State { CONNECTING, READY, DRAINING, CLOSED }

  /** A call of the soak, and what its answer must be. */
  private record Pending(long intendedNanos, Object expected) {
  }

  final int number;
  final String uid;
  private final Soak soak;
  private final SoakStats stats;
  private final NetClient client;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Set<Long> declaredLost = new HashSet<>();
  private final Map<String, Promise<Object>> control = new HashMap<>();
  private NetSocket socket;
  private State state = State.CONNECTING;
  private Runnable afterDrain;
  private long lastId;
  private long controlIds;
  private boolean closingByUs;

  SoakConnection(Soak soak, NetClient client, int number) {
    this.soak = soak;
    this.stats = soak.stats;
    this.client = client;
    this.number = number;
    this.uid = soak.uid(number);
  }

  State state() {
    return state;
  }

  int inFlight() {
    return pending.size();
  }

  /** Connects, logs in and joins the room; the connection is ready when the future completes. */
  Future<Void> open() {
    state = State.CONNECTING;
    closingByUs = false;
    SoakOptions o = soak.options;
    return client.connect(o.getPort(), o.getHost()).compose(s -> {
      socket = s;
      FrameDecoder decoder = new FrameDecoder(MAX_FRAME, this::frame, e -> {
        stats.unexpected.increment();
        stats.problem(uid + ": bad frame from the server: " + e.getMessage());
        s.close();
      });
      s.handler(decoder);
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
    lastId = id;
    pending.put(id, new Pending(intendedNanos, expected));
    stats.sent.increment();
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
    long limit = soak.options.getTimeout() * 1_000_000L;
    for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Pending> e = it.next();
      if (now - e.getValue().intendedNanos() > limit) {
        it.remove();
        declaredLost.add(e.getKey());
        stats.lost.increment();
        stats.problem(uid + ": call " + e.getKey() + " unanswered after " + soak.options.getTimeout() + " ms");
      }
    }
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
    if (state == State.DRAINING && pending.isEmpty() && afterDrain != null) {
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

  private void frame(Buffer frame) {
    List<JsonRpcMessage> messages;
    try {
      messages = JsonRpcParser.parse(frame).messages();
    } catch (RpcException e) {
      stats.unexpected.increment();
      stats.problem(uid + ": unreadable frame: " + e.getMessage());
      return;
    }
    for (JsonRpcMessage m : messages) {
      switch (m.kind()) {
        case RESPONSE -> response(m);
        case REQUEST -> request(m);
        case NOTIFICATION -> notification(m);
        default -> {
          stats.unexpected.increment();
          stats.problem(uid + ": invalid message: " + m.problem());
        }
      }
    }
  }

  private void response(JsonRpcMessage m) {
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
    Pending call = pending.remove(n);
    if (call == null) {
      if (declaredLost.remove(n)) {
        stats.late.increment();
      } else if (n <= lastId) {
        stats.duplicated.increment();
        stats.problem(uid + ": a second answer to call " + n);
      } else {
        stats.unexpected.increment();
        stats.problem(uid + ": answer to call " + n + ", never sent");
      }
      return;
    }
    stats.answered.increment();
    stats.latency.recordValue(Math.max(0, System.nanoTime() - call.intendedNanos()));
    if (m.error() != null) {
      JsonObject error = new JsonObject(m.error());
      stats.error(error.getInteger("code", 0));
    } else if (!same(call.expected(), Json.decodeValue(m.result()))) {
      stats.wrong.increment();
      stats.problem(uid + ": call " + n + " answered " + m.result() + ", expected " + call.expected());
    }
    drained();
  }

  private static boolean same(Object expected, Object actual) {
    if (expected instanceof Number e && actual instanceof Number a) {
      return e.longValue() == a.longValue();
    }
    return expected.equals(actual);
  }

  private void request(JsonRpcMessage m) {
    switch (m.method()) {
      case "chat.receive" -> {
        stats.serverCalls.increment();
        write(JsonRpcWriter.result(m.id(), JsonRpcWriter.encodeValue(uid)));
      }
      case "rpc.ping" -> write(JsonRpcWriter.result(m.id(), JsonRpcWriter.encodeValue("pong")));
      default -> write(JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.METHOD_NOT_FOUND, m.method())));
    }
  }

  private void notification(JsonRpcMessage m) {
    if ("chat.message".equals(m.method())) {
      stats.roomMessages.increment();
    } else {
      stats.problem(uid + ": notification " + m.method());
    }
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
    stats.lost.add(pending.size());
    if (!pending.isEmpty()) {
      stats.problem(uid + ": the server closed the connection with " + pending.size() + " calls in flight");
    }
    pending.clear();
    if (state != State.CLOSED) {
      state = State.CONNECTING;
      open().onFailure(e -> stats.problem(uid + ": reconnect after a drop failed: " + e.getMessage()));
    }
  }
}
