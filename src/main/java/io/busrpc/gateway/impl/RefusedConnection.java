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

  // A refused client that sends nothing is closed after this long (it gets an error if it sends),
  // and cut off after the second one if it does not even read that.
  private static final long LINGER = 1_000_000_000L;
  private static final long CUT_OFF = 5 * LINGER;
  private static final Buffer REFUSAL = JsonRpcWriter.error(null, new RpcException(ErrorCode.TOO_MANY_CONNECTIONS,
    "the server accepts no more connections from you now"));

  private final SessionTransport transport;
  private final Runnable onClose;
  private final long openedAt;
  private boolean answered;

  RefusedConnection(SessionTransport transport, long now, Runnable onClose) {
    this.transport = transport;
    this.onClose = onClose;
    this.openedAt = now;
    transport.start(this);
  }

  /** Closes the connection once it has lingered long enough; called by the acceptor's sweep. */
  void sweep(long now) {
    if (now - openedAt > CUT_OFF) {
      transport.abort();
    } else if (now - openedAt > LINGER) {
      transport.end();
    }
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
      transport.end();
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
