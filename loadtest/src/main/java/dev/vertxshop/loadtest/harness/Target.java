package dev.vertxshop.loadtest.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A way of running the shop that the harness can bring up, measure, hurt and tear down. Every target
 * serves the same public API and exposes every replica's ops port; what differs is what runs where, and
 * that is what the report compares. One instance measures one round: a new one is made for each.
 */
abstract class Target {

  /**
   * How long the target took to be ready, from the apply or launch: to the first 200 through the entry
   * point, and until every replica's {@code /health/ready} answered 200 (per service: its last replica).
   * {@code -1}: not measured. {@code parts}: the target's own steps (infrastructure, {@code up -d}...).
   */
  record Readiness(long entryMillis, long allReadyMillis, Map<String, Long> services, Map<String, Long> parts, String how) {
  }

  /** The target cannot run here (images missing, no jar, no cluster): skipped, with the reason in the report. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  /** Shop services (clustered JVMs), in the order the report lists them. */
  static final List<String> SERVICES = List.of("gateway", "catalog", "users", "cart", "orders", "payments", "notifications", "search");

  final String name;
  final Options options;
  final Path dir;
  final Path root;
  final int round;
  final Cmd cmd;
  final List<String> notes = new ArrayList<>();
  final Map<String, String> facts = new LinkedHashMap<>();

  Target(String name, Options options, int round) {
    this(name, options, round, null);
  }

  /** {@code cmd} null: commands run for real, recorded in the round's {@code commands.transcript}. */
  Target(String name, Options options, int round, Cmd cmd) {
    this.name = name;
    this.options = options;
    this.round = round;
    this.dir = options.out().resolve(name).resolve("round-" + round);
    this.root = options.root;
    this.cmd = cmd != null ? cmd : Cmd.local(root, Map.of(), dir.resolve("commands.transcript"));
  }

  /** The shop's public URL (the gateway, or what fronts it). */
  abstract String baseUrl();

  /** The admin token for the restock before the first run; null: no restock. */
  String adminToken() {
    return null;
  }

  /** Brings the target up and waits until it serves; blocking. */
  abstract Readiness start();

  /** Every replica's ops port as it is now (a discovery may run commands). */
  abstract List<Endpoint> endpoints();

  /** How many replicas the spec asks for: ready means that many, each ready. */
  abstract int expectedReplicas();

  /** Whether the entry point answers and every expected replica is ready now. */
  boolean ready() {
    List<Endpoint> endpoints = endpoints();
    if (endpoints.size() < expectedReplicas()) {
      return false;
    }
    for (Endpoint endpoint : endpoints) {
      if (!Http.ok(endpoint.ready())) {
        return false;
      }
    }
    return Http.ok(baseUrl() + "/api/products?size=1");
  }

  /** CPU and memory as the host sees them (PSS, docker stats); empty where the harness cannot see the processes. */
  List<Sampler.Usage> hostUsage() {
    return List.of();
  }

  /** How {@code fault} is done to one replica of {@code service} here; {@link Fault.NotApplicable} when it cannot be. */
  abstract Fault.Action fault(Fault fault, String service);

  /**
   * What the orchestrator shows of {@code service}'s replicas now, one fact per key (a pod's phase, a
   * container's state, an allocation's status): the harness records every change during a fault, with its
   * time, as the orchestrator's part of the story.
   */
  abstract Map<String, String> observe(String service);

  /**
   * The replicas' logs between two moments, one line per log line, each prefixed with the replica's name
   * ({@code catalog-1 {"ts":...}}): where the shop says when it set a peer aside or saw a member leave.
   * Empty where the target cannot read its logs.
   */
  String logText(long fromMillis, long toMillis) {
    return "";
  }

  /** What each spec declares for each service (limits, requests, JVM flags). */
  abstract List<Limits.Service> limits();

  /** Stops everything the target started. Never throws. */
  abstract void stop();

  /** One paragraph: what runs, how many JVMs or containers. */
  abstract String describe();

