package io.busrpc.gateway.impl;

import io.busrpc.protocol.JsonRpcWriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resume side of one session (DESIGN §11): starts a {@link Resumption} when a login asks for
 * one, lists the session among the node's {@link ResumableSessions} while it has one, and lets a
 * client that comes back with a good token take the session over on its new connection.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class SessionResume implements Logins.Resume {

  private static final Logger log = LoggerFactory.getLogger(SessionResume.class);

  private final GatewayServices services;
  private final SessionCore core;
  private final ClientOutput output;

  SessionResume(GatewayServices services, SessionCore core, ClientOutput output) {
    this.services = services;
    this.core = core;
    this.output = output;
  }

  @Override
  public JsonObject loggedIn(boolean asked) {
    drop(); // a new login starts afresh
    long window = services.options.getResumeWindow();
    if (!asked || window == 0) {
      return null;
    }
    Resumption resumption = new Resumption(services.vertx, core.id(), services.instanceId, window,
      services.options.getResumeBufferBytes(),
      json -> output.write(json, false));
    output.resumption(resumption);
    services.resumables.add(core.id(), core);
    return resumption.loginResult();
  }

  @Override
  public void loggedOut() {
    drop();
  }

  /** The session can no longer be resumed: its copies and tokens go. */
  void drop() {
    Resumption resumption = output.resumption();
    if (resumption != null) {
      services.resumables.remove(core.id(), core);
      resumption.close();
      output.resumption(null);
    }
  }

  /** The connection dropped: the window starts. */
  void detached(long now) {
    output.resumption().detached(now);
  }

  /** @return true when the session waits for its client and the window is over */
  boolean windowOver(long now) {
    return output.resumption() != null && output.resumption().windowOver(now);
  }

  /**
   * A client resumes this session on a new connection ({@link ResumeAttempt}), on this session's
   * event loop: the session takes the connection over, answers the {@code rpc.resume} and resends
   * what the client lacks.
   *
   * @param transport the new connection, relayed from its own event loop
   * @param host      its client's address, whose place in the connection limits the session holds
   *                  from now on; null when the connection's own node keeps it
   * @return fails with -32010 when the token is not good for this session, or when {@code seq}
   *     cannot be honoured (which ends the session)
   */
  Future<Void> takeOver(byte[] secret, long seq, Buffer requestId, SessionTransport transport, String host) {
    Resumption resumption = output.resumption();
    if (output.closed() || core.end().ending() || resumption == null || !resumption.counting() || !resumption.accepts(secret)) {
      return Future.failedFuture(ResumeAttempt.expired("the token is unknown, used or expired"));
    }
    if (!resumption.canResendAfter(seq)) {
      log.debug("Ending session {}: its client resumed from seq {}, which cannot be resent", core.id(), seq);
      core.end().endSession();
      return Future.failedFuture(ResumeAttempt.expired("seq " + seq + " cannot be resent from"));
    }
    Connection resumed = new Connection(transport, services, core, false, true);
    core.end().attach(resumed, host);
    transport.start(resumed);
    resumed.send(JsonRpcWriter.result(requestId, resumption.resumed(core.caller().uid())), true);
    for (Buffer copy : resumption.resend(seq)) {
      resumed.send(copy, true);
    }
    resumed.outbox().flush();
    return Future.succeededFuture();
  }
}
