package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
        0.8, 1.2, Map.of("order CONFIRMED", 12L), 0, 0, null);
  }

  @Test
  @DisplayName("the comparison puts each target in a column and a skipped target says why")
  void comparisonTable(@TempDir Path out) {
    Options options = new Options(out, new String[] {"--out", out.toString()});
    TargetResult aio = new TargetResult("all-in-one");
    aio.readiness = new Target.Readiness(6_100, Map.of("JVM", 6_100L), "test");
    aio.steady = run("steady", 8, 1500, 3, 45, List.of(new Sampler.Stat("shop JVM", 55.5, 700L << 20, 650L << 20, 20),
        new Sampler.Stat("load generator (Gatling JVM)", 30, 300L << 20, 300L << 20, 20)));
    aio.sweep.add(run("sweep-004.0", 4, 900, 0, 30, List.of()));
    aio.sweep.add(run("sweep-008.0", 8, 1800, 90, 2500, List.of()));
    aio.sustainableRate = 4.0;
    aio.sweepVerdict = "SLO broken at 8/s";
    TargetResult compose = new TargetResult("compose");
    compose.skipped = "images missing";

    String markdown = Report.comparison(options, List.of(aio, compose)).markdown();

    assertThat(markdown).contains("|  | all-in-one | compose |");
    assertThat(markdown).contains("| highest sustainable rate").contains("4/s (15 req/s)").contains("skipped: images missing");
    assertThat(markdown).contains("| p50 / p95 / p99 (ms) | 5 / 20 / 45 |");
    assertThat(markdown).contains("0.20 % (3 of 1500)");
    // The load generator is reported, never counted as the shop's memory.
    assertThat(markdown).contains("| memory, all processes (PSS, peak under load) | 700 MiB |");
    assertThat(markdown).contains("| time to ready | 6.1 s |");
  }

  @Test
  @DisplayName("the HTML page is self-contained: inline SVG, no script or remote resource")
  void htmlHasNoRemoteResources(@TempDir Path out) {
    Options options = new Options(out, new String[] {"--out", out.toString()});
    TargetResult aio = new TargetResult("all-in-one");
    aio.steady = run("steady", 8, 1500, 0, 45, List.of(new Sampler.Stat("shop JVM", 55.5, 700L << 20, 650L << 20, 20)));
    Environment environment = new Environment(Map.of("date", "today", "cores", "2"));

    String html = Report.html(out, options, environment, List.of(aio));

    assertThat(html).contains("<svg").doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("https://");
  }

  @Test
  @DisplayName("summary.json is valid enough to read back: balanced, no NaN, keys quoted")
  void json(@TempDir Path out) {
    Options options = new Options(out, new String[] {"--out", out.toString()});
    TargetResult aio = new TargetResult("all-in-one");
    aio.steady = run("steady", 8, 1500, 0, 45, List.of(new Sampler.Stat("shop JVM", Double.NaN, 1, 1, 0)));

    String json = Report.json(options, new Environment(Map.of("cores", "2")), List.of(aio));

    assertThat(json).doesNotContain("NaN").contains("\"name\":\"all-in-one\"").contains("\"avgCpuPercent\":null")
        .contains("\"p99\":45");
    assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    assertThat(json.chars().filter(c -> c == '[').count()).isEqualTo(json.chars().filter(c -> c == ']').count());
  }
}
