package dev.vertxshop.loadtest.harness;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the HTML report: no script, no CDN, readable offline and in a code
 * review. Bars (grouped or stacked), lines, and a per-second OK/KO timeline with markers.
 */
final class Svg {

  static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
      "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c"};
  private static final int WIDTH = 720;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 30;
  private static final int BOTTOM = 60;

  /** A named series of values, one per category. */
  record Series(String name, double[] values) {
  }

  /** A named series of (x, y) points. */
  record Line(String name, double[] xs, double[] ys) {
  }

  /** A vertical marker on a timeline (seconds from the start of the chart). */
  record Marker(double at, String label, String color) {
  }

  private Svg() {
  }

  /** Grouped (or stacked) vertical bars: one group per category, one bar per series. */
  static String bars(String title, String unit, List<String> categories, List<Series> series, boolean stacked) {
    int height = 300;
    double max = 0;
    for (int c = 0; c < categories.size(); c++) {
      double sum = 0;
      for (Series s : series) {
        double v = value(s.values(), c);
        sum += v;
        max = Math.max(max, v);
      }
      if (stacked) {
        max = Math.max(max, sum);
      }
    }
    max = nice(max);
    StringBuilder svg = open(title, height);
    axisY(svg, max, unit, height);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = height - TOP - BOTTOM;
    double group = plotWidth / (double) Math.max(1, categories.size());
    double barWidth = stacked ? group * 0.5 : group * 0.8 / Math.max(1, series.size());
    for (int c = 0; c < categories.size(); c++) {
      double x0 = LEFT + c * group + (stacked ? group * 0.25 : group * 0.1);
      double base = 0;
      for (int s = 0; s < series.size(); s++) {
        double v = value(series.get(s).values(), c);
        if (v <= 0 || max <= 0) {
          continue;
        }
        double h = v / max * plotHeight;
        double x = stacked ? x0 : x0 + s * barWidth;
        double y = TOP + plotHeight - h - (stacked ? base / max * plotHeight : 0);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s %s</title></rect>%n",
            x, y, barWidth - 2, h, PALETTE[s % PALETTE.length], esc(categories.get(c)), esc(series.get(s).name()), fmt(v), esc(unit)));
        if (!stacked && series.size() <= 4) {
          svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
              x + (barWidth - 2) / 2, y - 3, fmt(v)));
        }
        base += stacked ? v : 0;
      }
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
          LEFT + c * group + group / 2, height - BOTTOM + 16, esc(categories.get(c))));
    }
    legend(svg, series.stream().map(Series::name).toList(), height);
    return svg.append("</svg>\n").toString();
  }

  /**
   * One bar per category at the median of its rounds, with a whisker from the minimum to the maximum and
   * every round's value as a dot; "not measured" written where a category has no value.
   */
  static String ranges(String title, String unit, List<String> categories, List<Stats> stats) {
    int height = 300;
    double max = 0;
    for (Stats stat : stats) {
      if (stat.measured()) {
        max = Math.max(max, stat.max());
      }
    }
    max = nice(max);
    StringBuilder svg = open(title, height);
    axisY(svg, max, unit, height);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = height - TOP - BOTTOM;
    double group = plotWidth / (double) Math.max(1, categories.size());
    for (int c = 0; c < categories.size(); c++) {
      Stats stat = c < stats.size() ? stats.get(c) : Stats.of(List.of());
      double center = LEFT + c * group + group / 2;
      double barWidth = Math.min(80, group * 0.5);
      if (!stat.measured() || max <= 0) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#888\">not measured</text>%n",
            center, TOP + plotHeight - 6));
      } else {
        double median = stat.median();
        double h = median / max * plotHeight;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: median %s %s, "
                + "%s to %s over %d round(s)</title></rect>%n", center - barWidth / 2, TOP + plotHeight - h, barWidth, h, PALETTE[c % PALETTE.length],
            esc(categories.get(c)), fmt(median), esc(unit), fmt(stat.min()), fmt(stat.max()), stat.n()));
        double yMin = TOP + plotHeight - stat.min() / max * plotHeight;
        double yMax = TOP + plotHeight - stat.max() / max * plotHeight;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" stroke-width=\"1.5\"/>"
            + "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>%n",
            center, center, yMin, yMax, center - 8, center + 8, yMin, yMin, center - 8, center + 8, yMax, yMax));
        for (double value : stat.values()) {
          svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#222\"/>%n", center + barWidth / 2 + 8,
              TOP + plotHeight - value / max * plotHeight));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
            center, Math.min(yMax, TOP + plotHeight - h) - 4, fmt(median)));
      }
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
          center, height - BOTTOM + 16, esc(categories.get(c))));
    }
    return svg.append("</svg>\n").toString();
  }

  /** Lines over a numeric x axis (the sweep: p99 against the arrival rate). */
  static String lines(String title, String xUnit, String yUnit, List<Line> lines, Double threshold) {
    int height = 300;
    double maxX = 0;
    double maxY = threshold == null ? 0 : threshold;
    for (Line line : lines) {
      for (double x : line.xs()) {
        maxX = Math.max(maxX, x);
      }
      for (double y : line.ys()) {
        if (!Double.isNaN(y)) {
          maxY = Math.max(maxY, y);
        }
      }
    }
    maxX = nice(maxX);
    maxY = nice(maxY);
    StringBuilder svg = open(title, height);
    axisY(svg, maxY, yUnit, height);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = height - TOP - BOTTOM;
    for (int i = 0; i <= 5; i++) {
      double x = maxX * i / 5;
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
          LEFT + plotWidth * i / 5.0, height - BOTTOM + 16, fmt(x)));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
        LEFT + plotWidth / 2.0, height - BOTTOM + 32, esc(xUnit)));
    if (threshold != null && maxY > 0) {
      double y = TOP + plotHeight - threshold / maxY * plotHeight;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e15759\" stroke-dasharray=\"6 4\"/>"
          + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#e15759\" text-anchor=\"end\">SLO %s</text>%n",
          LEFT, WIDTH - RIGHT, y, y, WIDTH - RIGHT, y - 3, fmt(threshold)));
    }
    for (int l = 0; l < lines.size(); l++) {
      Line line = lines.get(l);
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < line.xs().length; i++) {
        if (Double.isNaN(line.ys()[i]) || maxX <= 0 || maxY <= 0) {
          continue;
        }
        double x = LEFT + line.xs()[i] / maxX * plotWidth;
        double y = TOP + plotHeight - Math.min(line.ys()[i], maxY) / maxY * plotHeight;
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %s %s → %s %s</title></circle>%n",
            x, y, PALETTE[l % PALETTE.length], esc(line.name()), fmt(line.xs()[i]), esc(xUnit), fmt(line.ys()[i]), esc(yUnit)));
      }
      svg.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, PALETTE[l % PALETTE.length]));
    }
    legend(svg, lines.stream().map(Line::name).toList(), height);
    return svg.append("</svg>\n").toString();
  }

  /** Requests per second, OK stacked under KO, with markers (the kill, the end of a roll). */
  static String timeline(String title, List<TimelineData.Point> points, List<Marker> markers) {
    int height = 220;
    StringBuilder svg = open(title, height);
    if (points.isEmpty()) {
      svg.append("<text x=\"70\" y=\"100\" font-size=\"12\">no data</text>");
      return svg.append("</svg>\n").toString();
    }
    long first = points.get(0).second();
    long last = points.get(points.size() - 1).second();
    double max = nice(points.stream().mapToDouble(p -> p.ok() + p.ko()).max().orElse(1));
    axisY(svg, max, "requests/s", height);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = height - TOP - BOTTOM;
    double step = plotWidth / (double) Math.max(1, last - first + 1);
    for (TimelineData.Point point : points) {
      double x = LEFT + (point.second() - first) * step;
      double okHeight = point.ok() / max * plotHeight;
      double koHeight = point.ko() / max * plotHeight;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#59a14f\"/>",
          x, TOP + plotHeight - okHeight, Math.max(0.5, step - 0.3), okHeight));
      if (point.ko() > 0) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e15759\"><title>+%d s: %d failed, %d ok</title></rect>",
            x, TOP + plotHeight - okHeight - koHeight, Math.max(0.5, step - 0.3), koHeight, point.second() - first, point.ko(), point.ok()));
      }
      svg.append('\n');
    }
    for (Marker marker : markers) {
      double x = LEFT + marker.at() * step;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"4 3\"/>"
          + "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s</text>%n",
          x, x, TOP, TOP + plotHeight, marker.color(), x + 2, TOP + 10, marker.color(), esc(marker.label())));
    }
    for (int i = 0; i <= 4; i++) {
      long s = (last - first) * i / 4;
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d s</text>%n",
          LEFT + s * step, height - BOTTOM + 16, s));
    }
    legend(svg, List.of("ok", "failed"), height, new String[] {"#59a14f", "#e15759"});
    return svg.append("</svg>\n").toString();
  }

  private static StringBuilder open(String title, int height) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
        + "aria-label=\"%s\" font-family=\"system-ui, sans-serif\">%n", WIDTH, height, WIDTH, height, esc(title)));
    svg.append(String.format("<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"600\">%s</text>%n", LEFT, esc(title)));
    return svg;
  }

  private static void axisY(StringBuilder svg, double max, String unit, int height) {
    int plotHeight = height - TOP - BOTTOM;
    for (int i = 0; i <= 4; i++) {
      double y = TOP + plotHeight - plotHeight * i / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
          LEFT, WIDTH - RIGHT, y, y, LEFT - 6, y + 4, fmt(max * i / 4)));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" font-size=\"11\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">%s</text>%n",
        TOP + plotHeight / 2.0, TOP + plotHeight / 2.0, esc(unit)));
  }

  private static void legend(StringBuilder svg, List<String> names, int height) {
    String[] colors = new String[names.size()];
    for (int i = 0; i < colors.length; i++) {
      colors[i] = PALETTE[i % PALETTE.length];
    }
    legend(svg, names, height, colors);
  }

  private static void legend(StringBuilder svg, List<String> names, int height, String[] colors) {
    double x = LEFT;
    double y = height - 18;
    for (int i = 0; i < names.size(); i++) {
      if (x > WIDTH - 140) {
        x = LEFT;
        y += 14;
      }
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>%n", x, y - 9, colors[i], x + 14, y, esc(names.get(i))));
      x += 24 + names.get(i).length() * 6.5;
    }
  }

  /** 1, 2, 2.5, 5 times a power of ten, at least {@code value}. */
  static double nice(double value) {
    if (value <= 0 || Double.isNaN(value)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= value) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static double value(double[] values, int index) {
    return index < values.length && !Double.isNaN(values[index]) ? values[index] : 0;
  }

  static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    if (Math.abs(value - Math.rint(value)) < 1e-9 && Math.abs(value) < 1e9) {
      return String.valueOf((long) Math.rint(value));
    }
    return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }

  static String esc(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
