package io.busrpc.gateway.impl;

import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.IntSupplier;

/**
 * How a session ends, and when it outlives its connection: what each way of a connection going
 * (closed, the client's input ended, a protocol error, a client that does not read, a server that
 * shuts down, a time limit) means to its session. A resumable session ({@link SessionResume}) waits
 * for its client when its connection drops; any other ends with it. Ending releases all of the
 * session: its place in the connection limits, its uid and groups, the calls waiting for its client.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class SessionEnd {

  private static final Logger log = LoggerFactory.getLogger(SessionEnd.class);

  private final GatewayServices services;
  private final String id;
  private final ClientOutput output;
  private final SessionResume resume;
  private final Logins logins;
  private final Session session;
  private final OutboundCalls outbound;
  private final IntSupplier unanswered;
  private final Runnable onClose;
  // The address whose place in the connection limits this session holds.
  private String countedHost;
  private boolean inputEnded;
  private boolean shuttingDown;
  // The gateway closes the connection for good: the session ends with it, resumable or not.
  private boolean ending;

  /**
   * @param countedHost the address whose place in the connection limits the session holds
   * @param unanswered  how many of the client's messages wait for their answers
   * @param onClose     the session is gone: ended, or handed its connection to another
   */
  SessionEnd(GatewayServices services, String id, String countedHost, ClientOutput output, SessionResume resume,
             Logins logins, Session session, OutboundCalls outbound, IntSupplier unanswered, Runnable onClose) {
    this.services = services;
    this.id = id;
    this.countedHost = countedHost;
    this.output = output;
    this.resume = resume;
    this.logins = logins;
    this.session = session;
    this.outbound = outbound;
    this.unanswered = unanswered;
    this.onClose = onClose;
  }

  /** @return true once the gateway has begun to close the session for good (replaced, logged out, shutting down...) */
  boolean ending() {
    return ending;
  }

  /** @return true once the gateway is stopping: new calls are refused */
  boolean stopping() {
    return shuttingDown;
  }

  /** Closes the connection and ends the session; pending answers, and whatever the client has not read yet, are dropped. */
  Future<Void> close() {
    ending = true;
    Connection connection = output.connection();
    if (connection == null) {
      endSession();
      return Future.succeededFuture();
    }
    return connection.abort();
  }

  /** Closes the connection once everything sent so far is written; the session ends with it. */
  void end() {
    ending = true;
    Connection connection = output.connection();
    if (connection == null) {
      endSession();
    } else {
      connection.end();
    }
  }

  /** Closes the connection; only a ping left unanswered is a drop that a resumable session outlives. */
  void closeFor(Connection from, String reason) {
    if (from == output.connection() && !from.isClosed()) {
      log.debug("Closing {}: {}", id, reason);
      ending |= !Deadlines.NO_PING_ANSWER.equals(reason);
      from.abort(); // a client closed for being slow or silent may not read what is still queued for it
    }
  }

  void protocolError(Buffer answer) {
    if (answer != null) {
      output.write(answer, false);
    }
    end(); // the answer above is flushed, then the connection closes
  }

  /** The connection's outbox passed {@code maxOutboundBytes}: a resumable session waits for its client, others end. */
  void overflowed(Connection from) {
    log.info("Closing {}: it does not read, {} bytes are queued for it (maxOutboundBytes {})",
      id, from.outbox().queued(), services.options.getMaxOutboundBytes());
    ending |= !output.resumable();
  }

  /**
   * The gateway is stopping: tell the client, refuse new calls, stop being reachable, and close once
   * the calls in flight are answered (the server closes what is left after the grace period).
   */
  void shuttingDown() {
    shuttingDown = true;
    session.unbind();
    output.send(JsonRpcWriter.request(null, "rpc.shutdown", new JsonObject().put("reason", "server shutting down")
      .put("gracePeriod", services.options.getShutdownGracePeriod()).toBuffer()), false, false);
    if (unanswered.getAsInt() == 0) {
      end();
    }
  }

  /** The client sent its last byte: close once the calls it made are answered. */
  void inputEnded() {
    inputEnded = true;
    if (unanswered.getAsInt() == 0) {
      inputDone();
    }
  }

  /** Every message of the client is answered: a stopping gateway or an ended input closes now. */
  void allAnswered() {
    if (shuttingDown) {
      end();
    } else if (inputEnded) {
      inputDone();
    }
  }

  /**
   * The client sent its last byte and has all its answers: the connection closes. For a resumable
   * session that is a drop like any other (a phone's system closes the sockets of an app it puts to
   * sleep); any other session ends.
   */
  private void inputDone() {
    if (output.resumable()) {
      if (output.connection() != null) {
        output.connection().end();
      }
    } else {
      end();
    }
  }

  /** The session's connection closed: a resumable session waits for its client, any other ends. */
  void closed() {
    output.connection(null);
    inputEnded = false;
    if (!ending && !output.closed() && output.resumable()) {
      resume.detached(System.nanoTime());
      log.debug("Connection {} dropped; its session waits {} ms for the client", id, services.options.getResumeWindow());
      return;
    }
    endSession();
  }

  /**
   * The client resumed on {@code resumed}: the session uses it from now on (its calls come from the
   * new connection's address), and holds the new connection's place in the connection limits
   * instead of the old one's. An old connection still held (half-open) is closed.
   */
  void attach(Connection resumed, String host) {
    Connection old = output.connection();
    if (old != null) {
      old.disown();
      old.abort();
    }
    releasePlace();
    countedHost = host;
    output.connection(resumed);
    logins.reconnectedFrom(resumed.transport().remoteAddress());
    inputEnded = false;
    log.debug("Session {} of uid {} resumed from {}", id, logins.caller().uid(), resumed.transport().remoteAddress());
  }

  /** The connection's client resumed another session: this one, which never had one, is gone. */
  void handedOver() {
    output.close();
    output.connection(null);
    onClose.run();
  }

  private void releasePlace() {
    if (countedHost != null) {
      services.counts.release(countedHost);
      countedHost = null;
    }
  }

  /** Ends the session: nothing more is sent, the uid is given up, calls waiting for the client fail. */
  void endSession() {
    if (output.closed()) {
      return;
    }
    output.close();
    Connection current = output.connection();
    output.connection(null);
    if (current != null && !current.isClosed()) {
      current.disown();
      current.abort();
    }
    resume.drop();
    releasePlace();
    logins.closed();
    session.close();
    outbound.offline();
    onClose.run();
  }
}
