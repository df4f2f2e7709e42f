package io.busrpc.gateway.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Port 0 for the instances of one deployment: they must share one random port, not bind one each.
 * Vert.x binds a single socket for all servers of one Vert.x that listen on the same negative port
 * (its random port sharing), so each deployment gets a negative port of its own.
 */
public final class SharedRandomPort {

  /** Far from the small negative ports (-1, -2) an application would pick for its own servers. */
  private static final int FIRST = 1 << 24;
  private static final AtomicInteger NEXT = new AtomicInteger(FIRST);
  private static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();

  private SharedRandomPort() {
  }

  /** @return the negative port that every instance of the deployment binds for port 0 */
  public static int of(String deploymentId) {
    return -PORTS.computeIfAbsent(deploymentId, id -> NEXT.getAndIncrement());
  }

  /** Forgets the deployment once its instances are bound or stopped. */
  public static void release(String deploymentId) {
    PORTS.remove(deploymentId);
  }
}
