package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatlingStatsTest {

  private static Path fixture() throws Exception {
    return Path.of(GatlingStatsTest.class.getResource("/fixtures/gatling-3.14.9-index.html").toURI());
  }

  @Test
  @DisplayName("reads the All Requests row of a Gatling 3.14.9 report, columns found by their headers")
  void readsTheGlobalRow() throws Exception {
    GatlingStats stats = GatlingStats.parse(fixture());

    assertThat(stats.all().name()).isEqualTo("All Requests");
    assertThat(stats.all().total()).isEqualTo(940);
    assertThat(stats.all().ok()).isEqualTo(921);
    assertThat(stats.all().ko()).isEqualTo(19);
    assertThat(stats.all().koPercent()).isEqualTo(2.02);
    assertThat(stats.all().perSecond()).isEqualTo(52.22);
    assertThat(stats.all().p50()).isEqualTo(2);
    assertThat(stats.all().p95()).isEqualTo(45);
    assertThat(stats.all().p99()).isEqualTo(68);
    assertThat(stats.all().max()).isEqualTo(189);
  }

  @Test
  @DisplayName("reads one row per request name, in the report's order")
  void readsEveryRequest() throws Exception {
    GatlingStats stats = GatlingStats.parse(fixture());

    assertThat(stats.requests()).extracting(GatlingStats.Row::name)
        .containsExactly("GET /api/categories", "GET /api/search", "GET /api/products", "GET /api/products/{id}");
    assertThat(stats.requests().get(0).total()).isEqualTo(249);
    assertThat(stats.requests().get(0).ko()).isEqualTo(8);
    assertThat(stats.requests().stream().mapToLong(GatlingStats.Row::total).sum()).isEqualTo(stats.all().total());
  }

  @Test
  @DisplayName("refuses a page that is not a Gatling report instead of returning zeros")
  void refusesOtherPages() {
    assertThatThrownBy(() -> GatlingStats.parse("<html><body><table><tr><td>1</td></tr></table></body></html>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Gatling 3.14 report");
  }
}
