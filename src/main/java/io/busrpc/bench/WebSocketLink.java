package io.busrpc.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One load-generator connection over a WebSocket ({@code --framing ws}): JSON texts out as text
 * messages and in from text messages, as bytes, without making a String of each (the tool must cost
 * less than the server it measures).
 */
final class WebSocketLink {

  private final WebSocket socket;
  // A message in several frames, until its final frame (busrpc sends one frame per message).
  private Buffer partial;

  private WebSocketLink(WebSocket socket) {
    this.socket = socket;
  }

  /**
   * Opens {@code ws://host:port/rpc}; with {@code loginUid}, logs in first.
   *
   * @return the link, once open (and logged in); fails when the login's answer is not a result
   */
  static Future<WebSocketLink> connect(WebSocketClient client, String host, int port, String loginUid) {
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/rpc"))
      .compose(ws -> loginUid == null ? Future.succeededFuture(ws) : login(ws, loginUid))
      .map(WebSocketLink::new);
  }

  private static Future<WebSocket> login(WebSocket ws, String uid) {
    Promise<WebSocket> done = Promise.promise();
    ws.textMessageHandler(answer -> {
      if (answer.contains("\"result\"")) {
        done.tryComplete(ws);
      } else {
        done.tryFail("login refused: " + answer);
      }
    });
    ws.writeTextMessage("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":{\"uid\":\"" + uid + "\"},\"id\":0}");
    return done.future().onComplete(ar -> ws.textMessageHandler(null));
  }

  /** Delivers each message received to {@code onMessage}, and the close to {@code onClose}. */
  void start(Handler<Buffer> onMessage, Handler<Void> onClose) {
    socket.frameHandler(frame -> onFrame(frame, onMessage));
    socket.closeHandler(onClose);
  }

  private void onFrame(WebSocketFrame frame, Handler<Buffer> onMessage) {
    if (frame.type() != WebSocketFrameType.TEXT && frame.type() != WebSocketFrameType.CONTINUATION) {
      return;
    }
    if (frame.isFinal() && partial == null) {
      onMessage.handle(frame.binaryData());
      return;
    }
    partial = partial == null ? frame.binaryData().copy() : partial.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      Buffer whole = partial;
      partial = null;
      onMessage.handle(whole);
    }
  }

  /** Sends one JSON text as one text message. */
  void write(Buffer json) {
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) json).getByteBuf(), true));
  }

  /** Closes the WebSocket. */
  void close() {
    socket.close();
  }
}