  /**
   * Polls every 500 ms, from {@code t0} (System.nanoTime of the apply or launch), until the entry point
   * answered 200 and every expected replica's {@code /health/ready} did, recording when each first did.
   * {@code alive} false ends the wait (a process died); {@code beforePoll} runs first at each poll.
   */
  Readiness awaitReady(long t0, Duration timeout, BooleanSupplier alive, Runnable beforePoll, Map<String, Long> parts, String how) {
    Map<String, Long> replicas = new LinkedHashMap<>();
    Map<String, String> serviceOf = new LinkedHashMap<>();
    long entry = -1;
    long deadline = t0 + timeout.toNanos();
    int expected = expectedReplicas();
    List<Endpoint> endpoints = List.of();
    while (System.nanoTime() < deadline) {
      if (beforePoll != null) {
        beforePoll.run();
      }
      endpoints = endpoints();
      for (Endpoint endpoint : endpoints) {
        if (!replicas.containsKey(endpoint.label()) && Http.ok(endpoint.ready())) {
          replicas.put(endpoint.label(), (System.nanoTime() - t0) / 1_000_000);
          serviceOf.put(endpoint.label(), endpoint.service());
        }
      }
      if (entry < 0 && Http.ok(baseUrl() + "/api/products?size=1")) {
        entry = (System.nanoTime() - t0) / 1_000_000;
      }
      boolean allReady = endpoints.size() >= expected && endpoints.stream().allMatch(e -> replicas.containsKey(e.label()));
      if (entry >= 0 && allReady) {
        Map<String, Long> services = new LinkedHashMap<>();
        replicas.forEach((label, millis) -> services.merge(serviceOf.get(label), millis, Math::max));
        long all = Math.max(entry, replicas.values().stream().mapToLong(Long::longValue).max().orElse(entry));
        return new Readiness(entry, all, services, parts, how);
      }
      if (!alive.getAsBoolean()) {
        break;
      }
      Proc.sleep(Math.max(1, options.integer("poll-ms") / 2));
    }
    StringBuilder why = new StringBuilder(name + " did not become ready within " + timeout.toSeconds() + " s: entry point "
        + (entry < 0 ? "never answered 200" : "answered") + ", " + replicas.size() + " of " + expected + " replicas ready");
    for (Endpoint endpoint : endpoints) {
      if (!replicas.containsKey(endpoint.label())) {
        why.append("\n  not ready: ").append(endpoint.label()).append(" (").append(endpoint.ready()).append(')');
      }
    }
    throw new IllegalStateException(why.toString());
  }

  /**
   * A jar of the build, as the harness saw it when it started: a copy under the results directory
   * (deleted at the end), so that a rebuild during a comparison, which rewrites the jar files in
   * place, changes nothing in what is measured.
   */
  Path jar(String relative) {
    return jar(options, relative);
  }

  /** The launcher jar every local target runs; {@link Unavailable} when the shop is not built. */
  Path shopJar() {
    Path jar = jar("launcher/target/shop.jar");
    if (!Files.exists(jar)) {
      throw new Unavailable("launcher/target/shop.jar is missing: ./mvnw -B -DskipTests package");
    }
    return jar;
  }

  /** See {@link #jar(String)}; called for every jar when the harness starts. */
  static Path jar(Options options, String relative) {
    Path snapshot = options.out().resolve("jars").resolve(relative);
    if (!Files.exists(snapshot)) {
      Path original = options.root.resolve(relative);
      if (!Files.exists(original)) {
        return original;
      }
      try {
        Files.createDirectories(snapshot.getParent());
        Path partial = snapshot.resolveSibling(snapshot.getFileName() + ".part");
        // A jar caught in the middle of a rebuild is not a readable zip: wait for the build and copy again.
        for (int attempt = 1; ; attempt++) {
          Files.copy(original, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          if (readableJar(partial) || attempt == 30) {
            break;
          }
          Log.info("%s is being rebuilt; copying it again in 10 s", relative);
          Proc.sleep(10_000);
        }
        Files.move(partial, snapshot, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.io.IOException e) {
        return original;
      }
    }
    return snapshot;
  }

  /** Every entry inflates and matches its CRC (a copy taken mid-rebuild may have a valid directory but torn data). */
  static boolean readableJar(Path jar) {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      if (file.getManifest() == null || file.getManifest().getMainAttributes().getValue("Main-Class") == null) {
        return false;
      }
      byte[] buffer = new byte[64 * 1024];
      var entries = file.entries();
      while (entries.hasMoreElements()) {
        try (java.io.InputStream in = file.getInputStream(entries.nextElement())) {
          while (in.read(buffer) >= 0) {
            // reading to the end makes the inflater check the entry's CRC
          }
        }
      }
      return true;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * A copy of one of the repository's spec folders ({@code compose}, {@code k8s}, {@code nomad}) under the
   * round's directory, without local secrets: the run writes its own secrets there and never touches the
   * repository, and the results keep the very files that ran.
   */
  Path copySpec(String folder) {
    Path source = root.resolve(folder);
    Path target = dir.resolve("spec").resolve(folder);
    if (!Files.isDirectory(source)) {
      throw new Unavailable(folder + "/ is missing");
    }
    try (java.util.stream.Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path relative = source.relativize(file);
        String path = relative.toString();
        if (path.equals(".env") || path.startsWith("secrets") || path.contains("/secrets/") || path.contains("/secrets")) {
          continue;
        }
        Path copy = target.resolve(relative);
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.createDirectories(copy.getParent());
          Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (java.io.IOException e) {
      throw new Unavailable("cannot copy " + folder + "/: " + e.getMessage());
    }
    return target;
  }

  /** The image's default JVM flags, from docker/service/Dockerfile. */
  String imageJavaOpts() {
    return Limits.imageJavaOpts(root.resolve("docker/service/Dockerfile"));
  }

  int port(int offset) {
    return options.integer("port-base") + offset;
  }

  void write(String relative, String text) {
    try {
      Path file = dir.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (java.io.IOException ignored) {
      // logs are a convenience
    }
  }

  /** Waits for {@code condition}, polled every {@code --poll-ms}, at most {@code timeout}; returns whether it held. */
  boolean poll(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Proc.sleep(options.integer("poll-ms"));
    }
  }
}
