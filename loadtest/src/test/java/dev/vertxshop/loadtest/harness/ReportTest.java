package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static GatlingRunner.Result run(String phase, double rate, long total, long ko, double p99, List<Sampler.Stat> usage) {
    GatlingStats.Row all = new GatlingStats.Row("All Requests", total, total - ko, ko, 100.0 * ko / total, total / 60.0,
        1, 5, 20, p99, p99 * 2, 8);
    return new GatlingRunner.Result(phase, rate, new GatlingStats(all, List.of()), null, new TimelineData(List.of()), usage,
        0.8, 1.2, Map.of("order CONFIRMED", 12L), ko == 0 ? Map.of() : Map.of("503", ko), 0, 60_000, null);
  }

  private static TargetResult round(String name, int round, double sustainable, double p99, long readyMillis) {
    TargetResult r = new TargetResult(name, name, round);
    r.readiness = new Target.Readiness(readyMillis, readyMillis + 500, Map.of("catalog", readyMillis), Map.of(), "test");
    r.steady = run("steady", 8, 1500, 3, p99, List.of(new Sampler.Stat("shop JVM", 55.5, 700L << 20, 650L << 20, 20),
        new Sampler.Stat("load generator (Gatling JVM)", 30, 300L << 20, 300L << 20, 20)));
    r.steadyMetrics = List.of(new MetricsSampler.Stat("catalog", "catalog-1", 20, 50e6, 200e6, Double.NaN, 190e6, 10),
        new MetricsSampler.Stat("catalog", "catalog-2", 30, 60e6, 210e6, Double.NaN, 200e6, 10));
    r.sweep.add(run("sweep-004.0", 4, 900, 0, 30, List.of()));
    r.sweep.add(run("sweep-008.0", sustainable, 1800, 90, 2500, List.of()));
    r.sustainableRate = sustainable;
    r.sweepVerdict = "SLO broken";
    r.loadAtStart = 1.5;
    r.loadAtEnd = 2.5;
    TargetResult.FaultRun kill = new TargetResult.FaultRun(Fault.KILL_9, "catalog");
    kill.what = "kill -9";
    kill.actionStartMillis = 1_000_000;
    kill.finishedMillis = 1_004_000;
    kill.impact = new TimelineData.Impact(10 * round, 500, 1001, 1002, 3000, true, 4);
    kill.cluster = new MetricsSampler.Cluster(1_000_900, 1, 5, "catalog-2");
    r.faults.add(kill);
    TargetResult.FaultRun drain = new TargetResult.FaultRun(Fault.NODE_DRAIN, "catalog");
    drain.notApplicable = "one machine, no nodes";
    r.faults.add(drain);
    r.limits = List.of(new Limits.Service("catalog", "2", "1.0", null, "hard (CFS quota)", "768m", null, "image default: -Xss1m"));
    return r;
  }

  private static Options options(Path out) {
    return new Options(out, new String[] {"--out", out.toString(), "--faults", "kill-9,node-drain", "--fault-services", "catalog",
        "--rounds", "3"});
  }

  @Test
  @DisplayName("each figure is the median of the rounds with its range, one column per target; a skipped target says why")
  void comparisonTable(@TempDir Path out) {
    List<TargetResult> results = List.of(round("all-in-one", 1, 16, 45, 6_100), round("all-in-one", 2, 24, 60, 6_500),
        round("all-in-one", 3, 16, 50, 7_000), skipped("compose"));

    String markdown = Report.comparison(options(out), results).markdown();

    assertThat(markdown).contains("|  | all-in-one | compose |");
    // Sustainable rates 16, 24, 16: median 16, range 16-24, spread (24-16)/16 = 50 %.
    assertThat(markdown).contains("16/s (16/s–24/s), spread 50 % of the median");
    assertThat(markdown).contains("| steady run p99 | 50 ms (45 ms–60 ms) |");
    assertThat(markdown).contains("| time from the apply/launch to the first 200 through the entry point | 6.5 s (6.1 s–7.0 s) |");
    assertThat(markdown).contains("503: 3 (all rounds)");
    // The replicas' own CPU (20 % + 30 %) and memory (200 + 210 MB), the load generator never counted as the shop.
    assertThat(markdown).contains("| 50 % (all rounds) |").contains("391 MiB (all rounds)");
    assertThat(markdown).contains("| host view: memory of every process (PSS or docker stats; peak, steady run) | 700 MiB (all rounds) |");
    assertThat(markdown).contains("skipped: images missing");
  }

  @Test
  @DisplayName("faults: the orchestrator's part and the shop's part in separate rows, a fault that cannot apply says why")
  void faultTable(@TempDir Path out) {
    List<TargetResult> results = List.of(round("processes", 1, 16, 45, 6_100), round("processes", 2, 16, 45, 6_100),
        round("processes", 3, 16, 45, 6_100));

    String markdown = Report.faults(options(out), results).markdown();

    assertThat(markdown).contains("kill -9 of one replica's process, catalog: failed requests | 20 (10–30) |");
    assertThat(markdown).contains("catalog: orchestrator's part done (replica back and ready, roll or drain complete) | 4.0 s (all rounds) |");
    assertThat(markdown).contains("catalog: shop: a surviving replica set the peer aside | 0.9 s (all rounds) |");
    assertThat(markdown).contains("| not applicable: one machine, no nodes |");
  }

  @Test
  @DisplayName("no table of the report has a blank cell: what a target cannot give reads \"not measured\"")
  void noBlankCells(@TempDir Path out) {
    TargetResult bare = new TargetResult("k8s", "k8s", 1);
    bare.readiness = new Target.Readiness(-1, -1, Map.of(), Map.of(), "not measured");
    List<TargetResult> results = new ArrayList<>(List.of(round("processes", 1, 16, 45, 6_100), bare));
    Options options = options(out);

    List<Report.Table> tables = List.of(Report.comparison(options, results), Report.faults(options, results), Report.rounds(results),
        Report.limits(results, false), Report.limits(results, true), Report.readiness(results),
        Report.perService(results, "cpu", s -> s.avgCpuPercent(), Report::pct));

    for (Report.Table table : tables) {
      for (List<String> row : table.rows()) {
        assertThat(row).as("row %s", row.get(0)).allSatisfy(cell -> assertThat(cell).isNotBlank());
      }
    }
    assertThat(Report.comparison(options, results).markdown()).contains("not measured");
    assertThat(Report.limits(results, false).markdown()).contains("not measured (no spec read)");
  }

  @Test
  @DisplayName("the HTML page is self-contained: inline SVG, no script or remote resource, every target's charts")
  void htmlHasNoRemoteResources(@TempDir Path out) {
    List<TargetResult> results = List.of(round("all-in-one", 1, 16, 45, 6_100), round("processes", 1, 8, 90, 30_000));
    Environment environment = new Environment(Map.of("date", "today", "cores", "2"));

    String html = Report.html(out, options(out), environment, results);

    assertThat(html).contains("<svg").contains("Highest sustainable rate: median and range").contains("not applicable")
        .doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("https://").doesNotContain("<link");
  }

  @Test
  @DisplayName("summary.json is valid enough to read back: balanced, no NaN, medians per target")
  void json(@TempDir Path out) {
    List<TargetResult> results = List.of(round("all-in-one", 1, 16, 45, 6_100), round("all-in-one", 2, 24, 45, 6_100));

    String json = Report.json(options(out), new Environment(Map.of("cores", "2")), results);

    assertThat(json).doesNotContain("NaN").contains("\"name\":\"all-in-one\"").contains("\"sustainableRate\":{\"n\":2,\"rounds\":2,\"median\":20");
    Object parsed = Json.parse(json.trim());
    assertThat(Yaml.text(parsed, "targets", 0, "rounds", 1, "round")).isEqualTo("2.0");
  }

  private static TargetResult skipped(String name) {
    TargetResult r = new TargetResult(name, name, 1);
    r.skipped = "images missing";
    return r;
  }
}
