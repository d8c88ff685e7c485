package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which the targets are measured: interleaved rounds (A B C, A B C, ...), so that a change
 * of the machine's load during the comparison (another build starting, a thermal limit) falls on every
 * target alike instead of on whichever happened to run last.
 */
final class Schedule {

  /** One measurement: the {@code round}-th (1-based) run of the target {@code target}. */
  record Slot(int round, TargetSpec target) {
    @Override
    public String toString() {
      return target.name() + " round " + round;
    }
  }

  private Schedule() {
  }

  static List<Slot> interleaved(List<TargetSpec> targets, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, not " + rounds);
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("--targets names no target");
    }
    List<Slot> slots = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (TargetSpec target : targets) {
        slots.add(new Slot(round, target));
      }
    }
    return slots;
  }
}
