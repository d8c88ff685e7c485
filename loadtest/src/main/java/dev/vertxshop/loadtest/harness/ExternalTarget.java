package dev.vertxshop.loadtest.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop someone else runs (a VM, a platform the harness has no target for): the harness only knows its
 * URL and the shell commands the operator gives for readiness, a kill, bringing it back and a rolling
 * update. It starts and stops nothing; time to ready and per-replica figures are not measured (the
 * optional {@code --stats-cmd} output is kept in the report instead). Kubernetes and Nomad have targets
 * of their own ({@code k8s=...}, {@code nomad=...}).
 */
final class ExternalTarget extends Target {

  private final String url;

  ExternalTarget(TargetSpec target, Options options, int round) {
    super(target.name(), options, round);
    String given = target.argument() != null ? target.argument() : options.text("base-url");
    if (given == null || given.isBlank()) {
      throw new IllegalArgumentException("the external target needs a URL: --targets external=URL (or --base-url)");
    }
    this.url = given.endsWith("/") ? given.substring(0, given.length() - 1) : given;
  }

  @Override
  String baseUrl() {
    return url;
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
    return new Readiness(-1, -1, Map.of(), Map.of(), "not measured: the operator started it");
  }

  @Override
  List<Endpoint> endpoints() {
    return List.of();
  }

  @Override
  int expectedReplicas() {
    return 0;
  }

  @Override
  boolean ready() {
    if (options.has("ready-cmd") && !Proc.sh(options.text("ready-cmd"), root, Duration.ofMinutes(2)).ok()) {
      return false;
    }
    return Http.ok(baseUrl() + "/api/products?size=1");
  }

  @Override
  Fault.Action fault(Fault fault, String service) {
    String command = switch (fault) {
      case KILL_9 -> options.has("kill-cmd") ? options.text("kill-cmd") : null;
      case ROLLING_UPDATE -> options.has("rolling-cmd") ? options.text("rolling-cmd") : null;
      default -> null;
    };
    if (command == null) {
      throw new Fault.NotApplicable("no operator command for it (--kill-cmd, --rolling-cmd)");
    }
    return new Fault.Action() {
      private final List<Fault.Milestone> milestones = new ArrayList<>();
      private boolean restored;

      @Override
      public String what() {
        return "the operator's command `" + command + "`";
      }

      @Override
      public void begin() {
        Proc.Result result = Proc.sh(command, root, Duration.ofMinutes(20));
        milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "command exited " + result.exit()));
        if (!result.output().isBlank()) {
          notes.add(fault.id + " command output: " + result.output().trim());
        }
      }

      @Override
      public boolean finished() {
        if (!restored && fault == Fault.KILL_9 && options.has("restore-cmd")) {
          Proc.sh(options.text("restore-cmd"), root, Duration.ofMinutes(10));
          restored = true;
        }
        return ready();
      }

      @Override
      public List<Fault.Milestone> milestones() {
        return List.copyOf(milestones);
      }

      @Override
      public void end() {
        poll(ExternalTarget.this::ready, Duration.ofMinutes(10));
      }
    };
  }

  @Override
  Map<String, String> observe(String service) {
    return new LinkedHashMap<>();
  }

  @Override
  List<Limits.Service> limits() {
    return List.of();
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
