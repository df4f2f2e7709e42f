package io.busrpc.bench;

import io.busrpc.bus.Addresses;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference JSON-RPC server on a plain NetServer, in busrpc's three framings (detected from the
 * first byte), using busrpc's decoder, parser and writer.
 *
 * <ul>
 *   <li>direct: answers {@code sum}, {@code subtract}, {@code echo} itself on the connection's event
 *       loop. No event bus: the upper bound for a server doing the same JSON work.</li>
 *   <li>naive-bus: what a user writes without busrpc: {@code eventBus.request(address, params)} per
 *       call to {@link BusConsumersVerticle}, and a {@code socket.write} per answer.</li>
 * </ul>
 */
final class JsonRpcServerVerticle extends VerticleBase {

  private static final int MAX_FRAME = 1024 * 1024;

  private final boolean viaBus;
  private final String host;
  private final int port;
  private NetServer server;

  JsonRpcServerVerticle(boolean viaBus, String host, int port) {
    this.viaBus = viaBus;
    this.host = host;
    this.port = port;
  }


  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
      .connectHandler(socket -> new Conn(socket));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  private final class Conn {
    final NetSocket socket;
    final FrameDecoder decoder;

    Conn(NetSocket socket) {
      this.socket = socket;
      this.decoder = new FrameDecoder(MAX_FRAME, this::onFrame, e -> {
        if (decoder().framing() != null) {
          write(JsonRpcWriter.error(null, new RpcException(ErrorCode.FRAME_TOO_LARGE, e.getMessage())));
        }
        socket.close();
      });
      socket.handler(decoder);
    }

    FrameDecoder decoder() {
      return decoder;
    }

    void write(Buffer json) {
      socket.write(decoder.framing().encode(json));
    }

    void onFrame(Buffer frame) {
      ParsedFrame parsed;
      try {
        parsed = JsonRpcParser.parse(frame);
      } catch (RpcException e) {
        write(JsonRpcWriter.error(null, e));
        return;
      }
      if (!parsed.batch()) {
        JsonRpcMessage m = parsed.messages().get(0);
        if (viaBus) {
          Future<Buffer> answer = forward(m);
          if (answer != null) {
            answer.onSuccess(this::write);
          }
        } else {
          Buffer answer = answer(m);
          if (answer != null) {
            write(answer);
          }
        }
        return;
      }
      List<Future<Buffer>> answers = new ArrayList<>();
      for (JsonRpcMessage m : parsed.messages()) {
        Future<Buffer> a = viaBus ? forward(m) : answerFuture(m);
        if (a != null) {
          answers.add(a);
        }
      }
      if (!answers.isEmpty()) {
        Future.all(answers).onSuccess(all -> write(JsonRpcWriter.batch(all.list())));
      }
    }

    private Future<Buffer> answerFuture(JsonRpcMessage m) {
      Buffer a = answer(m);
      return a == null ? null : Future.succeededFuture(a);
    }

    /** Direct: the answer to a message, or null for a notification or a stray response. */
    private Buffer answer(JsonRpcMessage m) {
      switch (m.kind()) {
        case INVALID:
          return JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.INVALID_REQUEST, m.problem()));
        case RESPONSE:
          return null;
        default:
          Buffer result;
          try {
            Object params = m.params() == null ? null : Json.decodeValue(m.params());
            result = Json.encodeToBuffer(MathFunctions.call(m.method(), params));
          } catch (RpcException e) {
            return m.kind() == JsonRpcMessage.Kind.REQUEST ? JsonRpcWriter.error(m.id(), e) : null;
          } catch (ArithmeticException | DecodeException e) {
            return m.kind() == JsonRpcMessage.Kind.REQUEST
              ? JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.INVALID_PARAMS, e.getMessage())) : null;
          }
          return m.kind() == JsonRpcMessage.Kind.REQUEST ? JsonRpcWriter.result(m.id(), result) : null;
      }
    }

    /** Naive bus: a request per call, the answer encoded when the reply comes. */
    private Future<Buffer> forward(JsonRpcMessage m) {
      switch (m.kind()) {
        case INVALID:
          return Future.succeededFuture(JsonRpcWriter.error(m.id(), new RpcException(ErrorCode.INVALID_REQUEST, m.problem())));
        case RESPONSE:
          return null;
        case NOTIFICATION:
          vertx.eventBus().send(Addresses.DEFAULT.method(m.method()), m.params() == null ? null : Json.decodeValue(m.params()));
          return null;
        default:
          Buffer id = m.id();
          return vertx.eventBus().request(Addresses.DEFAULT.method(m.method()),
              m.params() == null ? null : Json.decodeValue(m.params()))
            .map(reply -> JsonRpcWriter.result(id, Json.encodeToBuffer(reply.body())))
            .recover(e -> Future.succeededFuture(JsonRpcWriter.error(id, toRpc(e))));
      }
    }
  }

  private static RpcException toRpc(Throwable e) {
    if (e instanceof RpcException rpc) {
      return rpc;
    }
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> new RpcException(ErrorCode.METHOD_NOT_FOUND);
        case TIMEOUT -> new RpcException(ErrorCode.TIMEOUT);
        default -> new RpcException(re.failureCode(), re.getMessage());
      };
    }
    return new RpcException(ErrorCode.INTERNAL_ERROR, String.valueOf(e.getMessage()));
  }
}
