package io.busrpc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a local server process's memory for the soak report: heap in use right after a full
 * collection ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}) and the resident set size
 * (from {@code /proc/<pid>/status}). The forced collection is a short pause in the server once
 * per report line; it is what makes "heap after GC" comparable from one line to the next.
 */
final class ServerProbe {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final long pid;
  private final String jcmd;

  ServerProbe(long pid) {
    this.pid = pid;
    Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    this.jcmd = Files.isExecutable(beside) ? beside.toString() : "jcmd";
  }

  /** Memory of the server, or -1 for what could not be read. */
  record Memory(long heapAfterGcBytes, long rssBytes) {
  }

  /** Blocks for the time of the collection (tens of ms); call it off the event loops. */
  Memory read() {
    long heap = -1;
    try {
      if (run("GC.run") != null) {
        String info = run("GC.heap_info");
        Matcher m = info == null ? null : HEAP_USED.matcher(info);
        if (m != null && m.find()) {
          heap = Long.parseLong(m.group(1)) * 1024;
        }
      }
    } catch (IOException | InterruptedException e) {
      heap = -1;
    }
    return new Memory(heap, rss());
  }

  private long rss() {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private String run(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
