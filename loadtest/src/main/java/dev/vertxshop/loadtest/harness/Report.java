package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The side-by-side report: {@code report.md} (for the README and reviews), {@code report.html} (the
 * same tables with inline SVG charts, linking every Gatling report) and {@code summary.json} (the
 * figures for scripts). Written after every target, so an interrupted comparison still leaves one.
 */
final class Report {

  /** A table rendered as Markdown or HTML. */
  record Table(List<String> headers, List<List<String>> rows) {

    String markdown() {
      StringBuilder md = new StringBuilder();
      md.append("| ").append(String.join(" | ", headers)).append(" |\n");
      md.append("|").append("---|".repeat(headers.size())).append('\n');
      for (List<String> row : rows) {
        md.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|").replace("\n", " ")).toList())).append(" |\n");
      }
      return md.toString();
    }

    String html() {
      StringBuilder html = new StringBuilder("<table>\n<tr>");
      headers.forEach(h -> html.append("<th>").append(inline(h)).append("</th>"));
      html.append("</tr>\n");
      for (List<String> row : rows) {
        html.append("<tr>");
        row.forEach(c -> html.append("<td>").append(inline(c)).append("</td>"));
        html.append("</tr>\n");
      }
      return html.append("</table>\n").toString();
    }
  }

  private Report() {
  }

