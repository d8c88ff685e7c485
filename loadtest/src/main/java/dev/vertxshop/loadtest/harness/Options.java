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
        --targets LIST          all-in-one,processes,compose (default), or external
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
      faults
        --faults yes|no         kill one instance, then roll a restart, under load (yes)
        --fault-service NAME    the service killed and rolled (catalog)
        --kill-after S          seconds into the fault run before the kill or the roll (20)
        --quiet S               error-free seconds that count as recovered (15)
        --fault-max S           longest fault run (240)
      targets
        --catalog-replicas N    catalog processes of the processes target (2)
        --jvm-opts "..."        JVM options of each service process: what a Compose container gives it
                                (-XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1 -XX:+ExitOnOutOfMemoryError)
        --aio-jvm-opts "..."    JVM options of the all-in-one JVM (-XX:MaxRAM=2g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError)
        --compose-project NAME  Compose project (vertx-shop-loadtest)
        --compose-build yes|no  build missing images with docker/build-images.sh (no)
        --port-base N           first port of the harness's range (18000)
      external target (Kubernetes, Nomad, anything with a URL)
        --name NAME             label in the report (external)
        --base-url URL          the shop's public URL
        --admin-token T         to restock before the runs (optional)
        --ready-cmd CMD         exits 0 when every replica is ready (optional)
        --kill-cmd CMD          kills one instance of the service (optional)
        --restore-cmd CMD       brings it back and waits (optional)
        --rolling-cmd CMD       rolls a restart through the service and returns when done (optional)
        --stats-cmd CMD         prints per-instance CPU and memory, kept in the report (optional)
      output
        --out DIR               results directory (loadtest/results/<timestamp>)
      """;

  final Map<String, String> values = new LinkedHashMap<>();
  final Path root;

  Options(Path root, String[] args) {
    this.root = root;
    values.put("targets", "all-in-one,processes,compose");
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
    values.put("faults", "yes");
    values.put("fault-service", "catalog");
    values.put("kill-after", "20");
    values.put("quiet", "15");
    values.put("fault-max", "240");
    values.put("catalog-replicas", "2");
    // Each service JVM sees what a Compose container gives it (cpus 1.0, 768 MiB, MaxRAMPercentage=75), so
    // that processes and Compose differ by Docker, not by JVM ergonomics (a JVM that sees 24 GiB and 2
    // cores picks G1 and commits a 384 MiB initial heap; one that sees a container picks Serial and 12 MiB).
    values.put("jvm-opts", "-XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1 -XX:+ExitOnOutOfMemoryError");
    values.put("aio-jvm-opts", "-XX:MaxRAM=2g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
    values.put("compose-project", "vertx-shop-loadtest");
    values.put("compose-build", "no");
    values.put("port-base", "18000");
    values.put("name", "external");
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
      if (!values.containsKey(name) && !List.of("base-url", "admin-token", "ready-cmd", "kill-cmd", "restore-cmd",
          "rolling-cmd", "stats-cmd").contains(name)) {
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

  /** The settings a reader needs to reproduce the run, for the report. */
  Map<String, String> shown() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    if (shown.containsKey("admin-token")) {
      shown.put("admin-token", "(set)");
    }
    return shown;
  }
}
