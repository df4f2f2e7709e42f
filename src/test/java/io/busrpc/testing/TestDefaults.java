package io.busrpc.testing;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What many test classes share, in one place: how long they wait for what should happen, and the
 * configuration files they read.
 */
public final class TestDefaults {

  /**
   * How long a test waits for an answer, an event or a condition, in ms: far more than anything
   * takes on a loaded two-core machine, short enough that a hang fails the test in good time.
   */
  public static final int WAIT_MS = 10_000;
  /** {@link #WAIT_MS} in seconds, for APIs that take a {@code TimeUnit}. */
  public static final int WAIT_SECONDS = WAIT_MS / 1_000;
  /** {@link #WAIT_MS} as a duration, for the JDK's HTTP client (whose requests wait forever by default). */
  public static final Duration WAIT = Duration.ofMillis(WAIT_MS);
  /** The demo node's configuration, which the README runs. */
  public static final Path DEMO_CONFIG = Path.of("conf/busrpc.json");
  /** The configuration benchmarks run with (the demo plus the load driver). */
  public static final Path BENCH_CONFIG = Path.of("conf/bench.json");
  /** The container image's configuration. */
  public static final Path DOCKER_CONFIG = Path.of("docker/busrpc.json");

  private TestDefaults() {
  }
}
