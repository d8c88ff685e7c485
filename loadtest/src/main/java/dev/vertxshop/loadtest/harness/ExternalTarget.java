package dev.vertxshop.loadtest.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A shop someone else runs (Kubernetes, Nomad, a VM): the harness only knows its URL and the shell
 * commands the operator gives for readiness, killing one instance, bringing it back and rolling a
 * restart. It starts and stops nothing; time to ready and per-process memory are not measured (the
 * optional {@code --stats-cmd} output is kept in the report instead).
 */
final class ExternalTarget extends Target {

  ExternalTarget(Options options) {
    super(options.text("name"), options);
    if (!options.has("base-url")) {
      throw new IllegalArgumentException("the external target needs --base-url");
    }
  }

  @Override
  String baseUrl() {
    String url = options.text("base-url");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  String adminToken() {
    return options.has("admin-token") ? options.text("admin-token") : null;
  }

  @Override
  Readiness start() {
    long waited = Http.await(this::ready, () -> true, Duration.ofMinutes(10));
    if (waited < 0) {
      throw new IllegalStateException(baseUrl() + " is not ready (GET /api/products" + (options.has("ready-cmd") ? ", --ready-cmd" : "") + ")");
    }
    stats("before the runs");
    return new Readiness(-1, Map.of(), "not measured: the operator started it");
  }

  @Override
  boolean ready() {
    if (options.has("ready-cmd") && !Proc.sh(options.text("ready-cmd"), root, Duration.ofMinutes(2)).ok()) {
      return false;
    }
    return Http.ok(baseUrl() + "/api/products?size=1");
  }

  @Override
  List<Sampler.Usage> usage() {
    return List.of();
  }

  @Override
  boolean canKill() {
    return options.has("kill-cmd");
  }

  @Override
  String kill() {
    Proc.Result result = Proc.sh(options.text("kill-cmd"), root, Duration.ofMinutes(2));
    if (!result.output().isBlank()) {
      notes.add("kill command output: " + result.output().trim());
    }
    return "`" + options.text("kill-cmd") + "`" + (result.ok() ? "" : " (exit " + result.exit() + ")");
  }

  @Override
  long restore() {
    long start = System.nanoTime();
    if (options.has("restore-cmd")) {
      Proc.sh(options.text("restore-cmd"), root, Duration.ofMinutes(10));
    }
    long waited = Http.await(this::ready, () -> true, Duration.ofMinutes(10));
    return waited < 0 ? -1 : (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  Roll roll() {
    if (!options.has("rolling-cmd")) {
      return null;
    }
    long start = System.nanoTime();
    Proc.Result result = Proc.sh(options.text("rolling-cmd"), root, Duration.ofMinutes(20));
    List<String> steps = new ArrayList<>();
    steps.add(String.format("`%s` exited %d after %d ms", options.text("rolling-cmd"), result.exit(), (System.nanoTime() - start) / 1_000_000));
    result.output().lines().limit(20).forEach(steps::add);
    return new Roll("operator command", steps, result.ok());
  }

  @Override
  void stop() {
    stats("after the runs");
  }

  private void stats(String when) {
    if (options.has("stats-cmd")) {
      Proc.Result result = Proc.sh(options.text("stats-cmd"), root, Duration.ofMinutes(2));
      notes.add("resources " + when + " (`" + options.text("stats-cmd") + "`):\n\n```\n" + result.output().trim() + "\n```");
    }
  }

  @Override
  String describe() {
    return "Run by the operator at " + baseUrl() + "; faults through the commands given on the command line.";
  }
}
