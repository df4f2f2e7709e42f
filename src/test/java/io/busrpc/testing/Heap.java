package io.busrpc.testing;

import java.lang.management.ManagementFactory;

/** Used heap after full collections, for rough memory figures in tests. */
public final class Heap {

  private Heap() {
  }

  /** @return bytes of heap in use after a few {@code System.gc()} calls */
  public static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** @return the size in MiB, one decimal */
  public static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
