package io.busrpc.gateway.impl;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of one node whose clients may resume them, by connection id, shared by every gateway
 * instance of the Vert.x instance: a client that comes back may land on another instance (another
 * event loop) of the node than the one that holds its session.
 */
final class ResumableSessions implements Shareable {

  private final ConcurrentHashMap<String, SessionCore> sessions = new ConcurrentHashMap<>();

  /** @return the registry of this Vert.x instance */
  static ResumableSessions of(Vertx vertx) {
    LocalMap<String, ResumableSessions> map = vertx.sharedData().getLocalMap("busrpc.resumable-sessions");
    ResumableSessions created = new ResumableSessions();
    ResumableSessions existing = map.putIfAbsent("sessions", created);
    return existing == null ? created : existing;
  }

  void add(String connectionId, SessionCore session) {
    sessions.put(connectionId, session);
  }

  void remove(String connectionId, SessionCore session) {
    sessions.remove(connectionId, session);
  }

  /** @return the session of that connection id, or {@code null} */
  SessionCore get(String connectionId) {
    return sessions.get(connectionId);
  }

  /** @return how many sessions may be resumed now */
  int size() {
    return sessions.size();
  }
}
