package io.busrpc.bench;

/**
 * The calls one load connection has in flight: sequence number → start time (ns), without boxing.
 *
 * <p>Not {@link io.busrpc.protocol.PendingCalls}: that table holds a promise per call for code that
 * waits for answers; this one only times them, allocating nothing per call, so that the load
 * generator measures the server and not itself.
 *
 * <p>Sequence numbers are handed out in increasing order from 1, so slot {@code seq & mask} is free
 * unless a call that many sequence numbers older is still pending; the table then doubles. Not
 * thread-safe: used on the connection's event loop only.
 */
final class StartTimes {

  /** Receives the start time of each call removed by {@link #expire}. */
  interface Expired {
    void expired(long seq, long startNanos);
  }

  private long[] seqs;
  private long[] starts;
  private int mask;
  private int size;

  StartTimes(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
    seqs = new long[capacity];
    starts = new long[capacity];
    mask = capacity - 1;
  }

  int size() {
    return size;
  }

  void put(long seq, long startNanos) {
    while (seqs[(int) (seq & mask)] != 0) {
      grow();
    }
    int slot = (int) (seq & mask);
    seqs[slot] = seq;
    starts[slot] = startNanos;
    size++;
  }

  /** @return the start time of the call, or -1 when it is not pending (unknown, or timed out) */
  long remove(long seq) {
    if (seq <= 0) {
      return -1;
    }
    int slot = (int) (seq & mask);
    if (seqs[slot] != seq) {
      return -1;
    }
    seqs[slot] = 0;
    size--;
    return starts[slot];
  }

  /** Removes every call started before {@code cutoffNanos} and reports it. */
  void expire(long cutoffNanos, Expired expired) {
    if (size == 0) {
      return;
    }
    for (int slot = 0; slot < seqs.length; slot++) {
      long seq = seqs[slot];
      if (seq != 0 && starts[slot] - cutoffNanos < 0) {
        seqs[slot] = 0;
        size--;
        expired.expired(seq, starts[slot]);
      }
    }
  }

  /** Removes every call and reports it. */
  void clear(Expired removed) {
    for (int slot = 0; slot < seqs.length && size > 0; slot++) {
      long seq = seqs[slot];
      if (seq != 0) {
        seqs[slot] = 0;
        size--;
        removed.expired(seq, starts[slot]);
      }
    }
  }

  private void grow() {
    long[] oldSeqs = seqs;
    long[] oldStarts = starts;
    int capacity = oldSeqs.length * 2;
    while (true) {
      long[] newSeqs = new long[capacity];
      long[] newStarts = new long[capacity];
      int newMask = capacity - 1;
      boolean collision = false;
      for (int i = 0; i < oldSeqs.length && !collision; i++) {
        long seq = oldSeqs[i];
        if (seq != 0) {
          int slot = (int) (seq & newMask);
          if (newSeqs[slot] != 0) {
            collision = true;
          } else {
            newSeqs[slot] = seq;
            newStarts[slot] = oldStarts[i];
          }
        }
      }
      if (!collision) {
        seqs = newSeqs;
        starts = newStarts;
        mask = newMask;
        return;
      }
      capacity *= 2;
    }
  }
}
