package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one simulation with the documented command ({@code ./mvnw -pl loadtest gatling:test ...},
 * here with {@code -f loadtest/pom.xml -o}: the harness compiled the module once at its start), while
 * sampling the target, and optionally while a fault plan acts on the target. Collects the Gatling
 * report's statistics, the per-second timeline and the resource usage.
 */
final class GatlingRunner {

  /** What to run. */
  record Spec(String phase, String simulation, double rate, int durationSeconds, int rampSeconds, boolean restock) {
  }

  /** Something done to the target while the load runs; may end the run early through the context. */
  interface Plan {
    void act(Context context) throws Exception;
  }

  /** What a plan sees of the running load. */
  final class Context {
    private final Path timeline;
    private final Path stopFile;
    private final Process process;

    Context(Path timeline, Path stopFile, Process process) {
      this.timeline = timeline;
      this.stopFile = stopFile;
      this.process = process;
    }

    /** Waits until the load has produced {@code seconds} seconds of timeline; false if Gatling ended first. */
    boolean awaitLoad(int seconds) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (System.nanoTime() < deadline && process.isAlive()) {
        if (timeline().points().size() >= seconds) {
          return true;
        }
        Proc.sleep(500);
      }
      return false;
    }

    TimelineData timeline() {
      return TimelineData.read(timeline);
    }

    boolean running() {
      return process.isAlive();
    }

