package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineDataTest {

  /** Seconds 1000..1000+n-1, ok 10 each, ko as given per second (0 when the array is shorter). */
  private static TimelineData timeline(int seconds, long... ko) {
    List<TimelineData.Point> points = new ArrayList<>();
    for (int i = 0; i < seconds; i++) {
      points.add(new TimelineData.Point(1000 + i, 10, i < ko.length ? ko[i] : 0));
    }
    return new TimelineData(points);
  }

  @Test
  @DisplayName("a kill: failures counted from the fault on, recovery at the end of the last failed second")
  void killImpact() {
    // Fault at 1005.5 s; failures in 1006..1008; quiet afterwards for 20 s.
    TimelineData data = timeline(30, 1, 0, 0, 0, 0, 0, 3, 5, 2);

    TimelineData.Impact impact = data.impact(1_005_500, 1_005_500, 15);

    assertThat(impact.failed()).isEqualTo(10);
    assertThat(impact.firstFailureSecond()).isEqualTo(1006);
    assertThat(impact.lastFailureSecond()).isEqualTo(1008);
    assertThat(impact.recovered()).isTrue();
    assertThat(impact.recoveryMillis()).isEqualTo(1_009_000 - 1_005_500);
    // The failure at 1000 s came before the fault: not counted.
    assertThat(impact.total()).isEqualTo(25 * 10 + 10);
  }

  @Test
  @DisplayName("not recovered when the run ends before enough error-free seconds")
  void notRecovered() {
    TimelineData data = timeline(20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4);

    TimelineData.Impact impact = data.impact(1_002_000, 1_003_000, 15);

    assertThat(impact.failed()).isEqualTo(4);
    assertThat(impact.recovered()).isFalse();
    assertThat(impact.recoveryMillis()).isEqualTo(-1);
  }

  @Test
  @DisplayName("no failure at all: recovered at once, nothing failed, failures during a long action counted apart")
  void noFailure() {
    TimelineData data = timeline(40);

    TimelineData.Impact impact = data.impact(1_005_000, 1_020_000, 15);

    assertThat(impact.failed()).isZero();
    assertThat(impact.failedDuringAction()).isZero();
    assertThat(impact.recovered()).isTrue();
    assertThat(impact.recoveryMillis()).isZero();
  }

  @Test
  @DisplayName("quiet seconds count only seconds that carried requests")
  void quietNeedsTraffic() {
    List<TimelineData.Point> points = new ArrayList<>(timeline(5, 0, 0, 1).points());
    points.add(new TimelineData.Point(1005, 0, 0));
    points.add(new TimelineData.Point(1006, 0, 0));

    assertThat(new TimelineData(points).quietSecondsSince(1003)).isEqualTo(2);
  }

  @Test
  @DisplayName("reads the simulations' CSV, header included, and survives a truncated last line")
  void readsTheCsv(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.csv");
    Files.writeString(file, "second,ok,ko\n1000,5,0\n1001,6,1\n1002,7");

    TimelineData data = TimelineData.read(file);

    assertThat(data.points()).containsExactly(new TimelineData.Point(1000, 5, 0), new TimelineData.Point(1001, 6, 1));
    assertThat(TimelineData.read(dir.resolve("missing.csv")).points()).isEmpty();
  }
}
