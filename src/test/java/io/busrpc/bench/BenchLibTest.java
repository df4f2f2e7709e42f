package io.busrpc.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/lib.sh's table arithmetic, run by bash as the benchmark scripts run it: a run that failed
 * must show as "-" and stay out of the medians, not count as 0 calls/s.
 */
class BenchLibTest {

  private static String bash(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", "SCRIPT=test; source bench/lib.sh; " + script)
      .redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bash finished");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, process.exitValue(), out);
    return out;
  }

  @Test
  void aRunThatFailedIsADashAndStaysOutOfTheMedian() throws Exception {
    String out = bash("""
      echo '{"callsPerSecond": 500}' > "$OUT/ok.json"; : > "$OUT/empty.json"
      echo "$(num .callsPerSecond "$OUT/ok.json") $(num .callsPerSecond "$OUT/empty.json") $(num .callsPerSecond "$OUT/none.json")"
      printf '%s\\n' 500 "$(num .callsPerSecond "$OUT/empty.json")" 700 | median_spread %.0f
      ratio 500 "$(num .callsPerSecond "$OUT/empty.json")"
      """);
    assertEquals("500 - -\n600 (500-700)\n-", out);
  }
}
