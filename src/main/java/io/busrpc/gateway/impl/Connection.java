package io.busrpc.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One client connection of a session: its {@link SessionTransport}, the bounded {@link Outbox} of
 * what is on its way to the client, its {@link Deadlines} and whether it reads. It passes what the
 * transport reports to the {@link SessionCore} it belongs to. A session outlives its connection when
 * its client may resume it (DESIGN §11): the client comes back on a new connection, which the session
 * then takes over; what the old one reports after that is ignored.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class Connection implements SessionTransport.Receiver {

  private final SessionTransport transport;
  private final GatewayServices services;
  private final Outbox outbox;
  private final Deadlines deadlines;
  // The transport itself, not a relay of it: its open-connections gauge is counted here.
  private final boolean direct;
  private SessionCore owner;
  // Set when the session of this connection's client lives on: what the transport reports goes there.
  private SessionTransport.Receiver relay;
  private boolean firstFrame = true;
  private boolean paused;
  private boolean closed;

  /**
   * @param direct  false for a {@link RelayedTransport}, whose connection is counted where it is
   * @param paused  true when the transport was paused before (a resumed connection)
   */
  Connection(SessionTransport transport, GatewayServices services, SessionCore owner, boolean direct, boolean paused) {
    this.transport = transport;
    this.services = services;
    this.owner = owner;
    this.direct = direct;
    this.paused = paused;
    this.firstFrame = !paused;
    this.deadlines = new Deadlines(services.options, services.loginRequired(), System.nanoTime());
    this.outbox = new Outbox(transport, services.vertx.getOrCreateContext(), services.metrics,
      services.options.getMaxOutboundBytes(), this::overflowed, this::updateReading);
    if (direct) {
      services.metrics.transport(transport.name()).connections(1);
    }
  }

  SessionTransport transport() {
    return transport;
  }

  Deadlines deadlines() {
    return deadlines;
  }

  Outbox outbox() {
    return outbox;
  }

  boolean paused() {
    return paused;
  }

  boolean isClosed() {
    return closed;
  }

  /** From now on what the transport reports goes to {@code receiver} (a session on another connection took this one over). */
  void relayTo(SessionTransport.Receiver receiver) {
    this.relay = receiver;
    this.owner = null;
  }

  /** The session no longer uses this connection (its client resumed on another one). */
  void disown() {
    this.owner = null;
  }

  /** Queues a JSON text for the client; see {@link Outbox#send}. */
  void send(Buffer json, boolean moreComing) {
    if (!closed) {
      outbox.send(json, moreComing);
    }
  }

  /**
   * More is queued for the client than {@code maxOutboundBytes}: it does not read. Closed at once,
   * dropping what is queued; a graceful close would wait for those bytes to be read, which they
   * never are.
   */
  private void overflowed() {
    services.metrics.closed("outbound_full");
    if (owner != null) {
      owner.end().overflowed(this);
    }
    abort();
  }

  /** Closes the connection once everything sent so far is written. */
  void end() {
    outbox.flush();
    deadlines.ended(System.nanoTime());
    transport.end();
  }

  /** Closes the connection without flushing what is still queued for the client. */
  Future<Void> abort() {
    return transport.abort();
  }

  /**
   * Reads only while the session has room for calls and the transport for their answers. The
   * transport stops at once, in the middle of what it read if need be, so at most
   * {@code maxInFlight} calls are ever in flight.
   */
  void updateReading() {
    boolean shouldPause = !closed && (owner == null || owner.holdsReading() || transport.writeQueueFull());
    if (shouldPause == paused) {
      return;
    }
    paused = shouldPause;
    if (paused) {
      transport.pause();
    } else {
      transport.resume(); // may pause again, with frames that were held back
    }
  }

  @Override
  public void read(boolean partialFrame) {
    if (relay != null) {
      relay.read(partialFrame);
      return;
    }
    deadlines.read(System.nanoTime(), partialFrame);
  }

  @Override
  public void frame(Buffer json) {
    if (relay != null) {
      relay.frame(json);
      return;
    }
    deadlines.frame(System.nanoTime());
    boolean first = firstFrame;
    firstFrame = false;
    if (owner != null && owner.uses(this)) {
      owner.frame(this, json, first);
    }
  }

  @Override
  public void protocolError(Buffer answer) {
    if (relay != null) {
      relay.protocolError(answer);
    } else if (owner != null && owner.uses(this)) {
      owner.end().protocolError(answer);
    } else {
      end();
    }
  }

  @Override
  public void inputEnded() {
    if (relay != null) {
      relay.inputEnded();
    } else if (owner != null && owner.uses(this)) {
      owner.end().inputEnded();
    }
  }

  @Override
  public void writable() {
    if (relay != null) {
      relay.writable();
    } else {
      updateReading();
    }
  }

  @Override
  public void shuttingDown() {
    if (relay != null) {
      relay.shuttingDown();
    } else if (owner != null && owner.uses(this)) {
      owner.end().shuttingDown();
    }
  }

  @Override
  public void closed() {
    closed = true;
    outbox.close();
    if (direct) {
      services.metrics.transport(transport.name()).connections(-1);
    }
    if (relay != null) {
      relay.closed();
    } else if (owner != null) {
      owner.closed(this);
    }
  }
}
