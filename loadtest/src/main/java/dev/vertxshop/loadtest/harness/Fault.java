package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults the harness applies under load, named by what they do, the same act on every target as
 * far as the target allows (each target's {@link Target#fault} says how, or why not).
 */
enum Fault {

  /** What a crash is: the replica's process gets SIGKILL and no chance to leave the cluster. */
  KILL_9("kill-9", "kill -9 of one replica's process"),
  /** SIGTERM: the replica stops taking work, finishes what it has, leaves the cluster, exits. */
  GRACEFUL_STOP("graceful-stop", "graceful stop (SIGTERM) of one replica"),
  /** Every replica replaced by one running a new image tag, the way the orchestrator rolls out a release. */
  ROLLING_UPDATE("rolling-update", "rolling update to a new image tag"),
  /** The node of one replica drained: everything on it is moved elsewhere. */
  NODE_DRAIN("node-drain", "drain of the node of one replica");

  final String id;
  final String title;

  Fault(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** {@code --faults}: a list of ids, "all", or the old yes/no. */
  static List<Fault> parse(List<String> names) {
    List<Fault> faults = new ArrayList<>();
    for (String name : names) {
      switch (name) {
        case "all", "yes", "true" -> faults.addAll(List.of(values()));
        case "none", "no", "false" -> faults.clear();
        case "kill" -> faults.add(KILL_9);
        case "rolling-restart", "roll" -> faults.add(ROLLING_UPDATE);
        default -> {
          Fault fault = null;
          for (Fault f : values()) {
            if (f.id.equals(name)) {
              fault = f;
            }
          }
          if (fault == null) {
            throw new IllegalArgumentException("unknown fault '" + name + "' (kill-9, graceful-stop, rolling-update, node-drain, all, none)");
          }
          faults.add(fault);
        }
      }
    }
    return faults.stream().distinct().toList();
  }

  /** The fault does not apply to a target (no nodes to drain, no second replica...): the report says why. */
  static final class NotApplicable extends RuntimeException {
    NotApplicable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One fault in progress on a target: {@link #begin} does the act (a kill, the start of a roll) and
   * returns; the harness then polls {@link #finished} once a second while it watches the load, and calls
   * {@link #end} after the run to undo what must be undone (start a stopped container, uncordon a node).
   */
  interface Action {
    /** What is done, with the exact commands, for the report. */
    String what();

    void begin();

    /** Whether the orchestrator has done its part: the replica replaced and ready, the roll or drain complete. */
    boolean finished();

    /** Milestones with their epoch-ms times, for the report (may be empty). */
    List<Milestone> milestones();

    /** After the run: puts the target back as it was before the fault (bounded wait); never throws. */
    void end();
  }

  /** A moment of a fault: who did what ({@code orchestrator}, {@code harness}), when. */
  record Milestone(long millis, String who, String what) {
  }
}
