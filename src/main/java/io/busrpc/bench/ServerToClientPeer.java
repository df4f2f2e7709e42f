package io.busrpc.bench;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One socket of {@code bench --mode server-to-client} ({@link ServerToClientBench}): answers the
 * server's calls, and makes calls of its own (login, drive) one at a time.
 */
final class ServerToClientPeer implements MessageReader.Receiver {
  private final ServerToClientBench bench;
  private final NetSocket socket;
  private final String name;
  private volatile Promise<Object> pending;
  private volatile long pendingId;
  private long nextId;
  // With --resume, from the login answer on: what the server sent is counted and acknowledged.
  private ResumeAcks acks;
  private long ackTimer = -1;

  private ServerToClientPeer(ServerToClientBench bench, NetSocket socket, String name) {
    this.bench = bench;
    this.socket = socket;
    this.name = name;
  }

  static Future<ServerToClientPeer> open(ServerToClientBench bench, NetClient client, String name) {
    return client.connect(bench.options.getPort(), bench.options.getHost()).map(socket -> {
      ServerToClientPeer peer = new ServerToClientPeer(bench, socket, name);
      MessageReader.attach(socket, peer);
      socket.closeHandler(v -> peer.closed());
      return peer;
    });
  }

  Future<Void> login(String uid) {
    boolean resume = bench.options.isResume();
    JsonObject params = new JsonObject().put("uid", uid);
    return call("rpc.login", resume ? params.put("resume", true) : params, bench.options.getTimeout())
      .compose(result -> {
        if (!resume) {
          return Future.succeededFuture();
        }
        if (!(result instanceof JsonObject json) || json.getJsonObject("resume") == null) {
          return Future.failedFuture(new IllegalStateException(name + ": the server granted no resume (is gateway.resumeWindow 0?)"));
        }
        acks = new ResumeAcks();
        ackTimer = bench.vertx.setPeriodic(ResumeAcks.ACK_EVERY, t -> {
          Buffer ack = acks.due();
          if (ack != null) {
            write(ack);
          }
        });
        return Future.succeededFuture();
      });
  }

  /** Counts a message of the server for resume, unless it is one that does not count. */
  private void count(JsonRpcMessage m) {
    if (acks != null && !"rpc.ping".equals(m.method())) {
      acks.counted();
    }
  }

  /** Sends a request and waits up to {@code timeoutMs} for its answer. */
  Future<Object> call(String method, JsonObject params, long timeoutMs) {
    Promise<Object> promise = Promise.promise();
    long id = ++nextId;
    pending = promise;
    pendingId = id;
    long timer = bench.vertx.setTimer(timeoutMs, t -> promise.tryFail(new IllegalStateException(name + ": " + method + " got no answer within " + timeoutMs + " ms")));
    write(JsonRpcWriter.request(Buffer.buffer(Long.toString(id)), method, params.toBuffer()));
    return promise.future().andThen(ar -> bench.vertx.cancelTimer(timer));
  }

  @Override
  public void notification(JsonRpcMessage m) {
    // rpc.ack: not counted; rpc.shutdown and the like: nothing to do
    if (!"rpc.ack".equals(m.method())) {
      count(m);
    }
  }

  @Override
  public void unexpected(String what) {
    bench.unexpected.incrementAndGet();
    bench.problem(name + ": " + what);
  }

  @Override
  public void request(JsonRpcMessage m) {
    count(m);
    if (!"bench.echo".equals(m.method())) {
      // rpc.ping included: any answer shows the gateway the connection is alive.
      write(JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.METHOD_NOT_FOUND, m.method())));
      return;
    }
    write(JsonRpcWriter.result(m.id(), firstParam(m.params())));
    bench.answered.incrementAndGet();
  }

  /**
   * The first element of the params as JSON text. The driver sends {@code [n]}: its number is cut
   * out of the text the parser has checked already; anything else goes through a JSON tree.
   */
  private static Buffer firstParam(Buffer params) {
    if (params == null) {
      return JsonRpcWriter.encodeValue(null);
    }
    int end = params.length() - 1;
    if (end > 1 && params.getByte(0) == '[' && params.getByte(end) == ']') {
      boolean plainNumber = true;
      for (int i = 1; i < end && plainNumber; i++) {
        byte b = params.getByte(i);
        plainNumber = b == '-' || (b >= '0' && b <= '9');
      }
      if (plainNumber) {
        return params.slice(1, end);
      }
    }
    return JsonRpcWriter.encodeValue(new JsonArray(params).getValue(0));
  }

  @Override
  public void response(JsonRpcMessage m) {
    count(m);
    Promise<Object> promise = pending;
    if (promise == null || m.id() == null || !Long.toString(pendingId).equals(m.id().toString())) {
      unexpected("answer to no call of ours: " + m.id());
      return;
    }
    pending = null;
    if (m.error() != null) {
      promise.tryFail(new IllegalStateException(name + ": " + m.error()));
    } else {
      promise.tryComplete(Json.decodeValue(m.result()));
    }
  }

  private void write(Buffer json) {
    socket.write(bench.options.getFraming().framing().encode(json));
  }

  private void closed() {
    if (ackTimer != -1) {
      bench.vertx.cancelTimer(ackTimer);
    }
    if (!bench.closing) {
      bench.lost.incrementAndGet();
      bench.problem(name + ": the server closed the connection");
    }
    Promise<Object> promise = pending;
    if (promise != null) {
      promise.tryFail(new IllegalStateException(name + ": connection closed"));
    }
  }

  Future<Void> close() {
    return socket.close();
  }
}
