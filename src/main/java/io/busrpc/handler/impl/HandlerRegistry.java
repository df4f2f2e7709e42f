package io.busrpc.handler.impl;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Which handler class serves which method name, so that two different classes cannot claim one
 * name, while several instances of the same class share it.
 *
 * <p>Entries map a method name to {@code className#instances}; every change is one atomic
 * {@code compute} on a Vert.x local map.
 */
public final class HandlerRegistry {

  private static final String MAP = "busrpc.handlers";

  private final LocalMap<String, String> owners;

  private HandlerRegistry(LocalMap<String, String> owners) {
    this.owners = owners;
  }

  /** @return the registry of this Vert.x instance */
  public static HandlerRegistry get(Vertx vertx) {
    return new HandlerRegistry(vertx.sharedData().getLocalMap(MAP));
  }

  /**
   * Claims method names for a handler class; all or none.
   *
   * @throws IllegalStateException naming the method and both classes when another class serves one
   */
  public void claim(String className, List<String> methods) {
    List<String> claimed = new ArrayList<>();
    for (String method : methods) {
      String[] conflict = new String[1];
      owners.compute(method, (name, entry) -> {
        if (entry == null) {
          return className + "#1";
        }
        String owner = owner(entry);
        if (!owner.equals(className)) {
          conflict[0] = owner;
          return entry;
        }
        return className + "#" + (count(entry) + 1);
      });
      if (conflict[0] != null) {
        release(className, claimed);
        throw new IllegalStateException("method '" + method + "' is already served by " + conflict[0]
          + ", so " + className + " cannot serve it too");
      }
      claimed.add(method);
    }
  }

  /** Gives back the names one instance of a class claimed. */
  public void release(String className, List<String> methods) {
    for (String method : methods) {
      owners.computeIfPresent(method, (name, entry) -> {
        if (!owner(entry).equals(className)) {
          return entry;
        }
        int left = count(entry) - 1;
        return left == 0 ? null : className + "#" + left;
      });
    }
  }

  /** @return true when an {@code RpcVerticle} serves the method (so it speaks the raw JSON contract) */
  public boolean isRpcMethod(String method) {
    return owners.containsKey(method);
  }

  private static String owner(String entry) {
    return entry.substring(0, entry.lastIndexOf('#'));
  }

  private static int count(String entry) {
    return Integer.parseInt(entry.substring(entry.lastIndexOf('#') + 1));
  }
}
