package io.busrpc.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What every mode of {@code bench} does around its own run: a Vert.x instance of its own, closed
 * afterwards; progress on standard output, or on standard error when the result goes out as JSON;
 * the result as JSON or as a summary; the HTML page; exit code 2 when the run fails.
 */
final class BenchRun {

  /** The run itself: returns its exit code (0, or 1 when the result shows problems). */
  interface Body {
    int run(Vertx vertx, PrintStream progress) throws Exception;
  }

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final Path html;

  /**
   * @param json true to print the result as JSON
   * @param html where to write the HTML page, or null
   */
  BenchRun(PrintStream out, PrintStream err, boolean json, Path html) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.html = html;
  }

  /**
   * Runs {@code body} on a Vert.x of its own with {@code eventLoops} event loops.
   *
   * @param mode named in the message of a run that fails, or null
   * @return the body's exit code; 2 when it threw
   */
  int run(int eventLoops, String mode, Body body) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      return body.run(vertx, json ? err : out);
    } catch (Exception e) {
      return refuse((mode == null ? "" : mode + " run failed: ") + e.getMessage());
    } finally {
      vertx.close().await();
    }
  }

  /** Prints the result: as JSON with {@code --json}, else the summary. */
  void print(JsonObject result, String summary) {
    out.print(json ? result.encodePrettily() + "\n" : summary);
  }

  /** Writes the HTML page, when {@code --html} asked for one. */
  void writeHtml(Supplier<String> page) throws IOException {
    if (html != null) {
      Files.writeString(html, page.get(), StandardCharsets.UTF_8);
      err.println("bench: wrote " + html);
    }
  }

  /** @return exit code 2, after saying why on standard error */
  int refuse(String why) {
    err.println("bench: " + why);
    return 2;
  }
}
