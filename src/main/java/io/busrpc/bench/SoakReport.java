package io.busrpc.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders a soak run as one self-contained HTML page: the summary, a plot of the server's heap
 * after GC and one of p99 latency over time (inline SVG, no scripts), and the report lines.
 */
final class SoakReport {

  private static final int W = 760;
  private static final int H = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 45;

  private SoakReport() {
  }

  static String render(SoakResult r) {
    StringBuilder s = new StringBuilder(16384);
    s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>busrpc soak</title>\n")
      .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:12px}")
      .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}")
      .append("pre{background:#f7f7f7;padding:1em}svg text{font-family:sans-serif;font-size:12px}</style></head><body>\n");
    s.append("<h1>busrpc soak</h1>\n<pre>").append(esc(r.summary())).append("</pre>\n");
    List<SoakLine> lines = r.lines();
    s.append("<h2>Server heap after GC (MiB)</h2>\n");
    plot(s, lines, l -> l.heapAfterGcBytes() < 0 ? Double.NaN : l.heapAfterGcBytes() / (1024.0 * 1024.0), "#2a7d2a");
    s.append("<h2>p99 latency per interval (ms)</h2>\n");
    plot(s, lines, SoakLine::p99Ms, "#1f6fb2");
    s.append("<h2>Report lines</h2>\n<table>\n<tr><th>s</th><th>expected</th><th>received</th><th>lost</th><th>duplicated</th>")
      .append("<th>errors</th><th>calls/s</th><th>p50 ms</th><th>p99 ms</th><th>server-&gt;client</th><th>room msgs</th>")
      .append("<th>logins</th><th>reconnects</th><th>heap after GC</th><th>RSS</th></tr>\n");
    for (SoakLine l : lines) {
      s.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%.0f</td>"
          + "<td>%.2f</td><td>%.2f</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>%n",
        l.second(), l.sent(), l.answered(), l.lost(), l.duplicated(), esc(l.errors().toString()), l.callsPerSecond(),
        l.p50Ms(), l.p99Ms(), l.serverCalls(), l.roomMessages(), l.logins(), l.reconnects(), SoakLine.mib(l.heapAfterGcBytes()),
        SoakLine.mib(l.rssBytes())));
    }
    s.append("</table>\n<h2>Parameters</h2>\n<pre>").append(esc(r.options().toJson().encodePrettily())).append("</pre>\n</body></html>\n");
    return s.toString();
  }

  private static void plot(StringBuilder s, List<SoakLine> lines, ToDoubleFunction<SoakLine> value, String colour) {
    double max = lines.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(0);
    if (max <= 0) {
      s.append("<p>not measured</p>\n");
      return;
    }
    double yMax = max * 1.1;
    long xMax = Math.max(1, lines.get(lines.size() - 1).second());
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n", W, H, W, H));
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", LEFT, TOP, pw, ph));
    for (int k = 0; k <= 5; k++) {
      double y = TOP + ph - ph * k / 5.0;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, y, LEFT + pw, y));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", LEFT - 6, y + 4, yMax * k / 5));
      double x = LEFT + pw * k / 5.0;
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n", x, TOP + ph + 18, xMax * k / 5));
    }
    StringBuilder points = new StringBuilder();
    for (SoakLine l : lines) {
      double v = value.applyAsDouble(l);
      if (!Double.isNaN(v)) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + pw * (double) l.second() / xMax, TOP + ph - ph * v / yMax));
      }
    }
    s.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"").append(points).append("\"/>\n</svg>\n");
  }

  private static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