  static void write(Path out, Options options, Environment environment, List<TargetResult> results) {
    try {
      Files.writeString(out.resolve("report.md"), markdown(out, options, environment, results), StandardCharsets.UTF_8);
      Files.writeString(out.resolve("report.html"), html(out, options, environment, results), StandardCharsets.UTF_8);
      Files.writeString(out.resolve("summary.json"), json(options, environment, results), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      Log.info("cannot write the report in %s: %s", out, e);
    }
  }

  // ---------------------------------------------------------------- the comparison table

  static Table comparison(Options options, List<TargetResult> results) {
    List<String> headers = new ArrayList<>();
    headers.add("");
    results.forEach(r -> headers.add(r.name));
    List<List<String>> rows = new ArrayList<>();
    String rate = Svg.fmt(options.decimal("rate"));
    String sim = options.text("simulation");
    row(rows, results, "highest sustainable rate (" + sim + " arrivals/s; SLO p99 ≤ " + options.text("slo-p99") + " ms, errors ≤ "
        + options.text("slo-error") + " %)", r -> {
          if (r.sweep.isEmpty()) {
            return "not swept";
          }
          GatlingRunner.Result step = r.sustainableStep();
          return r.sustainableRate == null ? "below " + Svg.fmt(r.sweep.get(0).rate())
              : Svg.fmt(r.sustainableRate) + "/s (" + Svg.fmt(step.stats().all().perSecond()) + " req/s)"
                  + (r.sweepVerdict != null && r.sweepVerdict.startsWith("the SLO held") ? " or more" : "");
        });
    row(rows, results, "steady run at " + rate + "/s: requests/s", r -> steady(r, s -> Svg.fmt(s.all().perSecond())));
    row(rows, results, "p50 / p95 / p99 (ms)", r -> steady(r, s -> Svg.fmt(s.all().p50()) + " / " + Svg.fmt(s.all().p95()) + " / " + Svg.fmt(s.all().p99())));
    row(rows, results, "failed requests", r -> steady(r, s -> String.format(Locale.ROOT, "%.2f %% (%d of %d)", s.all().koPercent(), s.all().ko(), s.all().total())));
    row(rows, results, "orders placed (steady run)", r -> r.steady == null || r.steady.counts().isEmpty() ? "–" : orders(r.steady.counts()));
    row(rows, results, "CPU, all processes (avg, % of one core)", r -> Double.isNaN(r.steadyCpuTotal()) ? "–"
        : String.format(Locale.ROOT, "%.0f %%", r.steadyCpuTotal()));
    row(rows, results, "memory, all processes (PSS, peak under load)", r -> r.steadyMemoryTotal() == 0 ? "–" : mib(r.steadyMemoryTotal()));
    row(rows, results, "memory at rest (after start)", r -> r.idleMemoryTotal() == 0 ? "–" : mib(r.idleMemoryTotal()));
    row(rows, results, "processes / containers", r -> r.facts.getOrDefault("processes", "–"));
    row(rows, results, "time to ready", r -> r.readiness == null ? "–" : r.readiness.totalMillis() < 0 ? "not measured" : seconds(r.readiness.totalMillis()));
    row(rows, results, "kill one " + options.text("fault-service") + " under load: failed requests",
        r -> r.kill == null ? "–" : r.kill.impact == null ? "error" : r.kill.impact.failed() + " of " + r.kill.impact.total());
    row(rows, results, "kill: time until error-free", r -> r.kill == null || r.kill.impact == null ? "–"
        : r.kill.impact.recovered() ? seconds(r.kill.impact.recoveryMillis()) : "not within the run");
    row(rows, results, "rolling restart of " + options.text("fault-service") + ": failed requests",
        r -> r.roll == null ? "–" : r.roll.impact == null ? "error" : r.roll.impact.failed() + " of " + r.roll.impact.total());
    row(rows, results, "rolling restart: duration", r -> r.roll == null || r.roll.impact == null ? "–"
        : seconds(r.roll.actionEndMillis - r.roll.actionStartMillis) + (r.roll.roll != null && !r.roll.roll.ok() ? " (incomplete)" : ""));
    row(rows, results, "load generator CPU (Gatling, same machine)", r -> r.steady == null ? "–" : r.steady.usage().stream()
        .filter(s -> s.label().startsWith("load generator")).findFirst().map(s -> String.format(Locale.ROOT, "%.0f %%", s.avgCpuPercent())).orElse("–"));
    row(rows, results, "machine load average during the steady run", r -> r.steady == null ? "–"
        : String.format(Locale.ROOT, "%.1f (max %.1f)", r.steady.averageLoad(), r.steady.maxLoad()));
    return new Table(headers, rows);
  }

  private static void row(List<List<String>> rows, List<TargetResult> results, String label, Function<TargetResult, String> cell) {
    List<String> row = new ArrayList<>();
    row.add(label);
    for (TargetResult r : results) {
      if (r.skipped != null) {
        row.add(rows.isEmpty() ? "skipped: " + r.skipped : "–");
      } else {
        try {
          row.add(cell.apply(r));
        } catch (RuntimeException e) {
          row.add("–");
        }
      }
    }
    rows.add(row);
  }

  private static String steady(TargetResult r, Function<GatlingStats, String> value) {
    return r.steady == null || r.steady.stats() == null ? "–" : value.apply(r.steady.stats());
  }

  private static String orders(Map<String, Long> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(v + " " + k.replace("order ", "").toLowerCase(Locale.ROOT)));
    return String.join(", ", parts);
  }

