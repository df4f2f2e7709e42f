package io.busrpc.gateway.impl;

import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a session sends to its client goes through here: to the current {@link Connection},
 * if there is one, and, for a session whose client asked for resume, counted and kept in its
 * {@link Resumption} until the client acknowledges it. While the client is away only the copy is
 * kept; past {@code resumeBufferBytes} the session must end.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class ClientOutput {

  private static final Logger log = LoggerFactory.getLogger(ClientOutput.class);

  private final GatewayServices services;
  private final String id;
  private final Runnable onBufferFull;
  private Connection connection;
  private Resumption resumption;
  private boolean closed;

  /** @param onBufferFull ends the session: its client left too much unacknowledged */
  ClientOutput(GatewayServices services, String id, Runnable onBufferFull) {
    this.services = services;
    this.id = id;
    this.onBufferFull = onBufferFull;
  }

  /** @return the client's connection; null while a resumable session waits for its client */
  Connection connection() {
    return connection;
  }

  void connection(Connection connection) {
    this.connection = connection;
  }

  /** @return the resume state, or null when the client did not ask for resume */
  Resumption resumption() {
    return resumption;
  }

  void resumption(Resumption resumption) {
    this.resumption = resumption;
  }

  /** @return true while the session counts messages and may wait for a dropped client */
  boolean resumable() {
    return resumption != null && resumption.counting();
  }

  /**
   * Sends an answer to a message of the client. The login answer that started the counting is not
   * counted itself.
   *
   * @param counted false when the message it answers was not counted
   * @param login   true when the message it answers holds an {@code rpc.login}
   */
  void answer(Buffer json, boolean counted, boolean login, boolean moreComing) {
    boolean loginAnswer = login && resumption != null && resumption.loginAnswer();
    send(json, counted && !loginAnswer, moreComing);
  }

  /**
   * Sends a JSON text to the client; a counted one is kept until the client acknowledges it.
   *
   * @param moreComing true when more texts are expected in this event-loop turn, to be written together
   */
  void send(Buffer json, boolean counted, boolean moreComing) {
    if (closed) {
      return;
    }
    if (counted && resumable() && !resumption.record(json)) {
      services.metrics.closed("resume_buffer_full");
      log.info("Ending session {}: its client has not acknowledged {} bytes (resumeBufferBytes {})", id,
        resumption.buffered(), services.options.getResumeBufferBytes());
      onBufferFull.run();
      return;
    }
    write(json, moreComing);
  }

  /** Writes a JSON text to the connection, if there is one, without counting it. */
  void write(Buffer json, boolean moreComing) {
    if (connection != null && !closed) {
      connection.send(json, moreComing);
    }
  }

  /** The session ended: nothing more is sent. */
  void close() {
    closed = true;
  }

  boolean closed() {
    return closed;
  }
}
