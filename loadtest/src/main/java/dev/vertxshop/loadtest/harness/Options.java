package dev.vertxshop.loadtest.harness;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The harness's command line: {@code --name value} pairs, each with a default sized for 2 cores. */
final class Options {

  static final String USAGE = """
      usage: loadtest/compare.sh [--name value]...

      what to compare
        --targets LIST          comma-separated, measured in interleaved rounds (A B C, A B C, ...):
                                  all-in-one, processes, compose        run here by the harness
                                  k8s[=KUBECONFIG|=https://API-SERVER]  applies k8s/ (or --k8s-helm) itself
                                  nomad[=http://NOMAD:4646]             runs the nomad/ jobs itself
                                  external=URL                          a shop someone else runs
                                (default all-in-one,processes,compose)
        --rounds N              rounds per target; every figure is reported as median (min-max) (3)
        --simulation NAME       Mixed (default), Browse, Shopper: the same for every target
        --rate R                arrivals (sessions) per second of the steady run and the fault runs (8)
        --warmup S              warm-up seconds at that rate, not reported (30)
        --duration S            steady-run seconds (60)
        --ramp S                seconds to ramp up to the rate (10)
        --users N               pool of signed-in shoppers for the cart and checkout flows (40)
        --think MS              longest pause between two steps of a session (200)
        --slo-p99 MS            SLO: p99 of every request at most this (1000)
        --slo-error PCT         SLO: failed requests at most this percent (1.0)
      capacity sweep
        --sweep LIST            rising rates until the SLO breaks (4,8,12,16,24,32,48); "none" skips
        --sweep-duration S      seconds per step (40)
      faults (each under load, in every round)
        --faults LIST           kill-9, graceful-stop, rolling-update, node-drain; all (default) or none
        --fault-services LIST   the services they hit, one replica each (catalog,gateway)
        --kill-after S          seconds into the fault run before the fault (20)
        --quiet S               error-free seconds that count as recovered (15)
        --fault-max S           longest fault run (240)
        --roll-tag TAG          image tag of the rolling update (0.1.0-roll; Compose tags it locally,
                                a cluster must be able to pull it)
      local targets
        --catalog-replicas N    catalog processes of the processes target (2)
        --gateway-replicas N    gateway processes of the processes target, behind a TCP edge when > 1 (2)
        --jvm-opts "..."        JVM options of each service process
                                (-XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1 -XX:+ExitOnOutOfMemoryError)
        --aio-jvm-opts "..."    JVM options of the all-in-one JVM (-XX:MaxRAM=2g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError)
        --compose-project NAME  Compose project (vertx-shop-loadtest)
        --compose-cmd CMD       "docker compose", "docker-compose", or auto (the plugin if it answers)
        --compose-build yes|no  build missing images with docker/build-images.sh (no)
        --port-base N           first port of the harness's range (18000)
      Kubernetes
        --k8s-overlay NAME      k8s/overlays/NAME, applied with kubectl apply -k (dev)
        --k8s-namespace NS      its namespace (vertx-shop-dev)
        --k8s-helm CHART        helm upgrade --install this chart instead (optional)
        --k8s-release NAME      the Helm release (vertx-shop)
        --k8s-entry URL         the entry point (Ingress, NodePort); default: kubectl port-forward svc/gateway
        --k8s-debug-namespace NS  where the node debugging pod of kill-9 runs (default)
      Nomad
        --nomad-jobs LIST       the job files of nomad/, run in this order (postgres,kafka,payment-provider,shop,edge)
        --nomad-entry URL       the entry point; default: the edge service's address
      external target
        --base-url URL          the shop's public URL (or external=URL)
        --name NAME             label in the report (external)
        --admin-token T         to restock before the runs (optional)
        --ready-cmd CMD         exits 0 when every replica is ready (optional)
        --kill-cmd CMD          kills one instance (kill-9; optional)
        --restore-cmd CMD       brings it back and waits (optional)
        --rolling-cmd CMD       rolls an update through the service and returns when done (rolling-update; optional)
        --stats-cmd CMD         prints per-instance CPU and memory, kept in the report (optional)
      output
        --out DIR               results directory (loadtest/results/<timestamp>)
        --metrics-period MS     how often every replica's /metrics is read (2000; 500 during a fault)
        --poll-ms MS            how often the harness looks at a fault's progress (1000)
      """;

  private static final List<String> EXTRA = List.of("base-url", "admin-token", "ready-cmd", "kill-cmd", "restore-cmd",
      "rolling-cmd", "stats-cmd", "roll-tag", "k8s-helm", "k8s-entry", "nomad-entry");

