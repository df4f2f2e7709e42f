package io.busrpc.client.impl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The client's half of a resumable session (PROTOCOL §8): the token, the counts of counted messages
 * sent and received, the copies of the sent ones the gateway has not acknowledged, and the timer
 * that acknowledges what was received. Touched on the client's context only.
 */
final class ResumeSession {

  /** How long the client waits before acknowledging: batches acks, well within the protocol's second. */
  static final long ACK_DELAY = 200;

  private record Copy(long seq, Buffer json) {
  }

  private final Vertx vertx;
  private final LongConsumer sendAck;
  private final Deque<Copy> copies = new ArrayDeque<>();
  private String token;
  private long windowNanos;
  /** When the connection that carried the session dropped (System.nanoTime()), 0 while one carries it. */
  private long droppedAt;
  private long sent;
  private long received;
  private long ackedReceived;
  private long ackTimer = -1;

  /** @param sendAck sends {@code rpc.ack} with the count given, if it can */
  ResumeSession(Vertx vertx, LongConsumer sendAck) {
    this.vertx = vertx;
    this.sendAck = sendAck;
  }

  /** @return whether a session can be resumed (a token is held) */
  boolean active() {
    return token != null;
  }

  String token() {
    return token;
  }

  long received() {
    return received;
  }

  /** Starts counting from zero: the login answer carried {@code token} and the gateway's window in ms. */
  void start(String token, long windowMillis) {
    end();
    this.token = token;
    this.windowNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(windowMillis);
  }

  /** The connection dropped; failed attempts to come back since then do not move the moment. */
  void dropped() {
    droppedAt = droppedAt == 0 ? System.nanoTime() : droppedAt;
  }

  /** @return whether the gateway has given the session up by now: away longer than its window */
  boolean expired() {
    return droppedAt != 0 && windowNanos > 0 && System.nanoTime() - droppedAt > windowNanos;
  }

  /** Forgets the session: nothing can be resumed anymore. */
  void end() {
    token = null;
    droppedAt = 0;
    sent = 0;
    received = 0;
    ackedReceived = 0;
    copies.clear();
    if (ackTimer != -1) {
      vertx.cancelTimer(ackTimer);
      ackTimer = -1;
    }
  }

  /** A resume succeeded: the gateway gave the next token. */
  void renew(String nextToken) {
    this.token = nextToken;
    droppedAt = 0;
  }

  /** Counts a message the client sends and keeps its copy until the gateway acknowledges it. */
  void sending(Buffer json) {
    copies.addLast(new Copy(++sent, json));
  }

  /** The gateway has {@code seq} of the client's messages: their copies go. */
  void acknowledged(long seq) {
    while (!copies.isEmpty() && copies.peekFirst().seq() <= seq) {
      copies.removeFirst();
    }
  }

  /** @return the copies after {@code seq}, in order: what the gateway lacks after a resume */
  List<Buffer> after(long seq) {
    acknowledged(seq);
    List<Buffer> resend = new ArrayList<>(copies.size());
    for (Copy copy : copies) {
      resend.add(copy.json());
    }
    return resend;
  }

  /** Counts a counted message from the gateway and makes sure an ack follows. */
  void receivedOne() {
    received++;
    ackSoon();
  }

  /** Acknowledges within {@link #ACK_DELAY} whatever is not acknowledged yet (also after a resume). */
  void ackSoon() {
    if (ackTimer == -1 && received > ackedReceived) {
      ackTimer = vertx.setTimer(ACK_DELAY, t -> {
        ackTimer = -1;
        ackedReceived = received;
        sendAck.accept(received);
      });
    }
  }
}