    /** Asks the simulation to stop (it writes its report as usual). */
    void stop() {
      try {
        Files.writeString(stopFile, "stop\n");
      } catch (IOException e) {
        Log.info("cannot write the stop file %s: %s", stopFile, e.getMessage());
      }
    }
  }

  /** A finished run. */
  record Result(String phase, double rate, GatlingStats stats, Path report, TimelineData timeline, List<Sampler.Stat> usage,
      double averageLoad, double maxLoad, Map<String, Long> counts, Map<String, Long> errors, long startMillis, long endMillis,
      String error) {

    boolean ok() {
      return error == null && stats != null;
    }

    /** SLO: p99 of all requests and the share of failures within bounds (and some traffic at all). */
    boolean meets(double p99Ms, double errorPct) {
      return ok() && stats.all().total() > 0 && stats.all().p99() <= p99Ms && stats.all().koPercent() <= errorPct;
    }
  }

  private static volatile Proc.Child current;
  private final Path root;
  private final Options options;

  /** Ends the Gatling run in progress, if any (the harness is being interrupted). */
  static void abortCurrent() {
    Proc.Child child = current;
    if (child != null && child.alive()) {
      List<Long> tree = Proc.tree(child.pid());
      // The forked Gatling JVM first: Maven would otherwise report it as a failure and linger.
      for (int i = tree.size() - 1; i >= 0; i--) {
        Proc.terminate(tree.get(i), Duration.ofSeconds(10));
      }
    }
  }

  GatlingRunner(Path root, Options options) {
    this.root = root;
    this.options = options;
  }

  Result run(Target target, Spec spec, boolean sample, Plan plan) {
    Path runs = target.dir.resolve("runs");
    Path gatlingResults = target.dir.resolve("gatling");
    Path log = runs.resolve(spec.phase() + ".gatling.log");
    Path timeline = runs.resolve(spec.phase() + ".timeline.csv");
    Path stopFile = runs.resolve(spec.phase() + ".stop");
    try {
      Files.createDirectories(runs);
      Files.createDirectories(gatlingResults);
      Files.deleteIfExists(stopFile);
    } catch (IOException e) {
      return failed(spec, "cannot prepare " + runs + ": " + e.getMessage());
    }
    List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-o",
        "-f", root.resolve("loadtest/pom.xml").toString(), "gatling:test",
        "-Dgatling.simulationClass=dev.vertxshop.loadtest." + spec.simulation(),
        "-Dgatling.resultsFolder=" + gatlingResults,
        "-Dgatling.runDescription=" + target.name + " " + spec.phase(),
        // The harness judges the SLO itself; an assertion failure must not read as a crash.
        "-Dgatling.failOnError=false",
        "-DbaseUrl=" + target.baseUrl(),
        "-Drate=" + String.format(Locale.ROOT, "%.3f", spec.rate()),
        "-Dduration=" + spec.durationSeconds(),
        "-Dramp=" + spec.rampSeconds(),
        "-Dusers=" + options.integer("users"),
        "-Dthink=" + options.integer("think"),
        "-Dslo.p99Ms=" + options.integer("slo-p99"),
        "-Dslo.errorPct=" + options.decimal("slo-error"),
        "-Dtimeline=" + timeline,
        "-DstopFile=" + stopFile));
    Map<String, String> env = new LinkedHashMap<>();
    // Through the environment, not the command line (ps would show it); only when a restock is wanted.
    env.put("SHOP_ADMIN_TOKEN", spec.restock() && target.adminToken() != null ? target.adminToken() : "");
    Log.info("%s: %s at %.1f arrivals/s for %d s (+%d s ramp) -> %s", target.name, spec.phase(), spec.rate(),
        spec.durationSeconds(), spec.rampSeconds(), log.startsWith(root) ? root.relativize(log) : log);
    long startMillis = System.currentTimeMillis();
    Proc.Child gatling = Proc.start("gatling", command, env, root, log);
    current = gatling;
    Sampler sampler = null;
    if (sample) {
      sampler = new Sampler(() -> {
        List<Sampler.Usage> usage = new ArrayList<>(target.hostUsage());
        List<Long> tree = Proc.tree(gatling.pid());
        if (tree.size() > 1) {
          // The Maven JVM only waits; its forked child is the load generator.
          usage.add(Sampler.Usage.ofPids("load generator (Gatling JVM)", tree.subList(1, tree.size())));
        }
        return usage;
      }, 3000).start();
    }
    String error = null;
    try {
      if (plan != null) {
        plan.act(new Context(timeline, stopFile, gatling.process()));
      }
      long limit = spec.durationSeconds() + spec.rampSeconds() + 600L;
      if (!gatling.process().waitFor(limit, TimeUnit.SECONDS)) {
        gatling.process().destroyForcibly();
        error = "Gatling did not finish within " + limit + " s";
      }
    } catch (Exception e) {
      error = "plan failed: " + e;
      new Context(timeline, stopFile, gatling.process()).stop();
      try {
        gatling.process().waitFor(spec.durationSeconds() + 300L, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      if (sampler != null) {
        sampler.close();
      }
    }
    current = null;
    long endMillis = System.currentTimeMillis();
    Path report = newestReport(gatlingResults, spec.simulation(), startMillis);
    GatlingStats stats = null;
    if (report == null) {
      error = (error == null ? "" : error + "; ") + "no Gatling report (see " + root.relativize(log) + "):\n" + Proc.tail(log, 25);
    } else {
      try {
        stats = GatlingStats.parse(report.resolve("index.html"));
      } catch (IOException | IllegalArgumentException e) {
        error = (error == null ? "" : error + "; ") + "cannot read " + report + ": " + e.getMessage();
      }
    }
    Map<String, Long> counts = readCounts(Path.of(timeline + ".counts"));
    Map<String, Long> errors = readCounts(Path.of(timeline + ".errors"));
    Result result = new Result(spec.phase(), spec.rate(), stats, report, TimelineData.read(timeline),
        sampler == null ? List.of() : sampler.stats(), sampler == null ? Proc.loadAverage() : sampler.averageLoad(),
        sampler == null ? -1 : sampler.maxLoad(), counts, errors, startMillis, endMillis, error);
    if (stats != null) {
      Log.info("%s: %s: %d requests, %.2f %% failed, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, %.1f req/s%s", target.name, spec.phase(),
          stats.all().total(), stats.all().koPercent(), stats.all().p50(), stats.all().p95(), stats.all().p99(),
          stats.all().perSecond(), (counts.isEmpty() ? "" : ", " + counts) + (errors.isEmpty() ? "" : ", failed by status " + errors));
    } else {
      Log.info("%s: %s failed: %s", target.name, spec.phase(), result.error());
    }
    return result;
  }

  private static Result failed(Spec spec, String error) {
    long now = System.currentTimeMillis();
    return new Result(spec.phase(), spec.rate(), null, null, new TimelineData(List.of()), List.of(), -1, -1, Map.of(), Map.of(), now, now,
        error);
  }

  /** The report directory Gatling made for this run: {@code <simulation>-<timestamp>/index.html}, newest. */
  static Path newestReport(Path results, String simulation, long notBeforeMillis) {
    String prefix = simulation.toLowerCase(Locale.ROOT) + "-";
    try (Stream<Path> dirs = Files.list(results)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(prefix))
          .filter(d -> Files.exists(d.resolve("index.html")))
          .filter(d -> d.toFile().lastModified() >= notBeforeMillis - 1000)
          .max(Comparator.comparingLong(d -> d.toFile().lastModified()))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  static Map<String, Long> readCounts(Path file) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            counts.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
          }
        }
      }
    } catch (IOException | NumberFormatException ignored) {
      // counts are a bonus
    }
    return counts;
  }

  static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
