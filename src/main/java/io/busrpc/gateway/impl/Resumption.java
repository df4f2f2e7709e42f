package io.busrpc.gateway.impl;

import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.ParsedFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The resume state of a session whose client asked for it at login (DESIGN §11): the counting of
 * the messages each side sends after the login answer, the copies of the server's own until the
 * client acknowledges them ({@link ResumeBuffer}), the acknowledgements of the client's, the tokens
 * ({@link ResumeTokens}) and the window during which a dropped client may come back.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class Resumption {

  /** How long after a counted message arrives the gateway acknowledges it, in ms: well within the second the protocol allows. */
  static final long ACK_DELAY = 200;

  private final Vertx vertx;
  private final ResumeTokens tokens;
  private final ResumeBuffer sent = new ResumeBuffer();
  private final long window;
  private final long cap;
  private final Consumer<Buffer> ackWriter;
  // Counting starts once the login answer is written.
  private boolean armed = true;
  private long received;
  private long acknowledged;
  private long ackTimer = -1;
  private long detachedAt;
  private boolean closed;

  /**
   * @param window    how long a dropped client may take to come back, in ms
   * @param cap       the bytes of unacknowledged copies kept at most
   * @param ackWriter writes an {@code rpc.ack} to the client, if it is connected
   */
  Resumption(Vertx vertx, String connectionId, String instanceId, long window, long cap, Consumer<Buffer> ackWriter) {
    this.vertx = vertx;
    this.tokens = new ResumeTokens(connectionId, instanceId);
    this.window = window;
    this.cap = cap;
    this.ackWriter = ackWriter;
  }

  /** @return what the login result carries under {@code "resume"} */
  JsonObject loginResult() {
    return new JsonObject().put("token", tokens.current()).put("window", window);
  }

  /**
   * The answer to a text holding an {@code rpc.login} is about to be written: the first one after
   * this session's login is that login's answer, which is not counted; counting starts after it.
   *
   * @return true when this answer is the login's
   */
  boolean loginAnswer() {
    if (!armed) {
      return false;
    }
    armed = false;
    return true;
  }

  /**
   * A JSON text from the client arrived. Counted unless it is a single {@code rpc.ack},
   * {@code rpc.ping} or {@code rpc.resume}, or the answer to a ping of the gateway; a counted one is
   * acknowledged within {@link #ACK_DELAY} ms.
   *
   * @param parsed the text, or {@code null} when it is not JSON (counted: the client counts what it sent)
   * @param isPing tells the gateway's ping answers apart
   * @return true when it counted, so its answer counts too
   */
  boolean incoming(ParsedFrame parsed, Predicate<JsonRpcMessage> isPing) {
    tokens.confirmed();
    if (armed || (parsed != null && !parsed.batch() && uncounted(parsed.messages().get(0), isPing))) {
      return false;
    }
    received++;
    if (ackTimer == -1) {
      ackTimer = vertx.setTimer(ACK_DELAY, t -> {
        ackTimer = -1;
        sendAck();
      });
    }
    return true;
  }

  private static boolean uncounted(JsonRpcMessage message, Predicate<JsonRpcMessage> isPing) {
    if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
      return isPing.test(message);
    }
    String method = message.method();
    return method != null && (method.equals("rpc.ack") || method.equals("rpc.ping") || method.equals("rpc.resume"));
  }

  /** @return true when {@code message} is an {@code rpc.ack} notification, which only the session reads */
  static boolean isAck(ParsedFrame parsed) {
    JsonRpcMessage first = parsed.messages().get(0);
    return !parsed.batch() && first.kind() == JsonRpcMessage.Kind.NOTIFICATION && "rpc.ack".equals(first.method());
  }

  private void sendAck() {
    if (closed || received == acknowledged || detachedAt != 0) {
      return;
    }
    acknowledged = received;
    ackWriter.accept(JsonRpcWriter.request(null, "rpc.ack", new JsonObject().put("seq", received).toBuffer()));
  }

  /**
   * The client acknowledged the gateway's messages up to {@code seq}: their copies go. An ack that
   * is not {@code {"seq": n}} with a whole n is ignored, as a notification's mistakes are.
   */
  void acked(Buffer params) {
    try {
      Object seq = params == null ? null : new JsonObject(params).getValue("seq");
      if (seq instanceof Long || seq instanceof Integer) {
        sent.ack(((Number) seq).longValue());
      }
    } catch (DecodeException | ClassCastException e) {
      // not an object: nothing acknowledged
    }
  }

  /** @return true while messages are counted, from the login answer on */
  boolean counting() {
    return !armed;
  }

  /**
   * Keeps a copy of a counted message sent now.
   *
   * @return false when the copies kept now pass {@code resumeBufferBytes}: the session must end
   */
  boolean record(Buffer json) {
    sent.add(json);
    return sent.bytes() <= cap;
  }

  /** @return bytes of copies kept */
  long buffered() {
    return sent.bytes();
  }

  /** @return true when {@code secret} may resume this session */
  boolean accepts(byte[] secret) {
    return !closed && tokens.accepts(secret);
  }

  /** @return true when the messages after {@code seq} can be resent exactly */
  boolean canResendAfter(long seq) {
    return sent.canResendAfter(seq);
  }

  /**
   * A resume succeeded.
   *
   * @return the answer's result: {@code {"uid", "seq", "token"}}
   */
  Buffer resumed(String uid) {
    detachedAt = 0;
    acknowledged = received; // the answer's seq acknowledges
    return new JsonObject().put("uid", uid).put("seq", received).put("token", tokens.resumed()).toBuffer();
  }

  /** @return the copies to resend after the client's {@code seq}, in order */
  List<Buffer> resend(long seq) {
    return sent.after(seq);
  }

  /** The connection dropped: the window starts. */
  void detached(long now) {
    detachedAt = now;
  }

  /** @return true when the client has been away longer than the window */
  boolean windowOver(long now) {
    return detachedAt != 0 && now - detachedAt > window * 1_000_000;
  }

  /** The session ended: its copies and tokens are gone. */
  void close() {
    closed = true;
    sent.clear();
    if (ackTimer != -1) {
      vertx.cancelTimer(ackTimer);
      ackTimer = -1;
    }
  }
}
