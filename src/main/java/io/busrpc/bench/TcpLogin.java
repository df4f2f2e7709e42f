package io.busrpc.bench;

import io.busrpc.protocol.codec.FrameDecoder;
import io.busrpc.protocol.codec.Framing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** Logs a bench connection in before its run ({@code --login}, {@code --resume}). */
final class TcpLogin {

  private TcpLogin() {
  }

  /**
   * Sends {@code rpc.login {"uid": uid}} (with {@code "resume": true} when asked) and waits for its
   * answer, which must be a result (and, asking for resume, carry a token).
   *
   * @return the socket, once logged in; fails with the answer otherwise
   */
  static Future<NetSocket> login(NetSocket socket, Framing framing, int maxFrame, String uid, boolean resume) {
    Promise<NetSocket> done = Promise.promise();
    socket.handler(new FrameDecoder(maxFrame, frame -> {
      String answer = frame.toString();
      if (!answer.contains("\"result\"")) {
        done.tryFail("login refused: " + answer);
      } else if (resume && !answer.contains("\"token\"")) {
        done.tryFail("the server granted no resume (is gateway.resumeWindow 0?): " + answer);
      } else {
        done.tryComplete(socket);
      }
    }, e -> done.tryFail(e.getMessage())));
    String params = "{\"uid\":\"" + uid + "\"" + (resume ? ",\"resume\":true}" : "}");
    socket.write(framing.encode(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":" + params + ",\"id\":0}")));
    return done.future();
  }
}
