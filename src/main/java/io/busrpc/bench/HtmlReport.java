package io.busrpc.bench;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * Renders a run as one self-contained HTML page: the parameters, the summary figures and an inline
 * SVG plot of latency by percentile (x on the usual HdrHistogram log scale of 1/(1-p)). No scripts,
 * no external resources.
 */
final class HtmlReport {

  private static final int W = 760;
  private static final int H = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;
  /** The x axis ends at 99.9999%: the max is drawn there. */
  private static final double X_MAX = 6;

  private HtmlReport() {
  }

  static String render(BenchResult r) {
    StringBuilder s = new StringBuilder(8192);
    s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>busrpc bench</title>\n")
      .append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
      .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}")
      .append("svg text{font-family:sans-serif;font-size:12px}</style></head><body>\n");
    s.append("<h1>busrpc bench</h1>\n<p>").append(esc(r.workload())).append("</p>\n");
    s.append("<h2>Result</h2>\n<table>\n");
    row(s, "throughput", String.format(Locale.ROOT, "%,.0f calls/s (%,d calls in %.2f s)", r.callsPerSecond(), r.calls(), r.seconds()));
    for (double p : new double[] {50, 90, 99, 99.9}) {
      row(s, "p" + trim(p), String.format(Locale.ROOT, "%.3f ms", r.percentileMs(p)));
    }
    row(s, "max", String.format(Locale.ROOT, "%.3f ms", r.percentileMs(100)));
    row(s, "error answers", Long.toString(r.errors()));
    row(s, "timeouts", Long.toString(r.timeouts()));
    row(s, "lost with closed connections", Long.toString(r.failures()));
    if (r.firstProblem() != null) {
      row(s, "first problem", r.firstProblem());
    }
    if (r.aborted() != null) {
      row(s, "aborted", r.aborted());
    }
    s.append("</table>\n<h2>Latency by percentile</h2>\n");
    svg(s, r);
    s.append("<h2>Parameters</h2>\n<table>\n");
    JsonObject options = r.options().toJson().put("threads", r.options().effectiveThreads());
    for (String name : options.fieldNames()) {
      String value = String.valueOf(options.getValue(name));
      row(s, name, value.length() > 200 ? value.substring(0, 200) + "..." : value);
    }
    s.append("</table>\n</body></html>\n");
    return s.toString();
  }

  private static void svg(StringBuilder s, BenchResult r) {
    double maxMs = Math.max(r.percentileMs(100), 0.001);
    double yMax = niceCeiling(maxMs);
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n", W, H, W, H));
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", LEFT, TOP, pw, ph));
    String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "max"};
    for (int k = 0; k <= X_MAX; k++) {
      double x = LEFT + pw * k / X_MAX;
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, TOP, x, TOP + ph));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + ph + 18, xLabels[k]));
    }
    for (int k = 0; k <= 5; k++) {
      double v = yMax * k / 5;
      double y = TOP + ph - ph * k / 5.0;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, y, LEFT + pw, y));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, trim(v)));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>", LEFT + pw / 2, H - 8));
    s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">latency (ms)</text>%n", TOP + ph / 2, TOP + ph / 2));
    StringBuilder points = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (double p : BenchResult.PERCENTILES) {
      double xv = p >= 100 ? X_MAX : Math.min(X_MAX, Math.log10(100 / (100 - p)));
      double x = LEFT + pw * xv / X_MAX;
      double ms = r.percentileMs(p);
      double y = TOP + ph - ph * Math.min(ms, yMax) / yMax;
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f6fb2\"><title>p%s: %.3f ms</title></circle>",
        x, y, trim(p), ms));
    }
    s.append("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"").append(points).append("\"/>\n");
    s.append(dots).append("\n</svg>\n");
  }

  private static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= v) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String trim(double v) {
    String t = String.format(Locale.ROOT, "%.3f", v);
    t = t.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }

  private static void row(StringBuilder s, String name, String value) {
    s.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
  }

  private static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
