package io.busrpc.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every bench mode shares around its run: where progress and the result go, the page, the exit codes. */
class BenchRunTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private BenchRun run(boolean json, Path html) {
    return new BenchRun(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), json, html);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withJsonTheResultIsJsonOnStandardOutputAndProgressGoesToStandardError() {
    BenchRun run = run(true, null);
    int code = run.run(1, "test", (vertx, progress) -> {
      progress.println("progress line");
      run.print(new JsonObject().put("calls", 3), "3 calls\n");
      return 1;
    });
    assertEquals(1, code, "the body's exit code");
    assertEquals(new JsonObject().put("calls", 3), new JsonObject(out()));
    assertEquals("progress line\n", err());
  }

  @Test
  void withoutJsonTheSummaryAndProgressGoToStandardOutputAndThePageIsWritten(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("report.html");
    BenchRun run = run(false, page);
    int code = run.run(1, "test", (vertx, progress) -> {
      progress.println("progress line");
      run.print(new JsonObject().put("calls", 3), "3 calls\n");
      run.writeHtml(() -> "<html></html>");
      return 0;
    });
    assertEquals(0, code);
    assertEquals("progress line\n3 calls\n", out());
    assertEquals("<html></html>", Files.readString(page));
    assertEquals("bench: wrote " + page + "\n", err());
  }

  @Test
  void aRunThatThrowsExitsTwoNamingItsModeAndRendersNoPageNobodyAskedFor() throws Exception {
    BenchRun run = run(false, null);
    int code = run.run(1, "soak", (vertx, progress) -> {
      run.writeHtml(() -> {
        throw new AssertionError("rendered without --html");
      });
      throw new IllegalStateException("the server went away");
    });
    assertEquals(2, code);
    assertEquals("bench: soak run failed: the server went away\n", err());
    assertFalse(out().contains("failed"));
    assertEquals(2, run.refuse("--rate must be positive"));
    assertTrue(err().endsWith("bench: --rate must be positive\n"), err());
  }
}
