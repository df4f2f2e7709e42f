package io.busrpc.gateway.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Port 0 for the instances of one deployment: they must share one random port, not bind one each.
 * Vert.x binds a single socket for all servers of one Vert.x that listen on the same negative port
 * (its random port sharing), so each listener of each deployment gets a negative port of its own.
 * The TCP and the web listener need two: an HTTP server is a TCP server to Vert.x, and on one
 * negative port the two would share one socket.
 */
public final class SharedRandomPort {

  /** The TCP listener ({@code GatewayImpl}). */
  public static final String TCP = "tcp";
  /** The web listener ({@code WebListener}). */
  public static final String WEB = "web";

  /** Far from the small negative ports (-1, -2) an application would pick for its own servers. */
  private static final int FIRST = 1 << 24;
  private static final AtomicInteger NEXT = new AtomicInteger(FIRST);
  private static final Map<Key, Integer> PORTS = new ConcurrentHashMap<>();

  private record Key(String deploymentId, String listener) {
  }

  private SharedRandomPort() {
  }

  /** @return the negative port that every instance of the deployment binds for the listener's port 0 */
  public static int of(String deploymentId, String listener) {
    return -PORTS.computeIfAbsent(new Key(deploymentId, listener), key -> NEXT.getAndIncrement());
  }

  /** Forgets the deployment's ports once its instances are bound or stopped. */
  public static void release(String deploymentId) {
    PORTS.keySet().removeIf(key -> key.deploymentId().equals(deploymentId));
  }
}