  /** Memory per service: replicas summed (×N), one column per target. */
  static Table memory(List<TargetResult> results) {
    Map<String, Map<String, long[]>> byComponent = new LinkedHashMap<>();
    for (TargetResult r : results) {
      if (r.steady == null) {
        continue;
      }
      for (Sampler.Stat stat : r.steady.usage()) {
        String component = stat.label().replaceAll("[-_]\\d+$", "");
        long[] sum = byComponent.computeIfAbsent(component, k -> new LinkedHashMap<>()).computeIfAbsent(r.name, k -> new long[2]);
        sum[0] += stat.peakMemoryBytes();
        sum[1]++;
      }
    }
    List<String> headers = new ArrayList<>();
    headers.add("process (memory: PSS, peak under load)");
    results.forEach(r -> headers.add(r.name));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, long[]>> entry : byComponent.entrySet()) {
      List<String> row = new ArrayList<>();
      row.add(entry.getKey());
      for (TargetResult r : results) {
        long[] sum = entry.getValue().get(r.name);
        row.add(sum == null ? "" : mib(sum[0]) + (sum[1] > 1 ? " (×" + sum[1] + ")" : ""));
      }
      rows.add(row);
    }
    return new Table(headers, rows);
  }

  static Table usage(List<Sampler.Stat> stats, List<Sampler.Stat> idle) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, Sampler.Stat> atRest = new LinkedHashMap<>();
    idle.forEach(s -> atRest.put(s.label(), s));
    for (Sampler.Stat s : stats) {
      Sampler.Stat rest = atRest.get(s.label());
      rows.add(List.of(s.label(), Double.isNaN(s.avgCpuPercent()) ? "–" : String.format(Locale.ROOT, "%.1f %%", s.avgCpuPercent()),
          mib(s.peakMemoryBytes()), rest == null ? "–" : mib(rest.lastMemoryBytes())));
    }
    return new Table(List.of("process / container", "CPU (avg, % of a core)", "memory, peak under load", "memory at rest"), rows);
  }

  static Table sweep(TargetResult r, Options options) {
    List<List<String>> rows = new ArrayList<>();
    for (GatlingRunner.Result step : r.sweep) {
      if (step.stats() == null) {
        rows.add(List.of(Svg.fmt(step.rate()), "–", "–", "–", "–", "–", "run failed"));
        continue;
      }
      GatlingStats.Row all = step.stats().all();
      rows.add(List.of(Svg.fmt(step.rate()), Svg.fmt(all.perSecond()), Svg.fmt(all.p50()), Svg.fmt(all.p95()), Svg.fmt(all.p99()),
          String.format(Locale.ROOT, "%.2f %%", all.koPercent()),
          step.meets(options.integer("slo-p99"), options.decimal("slo-error")) ? "yes" : "**no**"));
    }
    return new Table(List.of("arrivals/s", "requests/s", "p50 ms", "p95 ms", "p99 ms", "failed", "SLO met"), rows);
  }

  static Table requests(GatlingStats stats) {
    List<List<String>> rows = new ArrayList<>();
    for (GatlingStats.Row row : stats.requests()) {
      rows.add(List.of(row.name(), String.valueOf(row.total()), String.format(Locale.ROOT, "%.2f %%", row.koPercent()),
          Svg.fmt(row.p50()), Svg.fmt(row.p95()), Svg.fmt(row.p99()), Svg.fmt(row.max())));
    }
    return new Table(List.of("request", "count", "failed", "p50 ms", "p95 ms", "p99 ms", "max ms"), rows);
  }

  // ---------------------------------------------------------------- Markdown

  static String markdown(Path out, Options options, Environment environment, List<TargetResult> results) {
    StringBuilder md = new StringBuilder();
    md.append("# Vert.x Shop: ways of running it, side by side\n\n");
    md.append("Simulation **").append(options.text("simulation")).append("** at the same arrival rates on every target; ")
        .append(environment.facts().get("date")).append(".\n\n");
    md.append(comparison(options, results).markdown()).append('\n');
    Table memory = memory(results);
    if (!memory.rows().isEmpty()) {
      md.append("## Memory per process\n\n").append(memory.markdown()).append('\n');
    }
    md.append("## Machine\n\n");
    environment.facts().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\nCommand: `loadtest/compare.sh");
    options.shown().forEach((k, v) -> {
      if (!k.equals("out")) {
        md.append(" --").append(k).append(" '").append(v).append('\'');
      }
    });
    md.append("`\n\n");
    md.append(NOISE).append('\n');
    for (TargetResult r : results) {
      md.append("## ").append(r.name).append("\n\n");
      if (r.skipped != null) {
        md.append("Skipped: ").append(r.skipped).append("\n\n");
        continue;
      }
      if (r.description != null) {
        md.append(r.description).append("\n\n");
      }
      if (r.error != null) {
        md.append("**Failed:** ").append(r.error.replace("\n", "\n> ")).append("\n\n");
      }
      if (r.readiness != null) {
        md.append("Time to ready: ").append(r.readiness.how()).append(".\n\n");
        r.readiness.parts().forEach((k, v) -> md.append("- ").append(k).append(": ").append(seconds(v)).append('\n'));
        md.append('\n');
      }
      r.facts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
      md.append('\n');
      if (r.steady != null && !r.steady.usage().isEmpty()) {
        md.append("### Steady run at ").append(Svg.fmt(r.steady.rate())).append("/s\n\n");
        md.append(usage(r.steady.usage(), r.idle).markdown()).append('\n');
        if (r.steady.stats() != null) {
          md.append(requests(r.steady.stats()).markdown()).append('\n');
        }
      }
      if (!r.sweep.isEmpty()) {
        md.append("### Capacity sweep\n\n").append(sweep(r, options).markdown()).append('\n').append(r.sweepVerdict).append(".\n\n");
      }
      fault(md, "Kill one instance under load", r.kill);
      fault(md, "Rolling restart under load", r.roll);
      md.append("### Gatling reports\n\n");
      for (GatlingRunner.Result run : runs(r)) {
        if (run.report() != null) {
          md.append("- ").append(run.phase()).append(": [").append(out.relativize(run.report().resolve("index.html")))
              .append("](").append(out.relativize(run.report().resolve("index.html"))).append(")\n");
        } else if (run.error() != null) {
          md.append("- ").append(run.phase()).append(": no report (").append(firstLine(run.error())).append(")\n");
        }
      }
      md.append('\n');
      r.notes.forEach(n -> md.append("- ").append(n).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  private static void fault(StringBuilder md, String title, TargetResult.Fault fault) {
    if (fault == null) {
      return;
    }
    md.append("### ").append(title).append("\n\n");
    if (fault.impact == null) {
      md.append("Did not run: ").append(fault.error).append("\n\n");
      return;
    }
    md.append(fault.what).append(".\n\n");
    if (fault.roll != null) {
      fault.roll.steps().forEach(step -> md.append("- ").append(step).append('\n'));
      md.append('\n');
    }
    TimelineData.Impact impact = fault.impact;
    md.append(String.format(Locale.ROOT, "- failed requests from the fault on: %d of %d%s%n", impact.failed(), impact.total(),
        fault.roll == null ? "" : " (" + impact.failedDuringAction() + " while the roll ran)"));
    md.append("- action took: ").append(seconds(fault.actionEndMillis - fault.actionStartMillis)).append('\n');
    md.append("- error-free again: ").append(impact.recovered() ? seconds(impact.recoveryMillis()) + " after the fault began" : "not within the run").append('\n');
    if (fault.restoreMillis != Long.MIN_VALUE) {
      md.append("- the killed instance restarted and ready: ").append(fault.restoreMillis < 0 ? "NOT within the wait" : seconds(fault.restoreMillis)).append('\n');
    }
    md.append('\n');
  }

  // ---------------------------------------------------------------- HTML

  static String html(Path out, Options options, Environment environment, List<TargetResult> results) {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vert.x Shop: ways of running it</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
        .append("th{background:#f4f4f4}code{background:#f4f4f4;padding:1px 3px}svg{display:block;margin:1em 0;max-width:100%;height:auto}")
        .append("h2{border-bottom:1px solid #ddd;padding-bottom:.2em}.note{color:#555;font-size:.9em}\n</style></head><body>\n");
    html.append("<h1>Vert.x Shop: ways of running it, side by side</h1>\n");
    html.append("<p>Simulation <b>").append(esc(options.text("simulation"))).append("</b> at the same arrival rates on every target; ")
        .append(esc(environment.facts().get("date"))).append(".</p>\n");
    html.append(comparison(options, results).html());
    charts(html, options, results);
    Table memory = memory(results);
    if (!memory.rows().isEmpty()) {
      html.append("<h2>Memory per process</h2>\n").append(memory.html());
    }
    html.append("<h2>Machine</h2>\n<ul>");
    environment.facts().forEach((k, v) -> html.append("<li>").append(esc(k)).append(": ").append(esc(v)).append("</li>"));
    html.append("</ul>\n<p class=\"note\">").append(inline(NOISE.replace("\n", " "))).append("</p>\n");
    for (TargetResult r : results) {
      html.append("<h2>").append(esc(r.name)).append("</h2>\n");
      if (r.skipped != null) {
        html.append("<p>Skipped: ").append(esc(r.skipped)).append("</p>\n");
        continue;
      }
      if (r.description != null) {
        html.append("<p>").append(inline(r.description)).append("</p>\n");
      }
      if (r.error != null) {
        html.append("<pre>").append(esc(r.error)).append("</pre>\n");
      }
      if (r.readiness != null) {
        html.append("<p>Time to ready: ").append(inline(r.readiness.how())).append("</p><ul>");
        r.readiness.parts().forEach((k, v) -> html.append("<li>").append(esc(k)).append(": ").append(seconds(v)).append("</li>"));
        html.append("</ul>\n");
      }
      if (r.steady != null && !r.steady.usage().isEmpty()) {
        html.append("<h3>Steady run at ").append(Svg.fmt(r.steady.rate())).append("/s</h3>\n").append(usage(r.steady.usage(), r.idle).html());
        if (r.steady.stats() != null) {
          html.append(requests(r.steady.stats()).html());
        }
      }
      if (!r.sweep.isEmpty()) {
        html.append("<h3>Capacity sweep</h3>\n").append(sweep(r, options).html()).append("<p>").append(esc(r.sweepVerdict)).append(".</p>\n");
      }
      faultHtml(html, r, "Kill one instance under load", r.kill, "kill");
      faultHtml(html, r, "Rolling restart under load", r.roll, "roll");
      html.append("<h3>Gatling reports</h3>\n<ul>");
      for (GatlingRunner.Result run : runs(r)) {
        if (run.report() != null) {
          String link = out.relativize(run.report().resolve("index.html")).toString();
          html.append("<li><a href=\"").append(esc(link)).append("\">").append(esc(run.phase())).append("</a></li>");
        }
      }
      html.append("</ul>\n");
      if (!r.notes.isEmpty()) {
        html.append("<ul class=\"note\">");
        r.notes.forEach(n -> html.append("<li>").append(inline(n)).append("</li>"));
        html.append("</ul>\n");
      }
    }
    return html.append("</body></html>\n").toString();
  }

  private static void charts(StringBuilder html, Options options, List<TargetResult> results) {
    List<TargetResult> measured = results.stream().filter(r -> r.skipped == null).toList();
    if (measured.isEmpty()) {
      return;
    }
    List<String> names = measured.stream().map(r -> r.name).toList();
    html.append(Svg.bars("Highest sustainable rate (arrivals/s within the SLO)", "arrivals/s", names,
        List.of(new Svg.Series("sustainable rate", measured.stream().mapToDouble(r -> r.sustainableRate == null ? 0 : r.sustainableRate).toArray())), false));
    html.append(Svg.bars("Latency of the steady run at " + options.text("rate") + "/s", "ms", names, List.of(
        new Svg.Series("p50", measured.stream().mapToDouble(r -> stat(r, s -> s.all().p50())).toArray()),
        new Svg.Series("p95", measured.stream().mapToDouble(r -> stat(r, s -> s.all().p95())).toArray()),
        new Svg.Series("p99", measured.stream().mapToDouble(r -> stat(r, s -> s.all().p99())).toArray())), false));
    // Memory: one stacked bar per target, one segment per component.
    Set<String> components = new LinkedHashSet<>();
    for (TargetResult r : measured) {
      if (r.steady != null) {
        r.steady.usage().stream().filter(s -> !s.label().startsWith("load generator")).forEach(s -> components.add(s.label().replaceAll("[-_]\\d+$", "")));
      }
    }
    List<Svg.Series> memory = new ArrayList<>();
    for (String component : components) {
      double[] values = new double[measured.size()];
      for (int i = 0; i < measured.size(); i++) {
        TargetResult r = measured.get(i);
        if (r.steady != null) {
          values[i] = r.steady.usage().stream().filter(s -> s.label().replaceAll("[-_]\\d+$", "").equals(component))
              .mapToLong(Sampler.Stat::peakMemoryBytes).sum() / 1048576.0;
        }
      }
      memory.add(new Svg.Series(component, values));
    }
    if (!memory.isEmpty()) {
      html.append(Svg.bars("Memory under load, by process (PSS, MiB)", "MiB", names, memory, true));
    }
    List<Svg.Line> sweeps = new ArrayList<>();
    for (TargetResult r : measured) {
      List<GatlingRunner.Result> steps = r.sweep.stream().filter(GatlingRunner.Result::ok).toList();
      if (!steps.isEmpty()) {
        sweeps.add(new Svg.Line(r.name, steps.stream().mapToDouble(GatlingRunner.Result::rate).toArray(),
            steps.stream().mapToDouble(s -> s.stats().all().p99()).toArray()));
      }
    }
    if (!sweeps.isEmpty()) {
      html.append(Svg.lines("Capacity sweep: p99 against the arrival rate", "arrivals/s", "p99 ms", sweeps, (double) options.integer("slo-p99")));
    }
  }

  private static void faultHtml(StringBuilder html, TargetResult r, String title, TargetResult.Fault fault, String kind) {
    if (fault == null) {
      return;
    }
    html.append("<h3>").append(esc(title)).append("</h3>\n");
    if (fault.impact == null) {
      html.append("<p>Did not run: ").append(esc(fault.error)).append("</p>\n");
      return;
    }
    html.append("<p>").append(inline(fault.what)).append("</p>\n");
    if (fault.roll != null) {
      html.append("<ul>");
      fault.roll.steps().forEach(s -> html.append("<li>").append(inline(s)).append("</li>"));
      html.append("</ul>\n");
    }
    TimelineData.Impact impact = fault.impact;
    html.append(String.format(Locale.ROOT, "<p>%d of %d requests failed from the fault on%s; error-free again %s.</p>%n",
        impact.failed(), impact.total(), fault.roll == null ? "" : " (" + impact.failedDuringAction() + " while the roll ran)",
        impact.recovered() ? seconds(impact.recoveryMillis()) + " after it began" : "not within the run"));
    List<TimelineData.Point> points = fault.run.timeline().points();
    if (!points.isEmpty()) {
      long first = points.get(0).second();
      List<Svg.Marker> markers = new ArrayList<>();
      markers.add(new Svg.Marker(fault.actionStartMillis / 1000.0 - first, kind.equals("kill") ? "kill" : "roll starts", "#e15759"));
      if (kind.equals("roll")) {
        markers.add(new Svg.Marker(fault.actionEndMillis / 1000.0 - first, "roll done", "#4e79a7"));
      }
      if (impact.recovered() && impact.lastFailureSecond() > 0) {
        markers.add(new Svg.Marker(impact.lastFailureSecond() + 1 - first, "error-free", "#59a14f"));
      }
      html.append(Svg.timeline(r.name + ": " + title.toLowerCase(Locale.ROOT), points, markers));
    }
  }

  // ---------------------------------------------------------------- JSON

  static String json(Options options, Environment environment, List<TargetResult> results) {
    Json json = new Json();
    json.open();
    json.field("options", options.shown());
    json.field("machine", environment.facts());
    json.key("targets").openArray();
    for (TargetResult r : results) {
      json.open();
      json.field("name", r.name);
      json.field("baseUrl", r.baseUrl);
      json.field("skipped", r.skipped);
      json.field("error", r.error);
      json.field("readyMillis", r.readiness == null ? null : r.readiness.totalMillis());
      if (r.readiness != null) {
        json.field("readiness", r.readiness.parts());
      }
      json.field("sustainableRate", r.sustainableRate);
      json.field("sweepVerdict", r.sweepVerdict);
      json.key("steady");
      run(json, r.steady);
      json.key("sweep").openArray();
      r.sweep.forEach(step -> run(json, step));
      json.closeArray();
      json.key("usage").openArray();
      if (r.steady != null) {
        for (Sampler.Stat s : r.steady.usage()) {
          json.open().field("label", s.label()).field("avgCpuPercent", Double.isNaN(s.avgCpuPercent()) ? null : s.avgCpuPercent())
              .field("peakMemoryBytes", s.peakMemoryBytes()).field("lastMemoryBytes", s.lastMemoryBytes()).close();
        }
      }
      json.closeArray();
      json.field("idleMemoryBytes", r.idleMemoryTotal());
      json.key("kill");
      fault(json, r.kill);
      json.key("rollingRestart");
      fault(json, r.roll);
      json.close();
    }
    json.closeArray();
    json.close();
    return json.toString();
  }

  private static void run(Json json, GatlingRunner.Result run) {
    if (run == null || run.stats() == null) {
      json.value(null);
      return;
    }
    GatlingStats.Row all = run.stats().all();
    json.open().field("phase", run.phase()).field("rate", run.rate()).field("requests", all.total()).field("failed", all.ko())
        .field("failedPercent", all.koPercent()).field("requestsPerSecond", all.perSecond()).field("p50", all.p50())
        .field("p95", all.p95()).field("p99", all.p99()).field("max", all.max()).field("loadAverage", run.averageLoad())
        .field("counts", run.counts()).field("report", run.report() == null ? null : run.report().toString()).close();
  }

  private static void fault(Json json, TargetResult.Fault fault) {
    if (fault == null || fault.impact == null) {
      json.value(null);
      return;
    }
    json.open().field("what", fault.what).field("actionMillis", fault.actionEndMillis - fault.actionStartMillis)
        .field("failed", fault.impact.failed()).field("total", fault.impact.total())
        .field("failedDuringAction", fault.impact.failedDuringAction())
        .field("recoveryMillis", fault.impact.recovered() ? fault.impact.recoveryMillis() : null)
        .field("restoreMillis", fault.restoreMillis == Long.MIN_VALUE ? null : fault.restoreMillis).close();
  }

  // ---------------------------------------------------------------- helpers

  private static List<GatlingRunner.Result> runs(TargetResult r) {
    List<GatlingRunner.Result> runs = new ArrayList<>();
    if (r.warmup != null) {
      runs.add(r.warmup);
    }
    if (r.steady != null) {
      runs.add(r.steady);
    }
    runs.addAll(r.sweep);
    if (r.kill != null && r.kill.run != null) {
      runs.add(r.kill.run);
    }
    if (r.roll != null && r.roll.run != null) {
      runs.add(r.roll.run);
    }
    return runs;
  }

  private static double stat(TargetResult r, Function<GatlingStats, Double> value) {
    return r.steady == null || r.steady.stats() == null ? 0 : value.apply(r.steady.stats());
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  private static String esc(String text) {
    return Svg.esc(text);
  }

  /** Escapes, then renders `code` spans and **bold** as the Markdown does. */
  static String inline(String text) {
    return esc(text).replaceAll("`([^`]+)`", "<code>$1</code>").replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
  }

  static final String NOISE = """
      How to read these figures: everything (the shop, its PostgreSQL and Kafka, and the Gatling load generator) \
      shares one small machine, so the load generator takes CPU from the shop, and the more processes a target has, \
      the more they compete for the same cores (context switches, JIT and GC threads of every JVM). Differences under \
      about 10 % between two runs of the same target are noise on a 2-core machine; compare orders of magnitude and the \
      shape of the sweep, and look at the machine's load average next to each figure (other work on the machine shows \
      there). Compose requests cross docker-proxy (the userland proxy of the published port) and the HAProxy edge \
      before a gateway: two extra hops the other targets do not have.
      """;
}
