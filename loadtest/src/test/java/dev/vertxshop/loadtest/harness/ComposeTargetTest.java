package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ComposeTargetTest {

  @Test
  @DisplayName("reads docker stats' memory and CPU columns")
  void parsesDockerStats() {
    assertThat(ComposeTarget.bytes("123.5MiB ")).isEqualTo((long) (123.5 * 1024 * 1024));
    assertThat(ComposeTarget.bytes("1.5GiB")).isEqualTo(1024L * 1024 * 1024 * 3 / 2);
    assertThat(ComposeTarget.bytes("512KiB")).isEqualTo(512 * 1024);
    assertThat(ComposeTarget.bytes("0B")).isZero();
    assertThat(ComposeTarget.percent("12.34%")).isEqualTo(12.34);
    assertThat(ComposeTarget.percent("--")).isNaN();
  }
}