  final Map<String, String> values = new LinkedHashMap<>();
  final Path root;
  /** The arguments as given, for the report's "exact command". */
  final List<String> args;

  Options(Path root, String[] args) {
    this.root = root;
    this.args = List.of(args);
    values.put("targets", "all-in-one,processes,compose");
    values.put("rounds", "3");
    values.put("simulation", "Mixed");
    values.put("rate", "8");
    values.put("warmup", "30");
    values.put("duration", "60");
    values.put("ramp", "10");
    values.put("users", "40");
    values.put("think", "200");
    values.put("slo-p99", "1000");
    values.put("slo-error", "1.0");
    values.put("sweep", "4,8,12,16,24,32,48");
    values.put("sweep-duration", "40");
    values.put("faults", "all");
    values.put("fault-services", "catalog,gateway");
    values.put("kill-after", "20");
    values.put("quiet", "15");
    values.put("fault-max", "240");
    values.put("catalog-replicas", "2");
    values.put("gateway-replicas", "2");
    // Each service JVM sees what a Compose container gives it (cpus 1.0, 768 MiB, MaxRAMPercentage=75), so
    // that processes and Compose differ by Docker, not by JVM ergonomics (a JVM that sees 24 GiB and 2
    // cores picks G1 and commits a 384 MiB initial heap; one that sees a container picks Serial and 12 MiB).
    values.put("jvm-opts", "-XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1 -XX:+ExitOnOutOfMemoryError");
    values.put("aio-jvm-opts", "-XX:MaxRAM=2g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
    values.put("compose-project", "vertx-shop-loadtest");
    values.put("compose-cmd", "auto");
    values.put("compose-build", "no");
    values.put("port-base", "18000");
    values.put("k8s-overlay", "dev");
    values.put("k8s-namespace", "vertx-shop-dev");
    values.put("k8s-release", "vertx-shop");
    values.put("k8s-debug-namespace", "default");
    values.put("nomad-jobs", "postgres,kafka,payment-provider,shop,edge");
    values.put("name", "external");
    values.put("metrics-period", "2000");
    values.put("poll-ms", "1000");
    values.put("out", root.resolve("loadtest/results")
        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toString());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new HelpRequested();
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name value)");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (name.equals("fault-service")) {
        // The option of earlier versions: one service.
        name = "fault-services";
      }
      if (!values.containsKey(name) && !EXTRA.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "\n\n" + USAGE);
      }
      values.put(name, value);
    }
  }

  /** Thrown for --help. */
  static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(null, null, false, false);
    }
  }

  String text(String name) {
    return values.get(name);
  }

  boolean has(String name) {
    String value = values.get(name);
    return value != null && !value.isBlank();
  }

  boolean yes(String name) {
    return List.of("yes", "true", "1", "on").contains(values.getOrDefault(name, "no").toLowerCase());
  }

  int integer(String name) {
    try {
      return Integer.parseInt(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " " + values.get(name) + " is not an integer");
    }
  }

  double decimal(String name) {
    try {
      return Double.parseDouble(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " " + values.get(name) + " is not a number");
    }
  }

  List<String> list(String name) {
    String value = values.getOrDefault(name, "");
    if (value.isBlank() || value.equals("none")) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  List<Double> rates(String name) {
    List<Double> rates = new ArrayList<>();
    for (String value : list(name)) {
      try {
        rates.add(Double.parseDouble(value));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + ": " + value + " is not a rate");
      }
    }
    rates.sort(Double::compare);
    return rates;
  }

  List<String> words(String name) {
    String value = values.getOrDefault(name, "");
    return value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
  }

  Path out() {
    return Path.of(values.get("out")).toAbsolutePath();
  }

  /** The command line as given, quoted so that a shell reads it back. */
  String command() {
    List<String> words = new ArrayList<>(List.of("loadtest/compare.sh"));
    for (int i = 0; i < args.size(); i++) {
      boolean secret = i > 0 && args.get(i - 1).equals("--admin-token") || args.get(i).startsWith("--admin-token=");
      words.add(secret ? (args.get(i).startsWith("--") ? "--admin-token=(set)" : "(set)") : args.get(i));
    }
    return Transcript.join(words);
  }

  /** The settings a reader needs to reproduce the run, for the report. */
  Map<String, String> shown() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    if (shown.containsKey("admin-token")) {
      shown.put("admin-token", "(set)");
    }
    return shown;
  }
}
