package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A connection over the connection limits, on any transport: it gets no session. Its first message
 * is answered with -32009 and the connection closes; one that sends nothing is closed after a
 * moment by the acceptor's sweep. It is not counted as an open connection.
 */
final class RefusedConnection implements SessionTransport.Receiver {

  // A refused client that sends nothing is closed after this long (it gets an error if it sends).
  private static final long LINGER = 1_000_000_000L;
  private static final Buffer REFUSAL = JsonRpcWriter.error(null, new RpcException(ErrorCode.TOO_MANY_CONNECTIONS,
    "the server accepts no more connections from you now"));

  private final SessionTransport transport;
  private final Runnable onClose;
  private final long openedAt;
  private final long pingTimeout;
  private boolean answered;
  private long endedAt;

  /**
   * @param pingTimeout how long, in ns, the close may wait for the client to read what it was sent
   *                    ({@code gateway.pingTimeout}, as for a session's last messages)
   */
  RefusedConnection(SessionTransport transport, long now, long pingTimeout, Runnable onClose) {
    this.transport = transport;
    this.onClose = onClose;
    this.openedAt = now;
    this.pingTimeout = pingTimeout;
    transport.start(this);
  }

  /**
   * Closes the connection once it has lingered long enough, and cuts it off when the close has
   * waited {@code pingTimeout} for a client that does not read; called by the acceptor's sweep.
   */
  void sweep(long now) {
    if (endedAt != 0) {
      if (now - endedAt > pingTimeout) {
        transport.abort();
      }
    } else if (now - openedAt > LINGER) {
      end(now);
    }
  }

  private void end(long now) {
    if (endedAt == 0) {
      endedAt = now;
    }
    transport.end();
  }

  /** Closes the connection at once. */
  Future<Void> close() {
    return transport.abort();
  }

  @Override
  public void frame(Buffer json) {
    answer(REFUSAL);
  }

  @Override
  public void protocolError(Buffer answer) {
    if (answer == null) {
      transport.end();
    } else {
      answer(answer);
    }
  }

  /** One answer, then the close; what the client sends after it is ignored. */
  private void answer(Buffer json) {
    if (!answered) {
      answered = true;
      transport.write(json);
      transport.flush();
      end(System.nanoTime());
    }
  }

  @Override
  public void read(boolean partialFrame) {
  }

  @Override
  public void inputEnded() {
    transport.end();
  }

  @Override
  public void writable() {
  }

  @Override
  public void shuttingDown() {
    transport.end();
  }

  @Override
  public void closed() {
    onClose.run();
  }
}
