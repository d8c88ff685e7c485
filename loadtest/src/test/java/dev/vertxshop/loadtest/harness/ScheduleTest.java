package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  @DisplayName("rounds are interleaved: A B C, A B C, A B C, never A A A B B B")
  void interleaved() {
    List<TargetSpec> targets = TargetSpec.parse(List.of("all-in-one", "processes", "compose"), null);

    List<Schedule.Slot> slots = Schedule.interleaved(targets, 3);

    assertThat(slots).extracting(Schedule.Slot::toString).containsExactly(
        "all-in-one round 1", "processes round 1", "compose round 1",
        "all-in-one round 2", "processes round 2", "compose round 2",
        "all-in-one round 3", "processes round 3", "compose round 3");
  }

  @Test
  @DisplayName("one round is each target once, in the order given")
  void oneRound() {
    List<Schedule.Slot> slots = Schedule.interleaved(TargetSpec.parse(List.of("compose", "all-in-one"), null), 1);

    assertThat(slots).extracting(s -> s.target().name()).containsExactly("compose", "all-in-one");
    assertThat(slots).extracting(Schedule.Slot::round).containsOnly(1);
  }

  @Test
  @DisplayName("no rounds or no targets is refused with a clear message")
  void refusesEmpty() {
    List<TargetSpec> targets = TargetSpec.parse(List.of("processes"), null);
    assertThatThrownBy(() -> Schedule.interleaved(targets, 0)).hasMessageContaining("--rounds must be at least 1");
    assertThatThrownBy(() -> Schedule.interleaved(List.of(), 3)).hasMessageContaining("--targets names no target");
  }

  @Test
  @DisplayName("--targets: local kinds bare, remote ones with where they are; a kind twice gets its own column")
  void targetSpecs() {
    List<TargetSpec> specs = TargetSpec.parse(List.of("all-in-one", "k8s=/home/me/.kube/lab", "k8s=https://10.0.0.1:6443",
        "nomad=http://nomad.lab:4646", "kubernetes", "external=http://shop.example"), "vm");

    assertThat(specs).extracting(TargetSpec::name).containsExactly("all-in-one", "k8s", "k8s-2", "nomad", "k8s-3", "vm");
    assertThat(specs.get(1).argument()).isEqualTo("/home/me/.kube/lab");
    assertThat(specs.get(2).argument()).isEqualTo("https://10.0.0.1:6443");
    assertThat(specs.get(3)).isEqualTo(new TargetSpec("nomad", "nomad", "http://nomad.lab:4646"));
    assertThat(specs.get(4).argument()).isNull();
    assertThat(specs.get(0).local()).isTrue();
    assertThat(specs.get(1).local()).isFalse();
  }

  @Test
  @DisplayName("an unknown target, or a value for a local one, is refused")
  void refusesBadTargets() {
    assertThatThrownBy(() -> TargetSpec.parse(List.of("swarm"), null)).hasMessageContaining("unknown target 'swarm'");
    assertThatThrownBy(() -> TargetSpec.parse(List.of("compose=x"), null)).hasMessageContaining("takes no value");
  }

  @Test
  @DisplayName("--faults: ids, all, none, and the yes/no of earlier versions")
  void faults() {
    assertThat(Fault.parse(List.of("all"))).containsExactly(Fault.KILL_9, Fault.GRACEFUL_STOP, Fault.ROLLING_UPDATE, Fault.NODE_DRAIN);
    assertThat(Fault.parse(List.of("no"))).isEmpty();
    assertThat(Fault.parse(List.of("rolling-update", "kill-9", "kill"))).containsExactly(Fault.ROLLING_UPDATE, Fault.KILL_9);
    assertThatThrownBy(() -> Fault.parse(List.of("reboot"))).hasMessageContaining("unknown fault 'reboot'");
  }
}
