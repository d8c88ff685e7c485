package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Child processes of the harness: started with a log file and an environment, observed through
 * {@code /proc}, stopped by pid. Every process the harness starts goes through here, so that the
 * harness ends exactly what it started (by pid, never by name).
 */
final class Proc {

  private Proc() {
  }

  /** A started child: its OS process, label and log file. */
  record Child(String label, Process process, Path log, List<String> command, Map<String, String> env, long startedNanos) {
    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }
  }

  /**
   * Starts {@code command} in {@code dir} with extra {@code env}, output appended to {@code log}.
   * Standard input stays a pipe the child may watch: it closes when the harness dies.
   */
  static Child start(String label, List<String> command, Map<String, String> env, Path dir, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      long started = System.nanoTime();
      Process process = builder.start();
      return new Child(label, process, log, List.copyOf(command), Map.copyOf(env), started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + label + ": " + String.join(" ", command), e);
    }
  }

  /** Runs a command to its end (bounded by {@code timeout}); returns exit code and output. */
  static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try {
          out.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the process went away; what was read is kept
        }
      });
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        reader.join(2000);
        return new Result(-1, out + "\n(timed out after " + timeout.toSeconds() + " s)");
      }
      reader.join(5000);
      return new Result(process.exitValue(), out.toString());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** A finished command. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  static Result sh(String script, Path dir, Duration timeout) {
    return run(List.of("bash", "-c", script), dir, Map.of(), timeout);
  }

  /** SIGKILL: the process gets no chance to leave the cluster or finish anything. */
  static void kill9(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** SIGTERM, then waits up to {@code grace} for the exit, then SIGKILL; true when it left by itself. */
  static boolean terminate(long pid, Duration grace) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return true;
    }
    handle.get().destroy();
    try {
      handle.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      handle.get().destroyForcibly();
      try {
        handle.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller through the return value
      }
      return false;
    }
  }

  /** The pid and every descendant (an embedded PostgreSQL is a tree of processes under the JVM). */
  static List<Long> tree(long pid) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(pid).ifPresent(handle -> {
      pids.add(handle.pid());
      handle.descendants().forEach(d -> pids.add(d.pid()));
    });
    return pids;
  }

  /** Pids whose command line contains every one of {@code parts} (to find docker-proxy or a Gatling JVM). */
  static List<Long> find(String... parts) {
    List<Long> found = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(handle -> {
      String line = cmdline(handle.pid());
      boolean all = !line.isEmpty();
      for (String part : parts) {
        all &= line.contains(part);
      }
      if (all) {
        found.add(handle.pid());
      }
    });
    return found;
  }

  /**
   * The PostgreSQL server using {@code dataDir} and its worker processes. The embedded PostgreSQL is
   * started through pg_ctl, which daemonizes the postmaster: it is not a descendant of the JVM that
   * started it, and survives that JVM's SIGKILL. It is found by its data directory instead.
   */
  static List<Long> postgres(Path dataDir) {
    List<Long> pids = new ArrayList<>();
    for (long postmaster : find("postgres", "-D " + dataDir.toAbsolutePath() + " ")) {
      pids.addAll(tree(postmaster));
    }
    return pids;
  }

  /** Stops the PostgreSQL server of {@code dataDir} if one still runs: fast shutdown, then SIGKILL. */
  static void stopPostgres(Path dataDir) {
    List<Long> pids = postgres(dataDir);
    if (pids.isEmpty()) {
      return;
    }
    // SIGINT is PostgreSQL's "fast" shutdown: abort transactions, write a checkpoint, exit.
    run(List.of("kill", "-INT", String.valueOf(pids.get(0))), Path.of("/"), java.util.Map.of(), Duration.ofSeconds(5));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false)) {
      sleep(200);
    }
    postgres(dataDir).forEach(Proc::kill9);
  }

  static String cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** Resident set size in bytes (0 when the process is gone). */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone between listing and reading
    }
    return 0;
  }

  /** Proportional set size in bytes ({@code /proc/<pid>/smaps_rollup}), RSS where the kernel has no rollup; 0 when gone. */
  static long pssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return rssBytes(pid);
    }
    return rssBytes(pid);
  }

  /** utime + stime in clock ticks (USER_HZ, 100 on Linux), 0 when gone. */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The 1-minute load average of the machine. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Waits for a line containing {@code marker} in {@code log}; false when the process died or time ran out. */
  static boolean awaitLine(Child child, String marker, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (contains(child.log(), marker)) {
        return true;
      }
      if (!child.alive()) {
        return contains(child.log(), marker);
      }
      sleep(100);
    }
    return false;
  }

  static boolean contains(Path file, String marker) {
    try {
      return Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(marker);
    } catch (IOException e) {
      return false;
    }
  }

  /** The last {@code lines} lines of a log, for error messages. */
  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
