package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  @DisplayName("median of an odd count is the middle value, whatever the order of the rounds")
  void oddMedian() {
    Stats stats = Stats.of(List.of(30.0, 10.0, 20.0));

    assertThat(stats.median()).isEqualTo(20.0);
    assertThat(stats.min()).isEqualTo(10.0);
    assertThat(stats.max()).isEqualTo(30.0);
    assertThat(stats.n()).isEqualTo(3);
  }

  @Test
  @DisplayName("median of an even count is the mean of the two middle values")
  void evenMedian() {
    assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
    assertThat(Stats.of(List.of(7.0, 9.0)).median()).isEqualTo(8.0);
  }

  @Test
  @DisplayName("a round that did not measure the figure (null, NaN) is left out and counted apart")
  void unmeasuredRounds() {
    Stats stats = Stats.of(Arrays.asList(12.0, null, Double.NaN, 14.0));

    assertThat(stats.n()).isEqualTo(2);
    assertThat(stats.rounds()).isEqualTo(4);
    assertThat(stats.median()).isEqualTo(13.0);
    assertThat(stats.format(v -> String.format("%.0f", v))).isEqualTo("13 (12–14) [2 of 4 rounds]");
  }

  @Test
  @DisplayName("nothing measured reads \"not measured\"; one round is its value alone; equal rounds say so")
  void formats() {
    assertThat(Stats.of(Arrays.asList(null, null)).format(String::valueOf)).isEqualTo("not measured");
    assertThat(Stats.of(List.of()).median()).isNaN();
    assertThat(Stats.of(List.of(5.0)).format(v -> String.format("%.1f", v))).isEqualTo("5.0");
    assertThat(Stats.of(List.of(5.0, 5.0, 5.0)).format(v -> String.format("%.0f", v))).isEqualTo("5 (all rounds)");
  }

  @Test
  @DisplayName("spread is (max - min) / median in percent, undefined for one value or a zero median")
  void spread() {
    assertThat(Stats.of(List.of(128.0, 96.0, 160.0)).spreadPercent()).isEqualTo(50.0);
    assertThat(Stats.of(List.of(128.0)).spreadPercent()).isNaN();
    assertThat(Stats.of(List.of(0.0, 0.0, 1.0)).spreadPercent()).isNaN();
  }
}
