package io.busrpc.web;

import io.busrpc.gateway.impl.GatewayMetrics;
import io.busrpc.gateway.impl.SessionTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.impl.WebSocketImplBase;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The WebSocket adapter of a session: each text message from the client is one JSON text for the
 * core, each JSON text from the core one text message to the client. Messages are put together
 * here from their frames, so that the limit is exactly {@code maxFrameSize} bytes and a message over
 * it closes the WebSocket with status 1009; liveness uses WebSocket ping frames, which browsers
 * answer by themselves.
 */
final class WebSocketTransport implements SessionTransport {

  /** Close status of a message over the limit (RFC 6455: "message too big"). */
  static final short MESSAGE_TOO_BIG = 1009;

  /** The query parameter that carries a token: browsers cannot set headers on a WebSocket. */
  static final String ACCESS_TOKEN = "access_token";

  private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

  private final ServerWebSocket socket;
  private final GatewayMetrics metrics;
  private final GatewayMetrics.Transport bytes;
  private final int maxMessageSize;
  private Receiver receiver;
  // The frames of the message being received, until its final frame.
  private Buffer message;
  private List<Buffer> queued = new ArrayList<>();
  private Promise<Void> pong;
  private boolean ended;

  WebSocketTransport(ServerWebSocket socket, GatewayMetrics metrics, int maxMessageSize) {
    this.socket = socket;
    this.metrics = metrics;
    this.bytes = metrics.transport(name());
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public String name() {
    return "ws";
  }

  @Override
  public SocketAddress peer() {
    return socket.remoteAddress();
  }

  /**
   * A single frame over the limit never reaches {@link #start}'s frame handler: Vert.x's decoder
   * refuses it and then drops the connection. Sending the close status first tells the client why.
   */
  private void failed(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupt
      && corrupt.closeStatus() != null && corrupt.closeStatus().code() == MESSAGE_TOO_BIG) {
      socket.close(MESSAGE_TOO_BIG, "a message is at most " + maxMessageSize + " bytes");
      return;
    }
    log.debug("WebSocket from {} failed: {}", remoteAddress(), e.getMessage());
  }

  @Override
  public void start(Receiver receiver) {
    this.receiver = receiver;
    socket.frameHandler(this::onFrame);
    socket.pongHandler(data -> {
      receiver.read(false); // an answered ping is a sign of life, as an answered rpc.ping is on TCP
      Promise<Void> waiting = pong;
      pong = null;
      if (waiting != null) {
        waiting.tryComplete();
      }
    });
    socket.drainHandler(v -> receiver.writable());
    socket.exceptionHandler(this::failed);
    socket.closeHandler(v -> receiver.closed());
    socket.shutdownHandler(v -> receiver.shuttingDown());
  }

  private void onFrame(WebSocketFrame frame) {
    WebSocketFrameType type = frame.type();
    if (type != WebSocketFrameType.TEXT && type != WebSocketFrameType.BINARY && type != WebSocketFrameType.CONTINUATION) {
      return; // Vert.x answers pings and close frames itself; pongs go to the pong handler
    }
    Buffer data = frame.binaryData();
    bytes.bytesIn(data.length());
    if (type != WebSocketFrameType.CONTINUATION) {
      message = null; // a new message; RFC 6455 does not let one start inside another
    }
    long size = (message == null ? 0 : message.length()) + (long) data.length();
    if (size > maxMessageSize) {
      message = null;
      metrics.rejected("frame_too_large");
      socket.close(MESSAGE_TOO_BIG, "a message is at most " + maxMessageSize + " bytes");
      return;
    }
    if (frame.isFinal() && message == null) {
      receiver.read(false);
      receiver.frame(data);
      return;
    }
    if (message == null) {
      message = Buffer.buffer((int) Math.min(maxMessageSize, 2L * data.length()));
    }
    message.appendBuffer(data);
    if (frame.isFinal()) {
      Buffer whole = message;
      message = null;
      receiver.read(false);
      receiver.frame(whole);
    } else {
      receiver.read(true);
    }
  }

  @Override
  public int write(Buffer json) {
    queued.add(json);
    return json.length();
  }

  /**
   * Writes the queued texts, one text frame each, with one flush for all of them: a flush per frame
   * (what {@code writeFrame} does outside a read) is a system call per answer.
   */
  @Override
  public Future<Void> flush() {
    if (queued.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Buffer> messages = queued;
    queued = new ArrayList<>();
    if (ended) {
      return Future.succeededFuture(); // nothing may follow the close frame
    }
    if (!(socket instanceof WebSocketImplBase<?> impl)) {
      Future<Void> last = null;
      for (Buffer json : messages) {
        last = socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) json).getByteBuf(), true));
      }
      return last;
    }
    ChannelHandlerContext channel = impl.channelHandlerContext();
    ChannelPromise written = channel.newPromise();
    int last = messages.size() - 1;
    for (int i = 0; i <= last; i++) {
      ByteBuf bytes = ((BufferInternal) messages.get(i)).getByteBuf();
      channel.write(new TextWebSocketFrame(true, 0, bytes), i == last ? written : channel.voidPromise());
    }
    channel.flush();
    Promise<Void> done = Promise.promise();
    written.addListener(f -> {
      if (f.isSuccess()) {
        done.complete();
      } else {
        done.fail(f.cause());
      }
    });
    return done.future();
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public void end() {
    ended = true;
    socket.close();
  }

  @Override
  public Future<Void> abort() {
    queued = new ArrayList<>();
    if (!(socket instanceof WebSocketImplBase<?> impl)) {
      return socket.close();
    }
    // Closes the TCP connection without the closing handshake, which would wait behind what the
    // client does not read.
    Promise<Void> closed = Promise.promise();
    impl.channelHandlerContext().close().addListener(f -> closed.complete());
    return closed.future();
  }

  /** The {@code access_token} query parameter of the handshake, as the login params {@code {"token": ...}}. */
  @Override
  public JsonObject credentials() {
    List<String> tokens = new QueryStringDecoder(socket.uri()).parameters().get(ACCESS_TOKEN);
    return tokens == null || tokens.isEmpty() ? null : new JsonObject().put("token", tokens.get(0));
  }

  @Override
  public boolean pingsItself() {
    return true;
  }

  @Override
  public Future<Void> ping() {
    Promise<Void> answered = Promise.promise();
    pong = answered;
    socket.writePing(Buffer.buffer("busrpc"));
    return answered.future();
  }
}
