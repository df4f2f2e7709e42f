package io.busrpc.bench;

import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The bench tool's side of a resumable session ({@code --resume}, PROTOCOL §8): it counts the
 * server's counted messages and acknowledges them with {@code rpc.ack}, so that the server can drop
 * its copies, as a resuming client must. It keeps no copies of its own messages: the tool never
 * resumes, and what is measured is the server's cost. One per connection, used on its event loop.
 */
final class ResumeAcks {

  /** How often the tool acknowledges, in ms: the protocol allows a second, the busrpc clients wait 200 ms. */
  static final long ACK_EVERY = 200;

  private static final byte[] ACK_METHOD = "\"rpc.ack\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PING_METHOD = "\"rpc.ping\"".getBytes(StandardCharsets.US_ASCII);

  private long received;
  private long acknowledged;

  /**
   * A JSON text from the server after the login answer.
   *
   * @return true when it is the server's own {@code rpc.ack} (not counted, nothing else to do with it)
   */
  boolean received(Buffer frame) {
    if (startsWithMethod(frame, ACK_METHOD)) {
      return true;
    }
    if (!startsWithMethod(frame, PING_METHOD)) {
      received++;
    }
    return false;
  }

  /** One counted message came (for callers that parsed it already and know it counts). */
  void counted() {
    received++;
  }

  /** @return the {@code rpc.ack} to send now, or null when everything received is acknowledged */
  Buffer due() {
    if (received == acknowledged) {
      return null;
    }
    acknowledged = received;
    return JsonRpcWriter.request(null, "rpc.ack", Buffer.buffer("{\"seq\":" + received + "}"));
  }

  /**
   * Whether the text is a single message of the server with that method. The server writes
   * {@code {"jsonrpc":"2.0","method":...} } with the method right after the version; answers carry
   * no method, so a look at the first bytes tells.
   */
  private static boolean startsWithMethod(Buffer frame, byte[] method) {
    int at = "{\"jsonrpc\":\"2.0\",\"method\":".length();
    if (frame.length() < at + method.length || frame.getByte(0) != '{') {
      return false;
    }
    for (int i = 0; i < method.length; i++) {
      if (frame.getByte(at + i) != method[i]) {
        return false;
      }
    }
    return true;
  }
}
