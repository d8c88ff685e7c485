package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * The side-by-side report: {@code report.md} (for the README and reviews), {@code report.html} (the
 * same tables with inline SVG charts, linking every Gatling report; no script, no remote resource) and
 * {@code summary.json} (the figures for scripts). Every figure is the median of the rounds that measured
 * it with their range, {@code median (min–max)}; a figure a target cannot give reads "not measured" or
 * "not applicable", never a blank. Written after every round, so an interrupted comparison still leaves one.
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

  static final String NOT_MEASURED = "not measured";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

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

  /** The rounds of each target, targets in the order of --targets. */
  static Map<String, List<TargetResult>> byTarget(List<TargetResult> results) {
    Map<String, List<TargetResult>> groups = new LinkedHashMap<>();
    for (TargetResult r : results) {
      groups.computeIfAbsent(r.name, k -> new ArrayList<>()).add(r);
    }
    return groups;
  }

  // ---------------------------------------------------------------- cells

  /** One figure of one target over its rounds: "median (min–max)"; "skipped: ..." or "not measured" when no round has it. */
  static String cell(List<TargetResult> rounds, Function<TargetResult, Double> figure, DoubleFunction<String> format) {
    List<TargetResult> measured = rounds.stream().filter(r -> r.skipped == null).toList();
    if (measured.isEmpty()) {
      return "skipped: " + rounds.get(0).skipped;
    }
    List<Double> values = new ArrayList<>();
    for (TargetResult r : rounds) {
      Double value = null;
      if (r.skipped == null) {
        try {
          value = figure.apply(r);
        } catch (RuntimeException e) {
          value = null;
        }
      }
      values.add(value);
    }
    return Stats.of(values).format(format);
  }

  static Stats stats(List<TargetResult> rounds, Function<TargetResult, Double> figure) {
    List<Double> values = new ArrayList<>();
    for (TargetResult r : rounds) {
      Double value = null;
      if (r.skipped == null) {
        try {
          value = figure.apply(r);
        } catch (RuntimeException e) {
          value = null;
        }
      }
      values.add(value);
    }
    return Stats.of(values);
  }

  private static Double nan(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static Double steady(TargetResult r, Function<GatlingStats, Double> value) {
    return r.steady == null || r.steady.stats() == null ? null : value.apply(r.steady.stats());
  }

  static String ms(double millis) {
    return Svg.fmt(millis) + " ms";
  }

  static String sec(double millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  static String mib(long bytes) {
    return mib((double) bytes);
  }

  static String pct(double value) {
    return String.format(Locale.ROOT, "%.0f %%", value);
  }

  static String seconds(long millis) {
    return sec(millis);
  }

  // ---------------------------------------------------------------- the side-by-side table

  static Table comparison(Options options, List<TargetResult> results) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    List<String> headers = new ArrayList<>();
    headers.add("");
    headers.addAll(groups.keySet());
    List<List<String>> rows = new ArrayList<>();
    String rate = Svg.fmt(options.decimal("rate"));
    String sim = options.text("simulation");
    row(rows, groups, "rounds measured", rounds -> rounds.stream().filter(r -> r.skipped == null && r.error == null).count() + " of "
        + rounds.size() + (rounds.stream().anyMatch(r -> r.error != null) ? " (" + rounds.stream().filter(r -> r.error != null).count()
        + " failed)" : ""));
    row(rows, groups, "highest sustainable rate (" + sim + " arrivals/s; SLO p99 ≤ " + options.text("slo-p99") + " ms, errors ≤ "
        + options.text("slo-error") + " %)", rounds -> {
          if (rounds.stream().allMatch(r -> r.sweep.isEmpty() && r.skipped == null)) {
            return "not swept";
          }
          String text = cell(rounds, r -> r.sweep.isEmpty() ? null : r.sustainableRate == null ? 0.0 : r.sustainableRate, v -> Svg.fmt(v) + "/s");
          boolean more = rounds.stream().anyMatch(r -> r.sweepVerdict != null && r.sweepVerdict.startsWith("the SLO held"));
          Stats spread = stats(rounds, r -> r.sustainableRate);
          String spreadText = Double.isNaN(spread.spreadPercent()) ? "" : String.format(Locale.ROOT, ", spread %.0f %% of the median", spread.spreadPercent());
          return text + spreadText + (more ? " (held at the highest rate tried in some round: or more)" : "");
        });
    row(rows, groups, "requests/s at the sustainable rate", rounds -> cell(rounds, r -> {
      GatlingRunner.Result step = r.sustainableStep();
      return step == null || step.stats() == null ? null : step.stats().all().perSecond();
    }, Svg::fmt));
    row(rows, groups, "steady run at " + rate + "/s: requests/s", rounds -> cell(rounds, r -> steady(r, s -> s.all().perSecond()), Svg::fmt));
    row(rows, groups, "steady run p50", rounds -> cell(rounds, r -> steady(r, s -> s.all().p50()), Report::ms));
    row(rows, groups, "steady run p95", rounds -> cell(rounds, r -> steady(r, s -> s.all().p95()), Report::ms));
    row(rows, groups, "steady run p99", rounds -> cell(rounds, r -> steady(r, s -> s.all().p99()), Report::ms));
    row(rows, groups, "steady run failed requests", rounds -> cell(rounds, r -> steady(r, s -> s.all().koPercent()),
        v -> String.format(Locale.ROOT, "%.2f %%", v)));
    row(rows, groups, "steady run failed requests by status (all rounds)", Report::errorsByStatus);
    row(rows, groups, "CPU of every replica (their /metrics; avg % of one core, steady run)",
        rounds -> cell(rounds, r -> nan(r.metricsCpuTotal()), Report::pct));
    row(rows, groups, "JVM memory of every replica (their /metrics: heap + non-heap committed + direct buffers; peak, steady run)",
        rounds -> cell(rounds, r -> nan(r.metricsJvmTotal()), Report::mib));
    row(rows, groups, "JVM memory at rest (their /metrics, after the start)", rounds -> cell(rounds, r -> nan(r.metricsIdleJvmTotal()), Report::mib));
    row(rows, groups, "host view: CPU of every process (avg % of one core, steady run)", rounds -> cell(rounds,
        r -> nan(r.steadyCpuTotal()), Report::pct));
    row(rows, groups, "host view: memory of every process (PSS or docker stats; peak, steady run)", rounds -> cell(rounds,
        r -> r.steadyMemoryTotal() == 0 ? null : (double) r.steadyMemoryTotal(), Report::mib));
    row(rows, groups, "processes / containers / pods", rounds -> rounds.stream().map(r -> r.facts.get("processes")).filter(p -> p != null)
        .findFirst().orElse(NOT_MEASURED));
    row(rows, groups, "time from the apply/launch to the first 200 through the entry point", rounds -> cell(rounds,
        r -> r.readiness == null || r.readiness.entryMillis() < 0 ? null : (double) r.readiness.entryMillis(), Report::sec));
    row(rows, groups, "time until every replica's /health/ready is 200", rounds -> cell(rounds,
        r -> r.readiness == null || r.readiness.allReadyMillis() < 0 ? null : (double) r.readiness.allReadyMillis(), Report::sec));
    row(rows, groups, "load generator CPU (Gatling, this machine; steady run)", rounds -> cell(rounds, r -> r.steady == null ? null
        : r.steady.usage().stream().filter(s -> s.label().startsWith("load generator")).findFirst().map(s -> nan(s.avgCpuPercent())).orElse(null),
        Report::pct));
    row(rows, groups, "machine load average during the steady run", rounds -> cell(rounds,
        r -> r.steady == null || r.steady.averageLoad() < 0 ? null : r.steady.averageLoad(), v -> String.format(Locale.ROOT, "%.1f", v)));
    return new Table(headers, rows);
  }

  private static void row(List<List<String>> rows, Map<String, List<TargetResult>> groups, String label,
      Function<List<TargetResult>, String> cell) {
    List<String> row = new ArrayList<>();
    row.add(label);
    for (List<TargetResult> rounds : groups.values()) {
      String text;
      try {
        text = cell.apply(rounds);
      } catch (RuntimeException e) {
        text = NOT_MEASURED;
      }
      row.add(text == null || text.isBlank() ? NOT_MEASURED : text);
    }
    rows.add(row);
  }

  /** "503: 12 (3–20), none: 4 (0–9)" over the rounds' steady runs; "none failed" when no round had a failure. */
  static String errorsByStatus(List<TargetResult> rounds) {
    List<TargetResult> measured = rounds.stream().filter(r -> r.steady != null && r.steady.stats() != null).toList();
    if (measured.isEmpty()) {
      return NOT_MEASURED;
    }
    Set<String> statuses = new java.util.TreeSet<>();
    measured.forEach(r -> statuses.addAll(r.steady.errors().keySet()));
    if (statuses.isEmpty()) {
      boolean anyFailed = measured.stream().anyMatch(r -> r.steady.stats().all().ko() > 0);
      return anyFailed ? "not measured (the simulation wrote no status counts)" : "none failed";
    }
    List<String> parts = new ArrayList<>();
    for (String status : statuses) {
      List<Double> values = measured.stream().map(r -> (double) r.steady.errors().getOrDefault(status, 0L)).toList();
      parts.add((status.equals("none") ? "no response" : status) + ": " + Stats.of(values).format(Svg::fmt));
    }
    return String.join(", ", parts);
  }

  // ---------------------------------------------------------------- faults

  /** Every fault on every service: failed requests, time until error-free, and who did what when. */
  static Table faults(Options options, List<TargetResult> results) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    List<String> headers = new ArrayList<>();
    headers.add("fault (under load at " + Svg.fmt(options.decimal("rate")) + "/s)");
    headers.addAll(groups.keySet());
    List<List<String>> rows = new ArrayList<>();
    for (Fault fault : Fault.parse(options.list("faults"))) {
      for (String service : options.list("fault-services")) {
        String name = fault.title + ", " + service;
        faultRow(rows, groups, fault, service, name + ": failed requests", f -> f.impact == null ? null : (double) f.impact.failed(), Svg::fmt);
        faultRow(rows, groups, fault, service, name + ": time until error-free", f -> f.impact == null || !f.impact.recovered() ? null
            : (double) f.impact.recoveryMillis(), Report::sec);
        faultRow(rows, groups, fault, service, name + ": orchestrator's first visible reaction", f -> f.orchestratorReactionMillis() < 0 ? null
            : (double) f.orchestratorReactionMillis(), Report::sec);
        faultRow(rows, groups, fault, service, name + ": orchestrator's part done (replica back and ready, roll or drain complete)",
            f -> f.finishedAfterMillis() < 0 ? null : (double) f.finishedAfterMillis(), Report::sec);
        faultRow(rows, groups, fault, service, name + ": shop: a surviving replica set the peer aside", f -> f.shopAsideMillis() < 0 ? null
            : (double) f.shopAsideMillis(), Report::sec);
        faultRow(rows, groups, fault, service, name + ": shop: Hazelcast noticed (member list or connection dropped, logs)", f -> f.memberListMillis() < 0 ? null
            : (double) f.memberListMillis(), Report::sec);
        faultRow(rows, groups, fault, service, name + ": shop: requests re-sent to another replica", f -> f.cluster == null ? null
            : f.cluster.resent(), Svg::fmt);
      }
    }
    return new Table(headers, rows);
  }

  private static void faultRow(List<List<String>> rows, Map<String, List<TargetResult>> groups, Fault fault, String service, String label,
      Function<TargetResult.FaultRun, Double> figure, DoubleFunction<String> format) {
    row(rows, groups, label, rounds -> {
      List<TargetResult> measured = rounds.stream().filter(r -> r.skipped == null).toList();
      if (measured.isEmpty()) {
        return "skipped";
      }
      List<TargetResult.FaultRun> runs = measured.stream().map(r -> r.fault(fault, service)).filter(f -> f != null).toList();
      if (runs.isEmpty()) {
        return NOT_MEASURED;
      }
      if (runs.stream().allMatch(f -> f.notApplicable != null)) {
        return "not applicable: " + runs.get(0).notApplicable;
      }
      List<Double> values = new ArrayList<>();
      for (TargetResult r : rounds) {
        TargetResult.FaultRun f = r.fault(fault, service);
        values.add(f == null || f.notApplicable != null || f.impact == null ? null : figure.apply(f));
      }
      return Stats.of(values).format(format);
    });
  }

  // ---------------------------------------------------------------- rounds, limits, services

  /** One line per round in the order run: when, the machine's load, and the headline figures. */
  static Table rounds(List<TargetResult> results) {
    List<List<String>> rows = new ArrayList<>();
    for (TargetResult r : results) {
      rows.add(List.of(String.valueOf(r.round), r.name, CLOCK.format(Instant.ofEpochMilli(r.startMillis)) + "–"
              + (r.endMillis == 0 ? "?" : CLOCK.format(Instant.ofEpochMilli(r.endMillis))),
          load(r.loadAtStart), r.steady == null || r.steady.averageLoad() < 0 ? NOT_MEASURED
              : String.format(Locale.ROOT, "%.1f (max %.1f)", r.steady.averageLoad(), r.steady.maxLoad()), load(r.loadAtEnd),
          r.skipped != null ? "skipped" : r.sustainableRate == null ? (r.sweep.isEmpty() ? NOT_MEASURED : "below " + Svg.fmt(r.sweep.get(0).rate()))
              : Svg.fmt(r.sustainableRate) + "/s",
          r.steady == null || r.steady.stats() == null ? NOT_MEASURED : ms(r.steady.stats().all().p99()),
          r.readiness == null || r.readiness.entryMillis() < 0 ? NOT_MEASURED : seconds(r.readiness.entryMillis()),
          r.error != null ? "failed: " + firstLine(r.error) : r.skipped != null ? "skipped: " + r.skipped : "ok"));
    }
    return new Table(List.of("round", "target", "time", "load average at start", "load average, steady run", "load average at end",
        "sustainable rate", "steady p99", "entry point 200 after", "outcome"), rows);
  }

  private static String load(double value) {
    return value < 0 ? NOT_MEASURED : String.format(Locale.ROOT, "%.2f", value);
  }

  /** What each spec declares, one row per service, one column per target (from each target's first round). */
  static Table limits(List<TargetResult> results, boolean jvm) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    Set<String> services = new LinkedHashSet<>();
    Map<String, Map<String, Limits.Service>> byTarget = new LinkedHashMap<>();
    for (Map.Entry<String, List<TargetResult>> entry : groups.entrySet()) {
      Map<String, Limits.Service> declared = new LinkedHashMap<>();
      for (TargetResult r : entry.getValue()) {
        if (!r.limits.isEmpty()) {
          r.limits.forEach(s -> declared.put(s.name(), s));
          break;
        }
      }
      declared.keySet().forEach(services::add);
      byTarget.put(entry.getKey(), declared);
    }
    List<String> headers = new ArrayList<>();
    headers.add(jvm ? "service: JVM flags" : "service: replicas, CPU, memory");
    headers.addAll(groups.keySet());
    List<List<String>> rows = new ArrayList<>();
    for (String service : services) {
      List<String> row = new ArrayList<>();
      row.add(service);
      for (String target : groups.keySet()) {
        Limits.Service s = byTarget.get(target).get(service);
        if (byTarget.get(target).isEmpty()) {
          row.add(NOT_MEASURED + " (no spec read)");
        } else if (s == null) {
          row.add("—: not in this spec");
        } else {
          row.add(jvm ? s.jvm() : "×" + s.replicas() + "; " + s.resources());
        }
      }
      rows.add(row);
    }
    return new Table(headers, rows);
  }

  /** Per service (replicas summed, ×N), one column per target: a figure from the services' own /metrics, over the rounds. */
  static Table perService(List<TargetResult> results, String title, Function<MetricsSampler.Stat, Double> figure,
      DoubleFunction<String> format) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    Set<String> services = new LinkedHashSet<>();
    results.forEach(r -> r.steadyMetrics.forEach(s -> services.add(s.service())));
    List<String> headers = new ArrayList<>();
    headers.add(title);
    headers.addAll(groups.keySet());
    List<List<String>> rows = new ArrayList<>();
    for (String service : services) {
      List<String> row = new ArrayList<>();
      row.add(service);
      for (List<TargetResult> rounds : groups.values()) {
        int replicas = rounds.stream().mapToInt(r -> (int) r.steadyMetrics.stream().filter(s -> s.service().equals(service)).count()).max().orElse(0);
        if (replicas == 0) {
          row.add(rounds.stream().allMatch(r -> r.skipped != null) ? "skipped" : "—");
          continue;
        }
        String text = cell(rounds, r -> {
          double[] values = r.steadyMetrics.stream().filter(s -> s.service().equals(service)).mapToDouble(s -> {
            Double v = figure.apply(s);
            return v == null ? Double.NaN : v;
          }).filter(v -> !Double.isNaN(v)).toArray();
          return values.length == 0 ? null : java.util.Arrays.stream(values).sum();
        }, format);
        row.add(text + (replicas > 1 ? " (×" + replicas + ")" : ""));
      }
      rows.add(row);
    }
    return new Table(headers, rows);
  }

  /** Time to ready per service (its last replica), medians over the rounds. */
  static Table readiness(List<TargetResult> results) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    Set<String> services = new LinkedHashSet<>();
    results.forEach(r -> {
      if (r.readiness != null) {
        services.addAll(r.readiness.services().keySet());
      }
    });
    List<String> headers = new ArrayList<>();
    headers.add("service: from the apply/launch to its last replica's /health/ready 200");
    headers.addAll(groups.keySet());
    List<List<String>> rows = new ArrayList<>();
    for (String service : services) {
      List<String> row = new ArrayList<>();
      row.add(service);
      for (List<TargetResult> rounds : groups.values()) {
        boolean has = rounds.stream().anyMatch(r -> r.readiness != null && r.readiness.services().containsKey(service));
        row.add(!has ? "—" : cell(rounds, r -> r.readiness == null || !r.readiness.services().containsKey(service) ? null
            : (double) r.readiness.services().get(service), Report::sec));
      }
      rows.add(row);
    }
    return new Table(headers, rows);
  }

  /** Memory per process as the host sees it (PSS, docker stats), replicas summed; the first round of each target. */
  static Table hostMemory(List<TargetResult> results) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    Map<String, Map<String, Stats>> byComponent = new LinkedHashMap<>();
    for (Map.Entry<String, List<TargetResult>> group : groups.entrySet()) {
      Map<String, List<Double>> values = new LinkedHashMap<>();
      for (TargetResult r : group.getValue()) {
        if (r.steady == null) {
          continue;
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Sampler.Stat stat : r.steady.usage()) {
          sums.merge(stat.label().replaceAll("[-_]\\d+$", ""), (double) stat.peakMemoryBytes(), Double::sum);
        }
        sums.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      }
      values.forEach((k, v) -> byComponent.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(group.getKey(), Stats.of(v)));
    }
    List<String> headers = new ArrayList<>();
    headers.add("process (host view: PSS, or docker stats; peak, steady run)");
    headers.addAll(groups.keySet());
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Stats>> entry : byComponent.entrySet()) {
      List<String> row = new ArrayList<>();
      row.add(entry.getKey());
      for (String target : groups.keySet()) {
        Stats s = entry.getValue().get(target);
        row.add(s == null ? "—" : s.format(Report::mib));
      }
      rows.add(row);
    }
    return new Table(headers, rows);
  }

  static Table sweep(TargetResult r, Options options) {
    List<List<String>> rows = new ArrayList<>();
    for (GatlingRunner.Result step : r.sweep) {
      if (step.stats() == null) {
        rows.add(List.of(Svg.fmt(step.rate()), NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, "run failed"));
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

  /** One fault run as a time line: the fault, what the harness, the orchestrator and the shop did, and when. */
  static List<String> story(TargetResult.FaultRun f) {
    List<String[]> lines = new ArrayList<>();
    long t0 = f.actionStartMillis;
    for (Fault.Milestone m : f.milestones) {
      lines.add(new String[] {String.valueOf(m.millis()), m.who() + ": " + m.what()});
    }
    for (Fault.Milestone m : f.observed) {
      lines.add(new String[] {String.valueOf(m.millis()), "orchestrator shows " + m.what()});
    }
    for (LogScan.Event e : f.logs) {
      lines.add(new String[] {String.valueOf(e.millis()), "shop (" + e.replica() + " log): " + e.what()});
    }
    if (f.cluster != null && f.cluster.firstAsideMillis() > 0) {
      lines.add(new String[] {String.valueOf(f.cluster.firstAsideMillis()), "shop (" + f.cluster.firstAsideBy()
          + " /metrics): shop_cluster_peers_aside rose"});
    }
    if (f.finishedMillis > 0) {
      lines.add(new String[] {String.valueOf(f.finishedMillis), "the orchestrator's part is done"});
    }
    if (f.impact != null && f.impact.firstFailureSecond() > 0) {
      lines.add(new String[] {String.valueOf(f.impact.firstFailureSecond() * 1000), "first failed request (in that second)"});
    }
    if (f.impact != null && f.impact.recovered() && f.impact.lastFailureSecond() > 0) {
      lines.add(new String[] {String.valueOf((f.impact.lastFailureSecond() + 1) * 1000), "last failed request: error-free from here"});
    }
    lines.sort(java.util.Comparator.comparingLong(l -> Long.parseLong(l[0])));
    List<String> story = new ArrayList<>();
    for (String[] line : lines) {
      long at = Long.parseLong(line[0]) - t0;
      story.add(String.format(Locale.ROOT, "%+.1f s %s", at / 1000.0, line[1]));
    }
    return story;
  }

  // ---------------------------------------------------------------- Markdown

  static String markdown(Path out, Options options, Environment environment, List<TargetResult> results) {
    StringBuilder md = new StringBuilder();
    Map<String, List<TargetResult>> groups = byTarget(results);
    md.append("# Vert.x Shop: ways of running it, side by side\n\n");
    md.append("Simulation **").append(options.text("simulation")).append("**, the same load on every target, ")
        .append(options.text("rounds")).append(" interleaved round(s) per target; ").append(environment.facts().get("date")).append(".\n");
    md.append("Every figure: median of the rounds (min–max); \"not measured\" where a target cannot give it.\n\n");
    md.append(comparison(options, results).markdown()).append('\n');
    if (!Fault.parse(options.list("faults")).isEmpty()) {
      md.append("## Faults under load\n\n").append(FAULTS_HOW).append("\n\n").append(faults(options, results).markdown()).append('\n');
    }
    md.append("## Rounds and the machine's load\n\n").append(rounds(results).markdown()).append('\n');
    md.append("## Limits each spec declares\n\n").append(LIMITS_HOW).append("\n\n").append(limits(results, false).markdown()).append('\n')
        .append(limits(results, true).markdown()).append('\n');
    md.append("## Per service\n\n");
    md.append(readiness(results).markdown()).append('\n');
    md.append(perService(results, "service: CPU (/metrics, avg % of one core, steady run)", s -> nan(s.avgCpuPercent()), Report::pct).markdown()).append('\n');
    md.append(perService(results, "service: JVM memory (/metrics, peak committed, steady run)", s -> nan(s.peakJvmBytes()), Report::mib).markdown()).append('\n');
    md.append(perService(results, "service: heap used (/metrics, peak, steady run)", s -> nan(s.peakHeapBytes()), Report::mib).markdown()).append('\n');
    Table host = hostMemory(results);
    if (!host.rows().isEmpty()) {
      md.append(host.markdown()).append('\n');
    }
    md.append("## Machine\n\n");
    environment.facts().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\nCommand: `").append(options.command()).append("`\n\nEvery setting: `");
    List<String> settings = new ArrayList<>();
    options.shown().forEach((k, v) -> {
      if (!k.equals("out")) {
        settings.add("--" + k + " " + Transcript.join(List.of(v)));
      }
    });
    md.append(String.join(" ", settings)).append("`\n\n");
    md.append(NOISE).append('\n');
    for (Map.Entry<String, List<TargetResult>> group : groups.entrySet()) {
      md.append("## ").append(group.getKey()).append("\n\n");
      TargetResult first = group.getValue().get(0);
      if (first.description != null) {
        md.append(first.description).append("\n\n");
      }
      for (TargetResult r : group.getValue()) {
        md.append("### Round ").append(r.round).append("\n\n");
        if (r.skipped != null) {
          md.append("Skipped: ").append(r.skipped).append("\n\n");
          continue;
        }
        if (r.error != null) {
          md.append("**Failed:** ").append(r.error.replace("\n", "\n> ")).append("\n\n");
        }
        if (r.readiness != null) {
          md.append("Time to ready: ").append(r.readiness.how()).append(": entry point ")
              .append(r.readiness.entryMillis() < 0 ? NOT_MEASURED : seconds(r.readiness.entryMillis())).append(", every replica ")
              .append(r.readiness.allReadyMillis() < 0 ? NOT_MEASURED : seconds(r.readiness.allReadyMillis())).append(".\n\n");
          r.readiness.parts().forEach((k, v) -> md.append("- ").append(k).append(": ").append(seconds(v)).append('\n'));
          md.append('\n');
        }
        r.facts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');
        if (r.steady != null && r.steady.stats() != null) {
          md.append("Steady run at ").append(Svg.fmt(r.steady.rate())).append("/s:\n\n").append(requests(r.steady.stats()).markdown()).append('\n');
        }
        if (!r.steadyMetrics.isEmpty()) {
          md.append(replicas(r).markdown()).append('\n');
        }
        if (!r.sweep.isEmpty()) {
          md.append("Capacity sweep:\n\n").append(sweep(r, options).markdown()).append('\n').append(r.sweepVerdict).append(".\n\n");
        }
        for (TargetResult.FaultRun f : r.faults) {
          md.append("#### ").append(f.fault.title).append(", ").append(f.service).append("\n\n");
          if (f.notApplicable != null) {
            md.append("Not applicable: ").append(f.notApplicable).append(".\n\n");
            continue;
          }
          if (f.impact == null) {
            md.append("Did not run: ").append(f.error).append("\n\n");
            continue;
          }
          md.append(f.what).append(".\n\n");
          md.append(String.format(Locale.ROOT, "%d of %d requests failed from the fault on; error-free %s.%n%n", f.impact.failed(),
              f.impact.total(), f.impact.recovered() ? seconds(f.impact.recoveryMillis()) + " after it" : "not within the run"));
          story(f).forEach(line -> md.append("- ").append(line).append('\n'));
          md.append('\n');
        }
        md.append("Gatling reports: ");
        List<String> links = new ArrayList<>();
        for (GatlingRunner.Result run : runs(r)) {
          if (run.report() != null) {
            String link = out.relativize(run.report().resolve("index.html")).toString();
            links.add("[" + run.phase() + "](" + link + ")");
          } else if (run.error() != null) {
            links.add(run.phase() + " (no report: " + firstLine(run.error()) + ")");
          }
        }
        md.append(links.isEmpty() ? "none" : String.join(", ", links)).append("; commands: `")
            .append(r.name).append("/round-").append(r.round).append("/commands.transcript`.\n\n");
        r.notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append('\n');
      }
    }
    return md.toString();
  }

  /** Every replica of one round: CPU and memory from its own /metrics. */
  static Table replicas(TargetResult r) {
    List<List<String>> rows = new ArrayList<>();
    Map<String, MetricsSampler.Stat> atRest = new LinkedHashMap<>();
    r.idleMetrics.forEach(s -> atRest.put(s.label(), s));
    for (MetricsSampler.Stat s : r.steadyMetrics) {
      MetricsSampler.Stat rest = atRest.get(s.label());
      rows.add(List.of(s.label(), s.service(), Double.isNaN(s.avgCpuPercent()) ? NOT_MEASURED : String.format(Locale.ROOT, "%.1f %%", s.avgCpuPercent()),
          Double.isNaN(s.peakHeapBytes()) ? NOT_MEASURED : mib(s.peakHeapBytes()), Double.isNaN(s.peakJvmBytes()) ? NOT_MEASURED : mib(s.peakJvmBytes()),
          rest == null || Double.isNaN(rest.lastJvmBytes()) ? NOT_MEASURED : mib(rest.lastJvmBytes()),
          Double.isNaN(s.peakRssBytes()) ? "not exported" : mib(s.peakRssBytes())));
    }
    return new Table(List.of("replica", "service", "CPU (avg, % of a core)", "heap used (peak)", "JVM committed (peak)", "JVM committed at rest",
        "RSS (/metrics)"), rows);
  }

  // ---------------------------------------------------------------- HTML

  static String html(Path out, Options options, Environment environment, List<TargetResult> results) {
    StringBuilder html = new StringBuilder();
    Map<String, List<TargetResult>> groups = byTarget(results);
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vert.x Shop: ways of running it</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
        .append("th{background:#f4f4f4}code{background:#f4f4f4;padding:1px 3px}svg{display:block;margin:1em 0;max-width:100%;height:auto}")
        .append("h2{border-bottom:1px solid #ddd;padding-bottom:.2em}.note{color:#555;font-size:.9em}\n</style></head><body>\n");
    html.append("<h1>Vert.x Shop: ways of running it, side by side</h1>\n");
    html.append("<p>Simulation <b>").append(esc(options.text("simulation"))).append("</b>, the same load on every target, ")
        .append(esc(options.text("rounds"))).append(" interleaved round(s) per target; ").append(esc(environment.facts().get("date")))
        .append(". Every figure: median of the rounds (min–max); \"not measured\" where a target cannot give it.</p>\n");
    html.append(comparison(options, results).html());
    charts(html, options, results);
    if (!Fault.parse(options.list("faults")).isEmpty()) {
      html.append("<h2>Faults under load</h2>\n<p>").append(inline(FAULTS_HOW)).append("</p>\n").append(faults(options, results).html());
    }
    html.append("<h2>Rounds and the machine's load</h2>\n").append(rounds(results).html());
    html.append("<h2>Limits each spec declares</h2>\n<p>").append(inline(LIMITS_HOW)).append("</p>\n").append(limits(results, false).html())
        .append(limits(results, true).html());
    html.append("<h2>Per service</h2>\n").append(readiness(results).html())
        .append(perService(results, "service: CPU (/metrics, avg % of one core, steady run)", s -> nan(s.avgCpuPercent()), Report::pct).html())
        .append(perService(results, "service: JVM memory (/metrics, peak committed, steady run)", s -> nan(s.peakJvmBytes()), Report::mib).html())
        .append(perService(results, "service: heap used (/metrics, peak, steady run)", s -> nan(s.peakHeapBytes()), Report::mib).html());
    Table host = hostMemory(results);
    if (!host.rows().isEmpty()) {
      html.append(host.html());
    }
    html.append("<h2>Machine</h2>\n<ul>");
    environment.facts().forEach((k, v) -> html.append("<li>").append(esc(k)).append(": ").append(esc(v)).append("</li>"));
    html.append("</ul>\n<p>Command: <code>").append(esc(options.command())).append("</code></p>\n<p class=\"note\">")
        .append(inline(NOISE.replace("\n", " "))).append("</p>\n");
    for (Map.Entry<String, List<TargetResult>> group : groups.entrySet()) {
      html.append("<h2>").append(esc(group.getKey())).append("</h2>\n");
      TargetResult first = group.getValue().get(0);
      if (first.description != null) {
        html.append("<p>").append(inline(first.description)).append("</p>\n");
      }
      for (TargetResult r : group.getValue()) {
        html.append("<h3>Round ").append(r.round).append("</h3>\n");
        if (r.skipped != null) {
          html.append("<p>Skipped: ").append(esc(r.skipped)).append("</p>\n");
          continue;
        }
        if (r.error != null) {
          html.append("<pre>").append(esc(r.error)).append("</pre>\n");
        }
        if (r.readiness != null) {
          html.append("<p>Time to ready: ").append(inline(r.readiness.how())).append(": entry point ")
              .append(r.readiness.entryMillis() < 0 ? NOT_MEASURED : seconds(r.readiness.entryMillis())).append(", every replica ")
              .append(r.readiness.allReadyMillis() < 0 ? NOT_MEASURED : seconds(r.readiness.allReadyMillis())).append(".</p><ul>");
          r.readiness.parts().forEach((k, v) -> html.append("<li>").append(inline(k)).append(": ").append(seconds(v)).append("</li>"));
          html.append("</ul>\n");
        }
        overTime(html, r);
        if (!r.steadyMetrics.isEmpty()) {
          html.append(replicas(r).html());
        }
        if (r.steady != null && r.steady.stats() != null) {
          html.append(requests(r.steady.stats()).html());
        }
        if (!r.sweep.isEmpty()) {
          html.append("<h4>Capacity sweep</h4>\n").append(sweep(r, options).html()).append("<p>").append(esc(r.sweepVerdict)).append(".</p>\n");
        }
        for (TargetResult.FaultRun f : r.faults) {
          faultHtml(html, r, f);
        }
        html.append("<p>Gatling reports: ");
        List<String> links = new ArrayList<>();
        for (GatlingRunner.Result run : runs(r)) {
          if (run.report() != null) {
            String link = out.relativize(run.report().resolve("index.html")).toString();
            links.add("<a href=\"" + esc(link) + "\">" + esc(run.phase()) + "</a>");
          }
        }
        html.append(links.isEmpty() ? "none" : String.join(", ", links)).append("</p>\n");
        if (!r.notes.isEmpty()) {
          html.append("<ul class=\"note\">");
          r.notes.forEach(n -> html.append("<li>").append(inline(n)).append("</li>"));
          html.append("</ul>\n");
        }
      }
    }
    return html.append("</body></html>\n").toString();
  }

  private static void charts(StringBuilder html, Options options, List<TargetResult> results) {
    Map<String, List<TargetResult>> groups = byTarget(results);
    List<String> names = new ArrayList<>(groups.keySet());
    List<Stats> rates = new ArrayList<>();
    List<Stats> entries = new ArrayList<>();
    List<Stats> ready = new ArrayList<>();
    List<Stats> p99 = new ArrayList<>();
    for (List<TargetResult> rounds : groups.values()) {
      rates.add(stats(rounds, r -> r.sweep.isEmpty() ? null : r.sustainableRate == null ? 0.0 : r.sustainableRate));
      entries.add(stats(rounds, r -> r.readiness == null || r.readiness.entryMillis() < 0 ? null : r.readiness.entryMillis() / 1000.0));
      ready.add(stats(rounds, r -> r.readiness == null || r.readiness.allReadyMillis() < 0 ? null : r.readiness.allReadyMillis() / 1000.0));
      p99.add(stats(rounds, r -> steady(r, s -> s.all().p99())));
    }
    html.append(Svg.ranges("Highest sustainable rate: median and range of the rounds", "arrivals/s", names, rates));
    html.append(Svg.ranges("Steady-run p99 at " + options.text("rate") + "/s: median and range", "ms", names, p99));
    html.append(Svg.ranges("Time to the first 200 through the entry point", "s", names, entries));
    html.append(Svg.ranges("Time until every replica is ready", "s", names, ready));
    List<Svg.Line> sweeps = new ArrayList<>();
    for (TargetResult r : results) {
      List<GatlingRunner.Result> steps = r.sweep.stream().filter(GatlingRunner.Result::ok).toList();
      if (!steps.isEmpty()) {
        sweeps.add(new Svg.Line(r.name + " r" + r.round, steps.stream().mapToDouble(GatlingRunner.Result::rate).toArray(),
            steps.stream().mapToDouble(s -> s.stats().all().p99()).toArray()));
      }
    }
    if (!sweeps.isEmpty()) {
      html.append(Svg.lines("Capacity sweep: p99 against the arrival rate, every round", "arrivals/s", "p99 ms", sweeps,
          (double) options.integer("slo-p99")));
    }
  }

  /** CPU and JVM memory of every replica over the round (their /metrics), one line per service. */
  private static void overTime(StringBuilder html, TargetResult r) {
    if (r.series.isEmpty()) {
      return;
    }
    Map<String, String> serviceOf = new LinkedHashMap<>();
    r.steadyMetrics.forEach(s -> serviceOf.put(s.label(), s.service()));
    long t0 = r.series.values().stream().filter(l -> !l.isEmpty()).mapToLong(l -> l.get(0).millis()).min().orElse(0);
    Map<String, TreeMap<Long, double[]>> cpuByService = new LinkedHashMap<>();
    Map<String, TreeMap<Long, double[]>> memByService = new LinkedHashMap<>();
    for (Map.Entry<String, List<MetricsSampler.Point>> entry : r.series.entrySet()) {
      String service = serviceOf.getOrDefault(entry.getKey(), entry.getKey().replaceAll("-[^-]+$", ""));
      List<MetricsSampler.Point> points = entry.getValue();
      for (int i = 1; i < points.size(); i++) {
        MetricsSampler.Point a = points.get(i - 1);
        MetricsSampler.Point b = points.get(i);
        // Buckets of 10 s, so that replicas sampled at different moments add up.
        long bucket = (b.millis() - t0) / 10_000 * 10;
        if (!Double.isNaN(a.cpuSeconds()) && !Double.isNaN(b.cpuSeconds()) && b.cpuSeconds() >= a.cpuSeconds() && b.millis() > a.millis()) {
          double[] acc = cpuByService.computeIfAbsent(service, k -> new TreeMap<>()).computeIfAbsent(bucket, k -> new double[2]);
          acc[0] += b.cpuSeconds() - a.cpuSeconds();
          acc[1] += (b.millis() - a.millis()) / 1000.0;
        }
        if (!Double.isNaN(b.jvmCommitted())) {
          double[] acc = memByService.computeIfAbsent(service, k -> new TreeMap<>()).computeIfAbsent(bucket, k -> new double[2]);
          acc[0] += b.jvmCommitted();
          acc[1] += 1;
        }
      }
    }
    List<Svg.Line> cpu = new ArrayList<>();
    cpuByService.forEach((service, buckets) -> {
      int replicas = (int) serviceOf.values().stream().filter(service::equals).count();
      cpu.add(line(service, buckets, acc -> acc[1] == 0 ? Double.NaN : acc[0] / acc[1] * 100.0 * Math.max(1, replicas)));
    });
    List<Svg.Line> memory = new ArrayList<>();
    memByService.forEach((service, buckets) -> {
      int replicas = (int) serviceOf.values().stream().filter(service::equals).count();
      memory.add(line(service, buckets, acc -> acc[1] == 0 ? Double.NaN : acc[0] / acc[1] / 1048576.0 * Math.max(1, replicas)));
    });
    if (!cpu.isEmpty()) {
      html.append(Svg.lines(r.name + " round " + r.round + ": CPU per service over the round (/metrics, all replicas)", "seconds", "% of a core",
          cpu, null));
    }
    if (!memory.isEmpty()) {
      html.append(Svg.lines(r.name + " round " + r.round + ": JVM memory per service over the round (/metrics, all replicas)", "seconds",
          "MiB", memory, null));
    }
  }

  private static Svg.Line line(String name, TreeMap<Long, double[]> buckets, java.util.function.ToDoubleFunction<double[]> value) {
    double[] xs = new double[buckets.size()];
    double[] ys = new double[buckets.size()];
    int i = 0;
    for (Map.Entry<Long, double[]> bucket : buckets.entrySet()) {
      xs[i] = bucket.getKey();
      ys[i] = value.applyAsDouble(bucket.getValue());
      i++;
    }
    return new Svg.Line(name, xs, ys);
  }

  private static void faultHtml(StringBuilder html, TargetResult r, TargetResult.FaultRun f) {
    html.append("<h4>").append(esc(f.fault.title)).append(", ").append(esc(f.service)).append("</h4>\n");
    if (f.notApplicable != null) {
      html.append("<p>Not applicable: ").append(esc(f.notApplicable)).append(".</p>\n");
      return;
    }
    if (f.impact == null) {
      html.append("<p>Did not run: ").append(esc(f.error)).append("</p>\n");
      return;
    }
    html.append("<p>").append(inline(f.what)).append("</p>\n");
    html.append(String.format(Locale.ROOT, "<p>%d of %d requests failed from the fault on; error-free %s.</p>%n", f.impact.failed(),
        f.impact.total(), f.impact.recovered() ? seconds(f.impact.recoveryMillis()) + " after it" : "not within the run"));
    html.append("<ul>");
    story(f).forEach(line -> html.append("<li>").append(inline(line)).append("</li>"));
    html.append("</ul>\n");
    List<TimelineData.Point> points = f.run == null ? List.of() : f.run.timeline().points();
    if (!points.isEmpty()) {
      long first = points.get(0).second();
      List<Svg.Marker> markers = new ArrayList<>();
      markers.add(new Svg.Marker(f.actionStartMillis / 1000.0 - first, f.fault.id, "#e15759"));
      if (f.shopAsideMillis() >= 0) {
        markers.add(new Svg.Marker((f.actionStartMillis + f.shopAsideMillis()) / 1000.0 - first, "shop: aside", "#b07aa1"));
      }
      if (f.finishedMillis > 0) {
        markers.add(new Svg.Marker(f.finishedMillis / 1000.0 - first, "orchestrator done", "#4e79a7"));
      }
      if (f.impact.recovered() && f.impact.lastFailureSecond() > 0) {
        markers.add(new Svg.Marker(f.impact.lastFailureSecond() + 1 - first, "error-free", "#59a14f"));
      }
      html.append(Svg.timeline(r.name + " round " + r.round + ": " + f.fault.title + ", " + f.service, points, markers));
    }
  }

  // ---------------------------------------------------------------- JSON

  static String json(Options options, Environment environment, List<TargetResult> results) {
    Json json = new Json();
    json.open();
    json.field("command", options.command());
    json.field("options", options.shown());
    json.field("machine", environment.facts());
    json.key("targets").openArray();
    for (Map.Entry<String, List<TargetResult>> group : byTarget(results).entrySet()) {
      List<TargetResult> rounds = group.getValue();
      json.open().field("name", group.getKey()).field("kind", rounds.get(0).kind);
      json.key("summary").open();
      summary(json, "sustainableRate", stats(rounds, r -> r.sweep.isEmpty() ? null : r.sustainableRate == null ? 0.0 : r.sustainableRate));
      summary(json, "steadyP99Millis", stats(rounds, r -> steady(r, s -> s.all().p99())));
      summary(json, "steadyRequestsPerSecond", stats(rounds, r -> steady(r, s -> s.all().perSecond())));
      summary(json, "entryReadyMillis", stats(rounds, r -> r.readiness == null || r.readiness.entryMillis() < 0 ? null : (double) r.readiness.entryMillis()));
      summary(json, "allReadyMillis", stats(rounds, r -> r.readiness == null || r.readiness.allReadyMillis() < 0 ? null : (double) r.readiness.allReadyMillis()));
      summary(json, "metricsCpuPercent", stats(rounds, r -> nan(r.metricsCpuTotal())));
      summary(json, "metricsJvmBytes", stats(rounds, r -> nan(r.metricsJvmTotal())));
      json.close();
      json.key("rounds").openArray();
      for (TargetResult r : rounds) {
        json.open();
        json.field("round", r.round);
        json.field("baseUrl", r.baseUrl);
        json.field("skipped", r.skipped);
        json.field("error", r.error);
        json.field("loadAtStart", r.loadAtStart);
        json.field("loadAtEnd", r.loadAtEnd);
        if (r.readiness != null) {
          json.field("entryReadyMillis", r.readiness.entryMillis());
          json.field("allReadyMillis", r.readiness.allReadyMillis());
          json.field("serviceReadyMillis", r.readiness.services());
          json.field("readinessParts", r.readiness.parts());
        }
        json.field("sustainableRate", r.sustainableRate);
        json.field("sweepVerdict", r.sweepVerdict);
        json.key("steady");
        run(json, r.steady);
        json.key("sweep").openArray();
        r.sweep.forEach(step -> run(json, step));
        json.closeArray();
        json.key("replicas").openArray();
        for (MetricsSampler.Stat s : r.steadyMetrics) {
          json.open().field("label", s.label()).field("service", s.service()).field("cpuPercent", s.avgCpuPercent())
              .field("peakHeapBytes", s.peakHeapBytes()).field("peakJvmBytes", s.peakJvmBytes()).close();
        }
        json.closeArray();
        json.key("faults").openArray();
        for (TargetResult.FaultRun f : r.faults) {
          json.open().field("fault", f.fault.id).field("service", f.service).field("notApplicable", f.notApplicable).field("error", f.error);
          if (f.impact != null) {
            json.field("what", f.what).field("failed", f.impact.failed()).field("total", f.impact.total())
                .field("recoveryMillis", f.impact.recovered() ? f.impact.recoveryMillis() : null)
                .field("orchestratorReactionMillis", f.orchestratorReactionMillis() < 0 ? null : f.orchestratorReactionMillis())
                .field("orchestratorDoneMillis", f.finishedAfterMillis() < 0 ? null : f.finishedAfterMillis())
                .field("shopAsideMillis", f.shopAsideMillis() < 0 ? null : f.shopAsideMillis())
                .field("memberListMillis", f.memberListMillis() < 0 ? null : f.memberListMillis())
                .field("resent", f.cluster == null ? null : f.cluster.resent())
                .field("suspicions", f.cluster == null ? null : f.cluster.suspicions());
          }
          json.close();
        }
        json.closeArray();
        json.close();
      }
      json.closeArray();
      json.close();
    }
    json.closeArray();
    json.close();
    return json.toString();
  }

  private static void summary(Json json, String name, Stats stats) {
    json.key(name).open().field("n", stats.n()).field("rounds", stats.rounds()).field("median", stats.median())
        .field("min", stats.min()).field("max", stats.max()).close();
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
        .field("counts", run.counts()).field("failedByStatus", run.errors())
        .field("report", run.report() == null ? null : run.report().toString()).close();
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
    for (TargetResult.FaultRun f : r.faults) {
      if (f.run != null) {
        runs.add(f.run);
      }
    }
    return runs;
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

  static final String FAULTS_HOW = """
      Each fault hits one replica of the service while the load runs, and the run goes on until the orchestrator has done \
      its part and the shop has been error-free for --quiet seconds. Failed requests and the time until error-free are \
      counted from the fault. The orchestrator's part is what it does and shows: its first visible reaction (a pod not \
      ready, a container restarting, an allocation's state) and when the replica is back and ready or the roll or drain \
      is complete; where no orchestrator replaces a replica (processes, Compose after a stop), the harness plays the \
      supervisor and says so. The shop's part is its own failure detection: when a surviving replica set the lost peer \
      aside (its /metrics: shop_cluster_peers_aside, read every 500 ms during a fault, or its peer-watch log line), when \
      Hazelcast first noticed (its member list, or its connection to the member dropped: the replicas' logs), and how many requests the event bus re-sent to another replica \
      (shop_bus_resent_total). Times are from the fault's start, at the resolution of the polling (about 1 s).""";

  static final String LIMITS_HOW = """
      Read from the files each target ran (the Compose file, the manifests kubectl kustomize or helm template rendered, \
      the Nomad jobs; for processes, the JVM flags the harness gives): what a spec does not declare reads "not declared". \
      A hard CPU limit is a CFS quota; a soft one (Nomad's cpu without cpu_hard_limit) is a share that may use idle cores. \
      JVM flags a spec does not set come from the image (docker/service/Dockerfile).""";

  static final String NOISE = """
      How to read these figures: everything (the shop, its PostgreSQL and Kafka, and the Gatling load generator) \
      shares one small machine, so the load generator takes CPU from the shop, and the more processes a target has, \
      the more they compete for the same cores (context switches, JIT and GC threads of every JVM). The rounds are \
      interleaved so that a busier machine at some moment hurts every target alike; the range after each median shows \
      how far the rounds of one target are apart, and a difference between two targets smaller than their ranges is \
      noise. Look at the machine's load average of each round (other work on the machine shows there). Compose requests \
      cross docker-proxy (the userland proxy of the published port) and the HAProxy edge before a gateway; the processes \
      target has its own small TCP edge in front of its gateways.
      """;
}
