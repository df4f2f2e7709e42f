package io.busrpc.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

import java.util.ArrayList;
import java.util.List;

/**
 * This node's handler instances per method name, in a local map shared by all verticles of the
 * Vert.x instance as {@code className#instances}; every change is one atomic {@code compute}, so
 * instances deployed at once cannot both take a name.
 */
final class LocalHandlers {

  private static final String LOCAL_MAP = "busrpc.handlers";

  private final LocalMap<String, String> owners;

  LocalHandlers(Vertx vertx) {
    this.owners = vertx.sharedData().getLocalMap(LOCAL_MAP);
  }

  /**
   * Counts one more instance of the class for each name; all or none.
   *
   * @return fails naming the method and both classes when another class serves one of them here
   */
  Future<Void> claim(String className, List<String> methods) {
    List<String> claimed = new ArrayList<>();
    for (String method : methods) {
      String[] conflict = new String[1];
      owners.compute(method, (name, entry) -> {
        if (entry == null) {
          return className + "#1";
        }
        String owner = classOf(entry);
        if (!owner.equals(className)) {
          conflict[0] = owner;
          return entry;
        }
        return className + "#" + (countOf(entry) + 1);
      });
      if (conflict[0] != null) {
        release(className, claimed);
        return Future.failedFuture(ServedBy.conflict(method, conflict[0], className));
      }
      claimed.add(method);
    }
    return Future.succeededFuture();
  }

  /**
   * Counts one instance of the class less for each name.
   *
   * @return the names that no instance of the class serves on this node any more
   */
  List<String> release(String className, List<String> methods) {
    List<String> unserved = new ArrayList<>();
    for (String method : methods) {
      owners.computeIfPresent(method, (name, entry) -> {
        if (!classOf(entry).equals(className)) {
          return entry;
        }
        int left = countOf(entry) - 1;
        if (left == 0) {
          unserved.add(method);
          return null;
        }
        return className + "#" + left;
      });
    }
    return unserved;
  }

  /** @return whether an instance on this node serves the method */
  boolean serves(String method) {
    return owners.containsKey(method);
  }

  /** @return the class whose instances serve the method on this node, or {@code null} */
  String owner(String method) {
    String entry = owners.get(method);
    return entry == null ? null : classOf(entry);
  }

  private static String classOf(String entry) {
    return entry.substring(0, entry.lastIndexOf('#'));
  }

  private static int countOf(String entry) {
    return Integer.parseInt(entry.substring(entry.lastIndexOf('#') + 1));
  }
}
