package io.busrpc.bus;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * An entry of the cluster-wide map of handlers: the class that serves a method and the nodes whose
 * instances serve it, stored as {@code className|node,node...} with the nodes sorted.
 *
 * @param className the {@code RpcVerticle} class
 * @param nodes     the ids of the nodes that run it, sorted
 */
record ServedBy(String className, List<String> nodes) {

  /** Served by the class on one node only. */
  ServedBy(String className, String node) {
    this(className, List.of(node));
  }

  /** @return the entry stored as {@code className|node,node...} */
  static ServedBy parse(String entry) {
    int bar = entry.lastIndexOf('|');
    String list = entry.substring(bar + 1);
    List<String> nodes = list.isEmpty() ? List.of() : List.copyOf(new TreeSet<>(Arrays.asList(list.split(","))));
    return new ServedBy(entry.substring(0, bar), nodes);
  }

  /** @return the form stored in the map */
  String encode() {
    return className + "|" + String.join(",", nodes);
  }

  /** @return this entry with the node added */
  ServedBy with(String node) {
    TreeSet<String> more = new TreeSet<>(nodes);
    more.add(node);
    return new ServedBy(className, List.copyOf(more));
  }

  /** @return this entry without the node */
  ServedBy without(String node) {
    TreeSet<String> fewer = new TreeSet<>(nodes);
    fewer.remove(node);
    return new ServedBy(className, List.copyOf(fewer));
  }

  /** @return the failure of a class that claims a name another class serves */
  static IllegalStateException conflict(String method, String owner, String className) {
    return new IllegalStateException("method '" + method + "' is already served by " + owner
      + ", so " + className + " cannot serve it too");
  }
}
