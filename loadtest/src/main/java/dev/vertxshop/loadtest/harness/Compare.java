package dev.vertxshop.loadtest.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The comparison harness: the targets given (all-in-one, processes, Compose, Kubernetes, Nomad, an
 * external URL) measured in interleaved rounds (A B C, A B C, ...). In each round a target is brought up
 * and timed to ready, warmed up, run at the steady rate while every replica's own {@code /metrics} and the
 * host are sampled, swept with rising rates until the SLO breaks, and hurt under load by each fault on each
 * fault service (kill -9, graceful stop, rolling update, node drain), then torn down. The report
 * (Markdown, offline HTML with charts, JSON) under {@code loadtest/results/} gives every figure as the
 * median and the range of the rounds.
 *
 * <p>Run it with {@code loadtest/compare.sh [options]} ({@code --help} lists them).
 */
public final class Compare {

  private Compare() {
  }

  public static void main(String[] args) {
    Path root = Path.of(System.getProperty("shop.root", ".")).toAbsolutePath().normalize();
    Options options;
    List<Schedule.Slot> slots;
    try {
      options = new Options(root, args);
      List<TargetSpec> targets = TargetSpec.parse(options.list("targets"), options.has("base-url") ? options.text("name") : null);
      slots = Schedule.interleaved(targets, options.integer("rounds"));
      Fault.parse(options.list("faults"));
    } catch (Options.HelpRequested help) {
      System.out.println(Options.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status = new Compare().run(options, slots);
    System.exit(status);
  }

  private int run(Options options, List<Schedule.Slot> slots) {
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
    Log.info("schedule: %s", slots);
    // The jars as they are now: other work may rebuild them while the comparison runs.
    List<String> kinds = slots.stream().map(s -> s.target().kind()).distinct().toList();
    if (kinds.contains("all-in-one") || kinds.contains("processes")) {
      Target.jar(options, "launcher/target/shop.jar");
    }
    if (kinds.contains("processes")) {
      for (String service : Target.SERVICES) {
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
    for (Schedule.Slot slot : slots) {
      Target target;
      try {
        target = create(slot.target(), options, slot.round());
      } catch (IllegalArgumentException e) {
        Log.info("%s", e.getMessage());
        return 2;
      }
      current.set(target);
      TargetResult result = new Round(target, slot.target().kind(), options).measure();
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

  static Target create(TargetSpec spec, Options options, int round) {
    return switch (spec.kind()) {
      case "all-in-one" -> new AllInOneTarget(options, round);
      case "processes" -> new ProcessesTarget(options, round);
      case "compose" -> new ComposeTarget(options, round);
      case "k8s" -> new KubernetesTarget(spec, options, round);
      case "nomad" -> new NomadTarget(spec, options, round);
      case "external" -> new ExternalTarget(spec, options, round);
      default -> throw new IllegalArgumentException("unknown target " + spec.kind());
    };
  }

  /** One round of one target: every phase, then the teardown. */
  static final class Round {
    private final Target target;
    private final Options options;
    private final TargetResult result;
    private final GatlingRunner runner;
    private MetricsSampler metrics;

    Round(Target target, String kind, Options options) {
      this.target = target;
      this.options = options;
      this.result = new TargetResult(target.name, kind, target.round);
      this.runner = new GatlingRunner(options.root, options);
    }

    TargetResult measure() {
      result.baseUrl = target.baseUrl();
      String simulation = options.text("simulation");
      double rate = options.decimal("rate");
      int ramp = options.integer("ramp");
      result.startMillis = System.currentTimeMillis();
      result.loadAtStart = Proc.loadAverage();
      try {
        Log.info("%s round %d: starting (load average %.2f)", target.name, target.round, result.loadAtStart);
        result.limits = target.limits();
        result.readiness = target.start();
        result.limits = target.limits();
        result.baseUrl = target.baseUrl();
        result.description = target.describe();
        Log.info("%s: entry point 200 after %d ms, every replica ready after %d ms %s", target.name, result.readiness.entryMillis(),
            result.readiness.allReadyMillis(), result.readiness.services());
        metrics = new MetricsSampler(target::endpoints, options.integer("metrics-period")).start();

        // At rest: what the target holds before any traffic.
        long restFrom = System.currentTimeMillis();
        Proc.sleep(5000);
        Sampler idle = new Sampler(target::hostUsage, 3000);
        idle.sampleOnce();
        Proc.sleep(3000);
        idle.sampleOnce();
        result.idle = idle.stats();
        result.idleMetrics = metrics.stats(restFrom, System.currentTimeMillis());

        result.warmup = runner.run(target, new GatlingRunner.Spec("warmup", simulation, rate, options.integer("warmup"), ramp, true), false, null);
        settle();
        result.steady = runner.run(target, new GatlingRunner.Spec("steady", simulation, rate, options.integer("duration"), ramp, false), true, null);
        result.steadyMetrics = metrics.stats(result.steady.startMillis(), result.steady.endMillis());
        settle();

        sweep();

        for (Fault fault : Fault.parse(options.list("faults"))) {
          for (String service : options.list("fault-services")) {
            result.faults.add(fault(fault, service));
          }
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
        if (metrics != null) {
          metrics.close();
          result.series = metrics.series();
        }
        if (result.description == null) {
          result.description = target.describe();
        }
        Log.info("%s: tearing down", target.name);
        target.stop();
        result.notes.addAll(target.notes);
        result.facts.putAll(target.facts);
        result.loadAtEnd = Proc.loadAverage();
        result.endMillis = System.currentTimeMillis();
      }
      return result;
    }

    /** Rising rates until the SLO breaks; the highest passing rate is the sustainable one. */
    private void sweep() {
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
        settle();
      }
      if (result.sweepVerdict == null) {
        result.sweepVerdict = "the SLO held up to the highest rate tried: try higher --sweep rates";
      }
      Log.info("%s: sweep: highest sustainable rate %s (%s)", target.name,
          result.sustainableRate == null ? "none" : result.sustainableRate + "/s", result.sweepVerdict);
      settle();
    }

    /**
     * A run at the steady rate during which {@code fault} hits one replica of {@code service}. While the
     * load runs, the harness polls the fault's progress and what the orchestrator shows (every change is
     * kept, with its time), and the replicas' /metrics are read every 500 ms; the run ends once the
     * orchestrator has done its part and the shop has been error-free for {@code --quiet} seconds.
     */
    TargetResult.FaultRun fault(Fault fault, String service) {
      TargetResult.FaultRun run = new TargetResult.FaultRun(fault, service);
      String phase = fault.id + "-" + service;
      Fault.Action action;
      try {
        action = target.fault(fault, service);
      } catch (Fault.NotApplicable e) {
        run.notApplicable = e.getMessage();
        Log.info("%s: %s of %s: not applicable (%s)", target.name, fault.id, service, e.getMessage());
        return run;
      } catch (RuntimeException e) {
        run.error = e.getMessage();
        Log.info("%s: %s of %s: cannot be prepared: %s", target.name, fault.id, service, e.getMessage());
        return run;
      }
      run.what = action.what();
      int killAfter = options.integer("kill-after");
      int quiet = options.integer("quiet");
      int max = options.integer("fault-max");
      int poll = options.integer("poll-ms");
      GatlingRunner.Plan plan = context -> {
        if (!context.awaitLoad(killAfter)) {
          throw new IllegalStateException("the load did not start");
        }
        Map<String, String> before = target.observe(service);
        metrics.period(500);
        run.actionStartMillis = System.currentTimeMillis();
        Log.info("%s: %s of %s now (load average %.2f): %s", target.name, fault.id, service, Proc.loadAverage(), run.what);
        try {
          action.begin();
          long deadline = run.actionStartMillis + max * 1000L;
          while (System.currentTimeMillis() < deadline && context.running()) {
            if (run.finishedMillis == 0 && action.finished()) {
              run.finishedMillis = System.currentTimeMillis();
              Log.info("%s: %s of %s: the orchestrator's part is done after %d ms", target.name, fault.id, service,
                  run.finishedMillis - run.actionStartMillis);
            }
            Map<String, String> now = target.observe(service);
            record(run, before, now);
            before = now;
            TimelineData timeline = context.timeline();
            long since = run.actionStartMillis / 1000;
            for (TimelineData.Point point : timeline.points()) {
              if (point.second() >= run.actionStartMillis / 1000 && point.ko() > 0) {
                since = Math.max(since, point.second() + 1);
              }
            }
            boolean settled = run.finishedMillis > 0 && System.currentTimeMillis() - Math.max(run.finishedMillis, run.actionStartMillis + 10_000) >= 0;
            if (settled && timeline.quietSecondsSince(since) >= quiet) {
              break;
            }
            Proc.sleep(poll);
          }
        } finally {
          metrics.period(options.integer("metrics-period"));
          context.stop();
        }
      };
      int duration = killAfter + max + 30;
      run.run = runner.run(target, new GatlingRunner.Spec(phase, options.text("simulation"), options.decimal("rate"), duration, 5, false), false, plan);
      run.milestones.addAll(action.milestones());
      if (run.actionStartMillis > 0) {
        long end = run.run.endMillis();
        run.impact = run.run.timeline().impact(run.actionStartMillis, run.finishedMillis > 0 ? run.finishedMillis : end, quiet);
        run.cluster = metrics.cluster(run.actionStartMillis, end);
        try {
          run.logs.addAll(LogScan.scan(target.logText(run.actionStartMillis, end), run.actionStartMillis - 2000, end));
        } catch (RuntimeException e) {
          Log.info("%s: cannot read the logs: %s", target.name, e.getMessage());
        }
        Log.info("%s: %s of %s: %d of %d requests failed from the fault on; error-free %s; the shop set a peer aside %s", target.name,
            fault.id, service, run.impact.failed(), run.impact.total(),
            run.impact.recovered() ? "after " + run.impact.recoveryMillis() + " ms" : "NOT within the run",
            run.shopAsideMillis() < 0 ? "never" : "after " + run.shopAsideMillis() + " ms");
      } else {
        run.error = run.run.error();
      }
      action.end();
      settle();
      return run;
    }

    private static void record(TargetResult.FaultRun run, Map<String, String> before, Map<String, String> now) {
      long at = System.currentTimeMillis();
      Map<String, String> all = new LinkedHashMap<>(before);
      now.forEach(all::putIfAbsent);
      for (String key : all.keySet()) {
        String was = before.get(key);
        String is = now.get(key);
        if (was == null) {
          run.observed.add(new Fault.Milestone(at, "orchestrator", key + ": new (" + is + ")"));
        } else if (is == null) {
          run.observed.add(new Fault.Milestone(at, "orchestrator", key + ": gone (was " + was + ")"));
        } else if (!was.equals(is)) {
          run.observed.add(new Fault.Milestone(at, "orchestrator", key + ": " + was + " → " + is));
        }
      }
    }

    /** Lets queues drain between runs and makes sure every replica is ready before the next one. */
    private void settle() {
      Proc.sleep(3000);
      if (!target.poll(target::ready, Duration.ofMinutes(3))) {
        Log.info("%s: not every replica is ready after 3 minutes; going on", target.name);
      }
    }
  }
}
