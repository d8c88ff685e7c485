package dev.vertxshop.loadtest.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The comparison harness: for each target (all-in-one, processes, Compose, or an external URL) it brings
 * the shop up and times it to ready, warms up, runs the same simulation at the same rate while sampling
 * CPU and memory, sweeps rising rates until the SLO breaks, kills one instance under load and times the
 * recovery, rolls a restart under load and counts the failed requests, tears the target down, and
 * writes one side-by-side report (Markdown, HTML with charts, JSON) under {@code loadtest/results/}.
 *
 * <p>Run it with {@code loadtest/compare.sh [options]} ({@code --help} lists them).
 */
public final class Compare {

  private Compare() {
  }

  public static void main(String[] args) {
    Path root = Path.of(System.getProperty("shop.root", ".")).toAbsolutePath().normalize();
    Options options;
    try {
      options = new Options(root, args);
    } catch (Options.HelpRequested help) {
      System.out.println(Options.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status = new Compare().run(options);
    System.exit(status);
  }

  private int run(Options options) {
    Path out = options.out();
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      System.err.println("cannot create " + out + ": " + e.getMessage());
      return 2;
    }
    Log.to(out.resolve("harness.log"));
    Environment environment = Environment.capture(options.root);
    Log.info("results in %s", out);
    Log.info("machine: %s", environment.summary());
    // The jars as they are now: other work may rebuild them while the comparison runs.
    List<String> targets = options.list("targets");
    if (targets.contains("all-in-one") || targets.contains("processes")) {
      Target.jar(options, "launcher/target/shop.jar");
    }
    if (targets.contains("processes")) {
      for (String service : ProcessesTarget.SERVICES) {
        Target.jar(options, "verticles/" + service + "/target/shop-" + service + "-0.1.0-SNAPSHOT-fat.jar");
      }
      Target.jar(options, "verticles/payment-provider/target/shop-payment-provider-0.1.0-SNAPSHOT-fat.jar");
    }
    List<TargetResult> results = new ArrayList<>();
    AtomicReference<Target> current = new AtomicReference<>();
    Thread hook = new Thread(() -> {
      GatlingRunner.abortCurrent();
      Target target = current.get();
      if (target != null) {
        Log.info("%s: interrupted, tearing down", target.name);
        target.stop();
      }
    }, "harness-teardown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean failures = false;
    for (String name : options.list("targets")) {
      Target target;
      try {
        target = create(name, options);
      } catch (IllegalArgumentException e) {
        Log.info("%s", e.getMessage());
        return 2;
      }
      current.set(target);
      TargetResult result = measure(target, options);
      current.set(null);
      results.add(result);
      failures |= result.error != null;
      Report.write(out, options, environment, results);
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    Report.write(out, options, environment, results);
    deleteTree(out.resolve("jars"));
    Log.info("report: %s", out.resolve("report.md"));
    Log.info("        %s", out.resolve("report.html"));
    return failures ? 1 : 0;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      Log.info("cannot delete %s: %s", dir, e.getMessage());
    }
  }

  static Target create(String name, Options options) {
    return switch (name) {
      case "all-in-one" -> new AllInOneTarget(options);
      case "processes" -> new ProcessesTarget(options);
      case "compose" -> new ComposeTarget(options);
      case "external" -> new ExternalTarget(options);
      default -> throw new IllegalArgumentException("unknown target " + name + " (all-in-one, processes, compose, external)");
    };
  }

  private TargetResult measure(Target target, Options options) {
    TargetResult result = new TargetResult(target.name);
    result.baseUrl = target.baseUrl();
    GatlingRunner runner = new GatlingRunner(options.root, options);
    String simulation = options.text("simulation");
    double rate = options.decimal("rate");
    int ramp = options.integer("ramp");
    try {
      Log.info("%s: starting (load average %.2f)", target.name, Proc.loadAverage());
      result.readiness = target.start();
      result.description = target.describe();
      Log.info("%s: ready%s %s", target.name, result.readiness.totalMillis() < 0 ? "" : " in " + result.readiness.totalMillis() + " ms",
          result.readiness.parts());

      // At rest: what the target holds before any traffic.
      Proc.sleep(5000);
      Sampler idle = new Sampler(target::usage, 3000);
      idle.sampleOnce();
      Proc.sleep(3000);
      idle.sampleOnce();
      result.idle = idle.stats();
      result.idleLoad = Proc.loadAverage();

      result.warmup = runner.run(target, new GatlingRunner.Spec("warmup", simulation, rate, options.integer("warmup"), ramp, true), false, null);
      settle(target);
      result.steady = runner.run(target, new GatlingRunner.Spec("steady", simulation, rate, options.integer("duration"), ramp, false), true, null);
      settle(target);

      sweep(target, options, runner, result);

      if (options.yes("faults")) {
        if (target.canKill()) {
          result.kill = fault(target, options, runner, "kill", () -> target.kill());
          long restore = target.restore();
          result.kill.restoreMillis = restore;
          Log.info("%s: the killed instance is back and ready %s", target.name, restore < 0 ? "NEVER" : "after " + restore + " ms");
          settle(target);
        } else {
          result.notes.add("no kill: " + target.faultService() + " has a single instance here (or no --kill-cmd)");
        }
        result.roll = fault(target, options, runner, "rolling-restart", () -> target.roll());
        settle(target);
      }
    } catch (Target.Unavailable e) {
      result.skipped = e.getMessage();
      Log.info("%s: skipped: %s", target.name, e.getMessage());
    } catch (RuntimeException e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      result.error = e.getMessage();
      Log.info("%s: failed: %s", target.name, trace);
    } finally {
      if (result.description == null) {
        result.description = target.describe();
      }
      Log.info("%s: tearing down", target.name);
      target.stop();
      result.notes.addAll(target.notes);
      result.facts.putAll(target.facts);
    }
    return result;
  }

  /** Rising rates until the SLO breaks; the highest passing rate is the sustainable one. */
  private void sweep(Target target, Options options, GatlingRunner runner, TargetResult result) {
    List<Double> rates = options.rates("sweep");
    if (rates.isEmpty()) {
      return;
    }
    double p99 = options.integer("slo-p99");
    double errors = options.decimal("slo-error");
    for (double rate : rates) {
      GatlingRunner.Result step = runner.run(target, new GatlingRunner.Spec(
          String.format(Locale.ROOT, "sweep-%05.1f", rate), options.text("simulation"), rate, options.integer("sweep-duration"), 5, false), true, null);
      result.sweep.add(step);
      if (step.meets(p99, errors)) {
        result.sustainableRate = rate;
      } else {
        result.sweepVerdict = !step.ok() ? "the run at " + rate + "/s failed: " + step.error()
            : String.format(Locale.ROOT, "SLO broken at %.1f/s: p99 %.0f ms (max %.0f), errors %.2f %% (max %.2f)",
                rate, step.stats().all().p99(), p99, step.stats().all().koPercent(), errors);
        break;
      }
      settle(target);
    }
    if (result.sweepVerdict == null) {
      result.sweepVerdict = "the SLO held up to the highest rate tried: try higher --sweep rates";
    }
    Log.info("%s: sweep: highest sustainable rate %s (%s)", target.name,
        result.sustainableRate == null ? "none" : result.sustainableRate + "/s", result.sweepVerdict);
    settle(target);
  }

  /** A run at the steady rate, during which {@code action} hurts the target; ends once the shop is error-free again. */
  private TargetResult.Fault fault(Target target, Options options, GatlingRunner runner, String phase, Supplier<Object> action) {
    TargetResult.Fault fault = new TargetResult.Fault();
    int killAfter = options.integer("kill-after");
    int quiet = options.integer("quiet");
    int max = options.integer("fault-max");
    GatlingRunner.Plan plan = context -> {
      if (!context.awaitLoad(killAfter)) {
        throw new IllegalStateException("the load did not start");
      }
      fault.actionStartMillis = System.currentTimeMillis();
      Log.info("%s: %s now (load average %.2f)", target.name, phase, Proc.loadAverage());
      Object outcome = action.get();
      fault.actionEndMillis = System.currentTimeMillis();
      if (outcome instanceof Target.Roll roll) {
        fault.roll = roll;
        fault.what = roll.what();
        roll.steps().forEach(step -> Log.info("%s:   %s", target.name, step));
      } else {
        fault.what = String.valueOf(outcome);
      }
      Log.info("%s: %s done in %d ms: %s", target.name, phase, fault.actionEndMillis - fault.actionStartMillis, fault.what);
      long deadline = fault.actionStartMillis + max * 1000L;
      while (System.currentTimeMillis() < deadline && context.running()) {
        TimelineData timeline = context.timeline();
        long since = fault.actionEndMillis / 1000;
        for (TimelineData.Point point : timeline.points()) {
          if (point.second() >= fault.actionStartMillis / 1000 && point.ko() > 0) {
            since = Math.max(since, point.second() + 1);
          }
        }
        boolean settledAfterAction = System.currentTimeMillis() - fault.actionEndMillis >= 10_000;
        if (settledAfterAction && timeline.quietSecondsSince(since) >= quiet) {
          break;
        }
        Proc.sleep(1000);
      }
      context.stop();
    };
    int duration = killAfter + max + 30;
    fault.run = runner.run(target, new GatlingRunner.Spec(phase, options.text("simulation"), options.decimal("rate"), duration, 5, false), false, plan);
    if (fault.actionStartMillis > 0) {
      fault.impact = fault.run.timeline().impact(fault.actionStartMillis, fault.actionEndMillis, quiet);
      Log.info("%s: %s: %d of %d requests failed from the fault on; error-free %s", target.name, phase,
          fault.impact.failed(), fault.impact.total(),
          fault.impact.recovered() ? "after " + fault.impact.recoveryMillis() + " ms" : "NOT reached within the run");
    } else {
      fault.error = fault.run.error();
    }
    return fault;
  }

  /** Lets queues drain between runs and makes sure every replica is ready before the next one. */
  private static void settle(Target target) {
    Proc.sleep(3000);
    long waited = Http.await(target::ready, () -> true, Duration.ofMinutes(3));
    if (waited < 0) {
      Log.info("%s: not every replica is ready after 3 minutes; going on", target.name);
    }
  }
}
