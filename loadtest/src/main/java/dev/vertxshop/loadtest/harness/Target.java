package dev.vertxshop.loadtest.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A way of running the shop that the harness can bring up, measure, hurt and tear down. Every target
 * serves the same public API; what differs is what runs where, and that is what the report compares.
 */
abstract class Target {

  /** How long the target took to be ready, in parts ({@code infrastructure}, {@code services}, ...). */
  record Readiness(long totalMillis, Map<String, Long> parts, String how) {
  }

  /** The result of a rolling restart: one step per replica. */
  record Roll(String what, List<String> steps, boolean ok) {
  }

  /** The target cannot run here (images missing, no jar): skipped, with the reason in the report. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  final String name;
  final Options options;
  final Path dir;
  final Path root;
  final List<String> notes = new ArrayList<>();
  final Map<String, String> facts = new LinkedHashMap<>();

  Target(String name, Options options) {
    this.name = name;
    this.options = options;
    this.dir = options.out().resolve(name);
    this.root = options.root;
  }

  /** The shop's public URL (the gateway, or what fronts it). */
  abstract String baseUrl();

  /** The admin token for the restock before the first run; null: no restock. */
  String adminToken() {
    return null;
  }

  /** Brings the target up and waits until it serves; blocking. */
  abstract Readiness start();

  /** Whether every replica is ready now. */
  abstract boolean ready();

  /** CPU and memory of every process or container now (see {@link Sampler}). */
  abstract List<Sampler.Usage> usage();

  /** Whether {@link #kill()} makes sense here. */
  abstract boolean canKill();

  /** Kills one instance of the fault service at once (SIGKILL or equivalent); returns what was killed. */
  abstract String kill();

  /** Brings the killed instance back; returns the milliseconds until it was ready, -1 when it was not. */
  abstract long restore();

  /** Restarts each replica of the fault service in turn, gracefully, waiting for each to be ready. */
  abstract Roll roll();

  /** Stops everything the target started. Never throws. */
  abstract void stop();

  /** One paragraph: what runs, how many JVMs or containers, which limits. */
  abstract String describe();

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
    if (!java.nio.file.Files.exists(jar)) {
      throw new Unavailable("launcher/target/shop.jar is missing: ./mvnw -B -DskipTests package");
    }
    return jar;
  }

  /** See {@link #jar(String)}; called for every jar when the harness starts. */
  static Path jar(Options options, String relative) {
    Path snapshot = options.out().resolve("jars").resolve(relative);
    if (!java.nio.file.Files.exists(snapshot)) {
      Path original = options.root.resolve(relative);
      if (!java.nio.file.Files.exists(original)) {
        return original;
      }
      try {
        java.nio.file.Files.createDirectories(snapshot.getParent());
        Path partial = snapshot.resolveSibling(snapshot.getFileName() + ".part");
        // A jar caught in the middle of a rebuild is not a readable zip: wait for the build and copy again.
        for (int attempt = 1; ; attempt++) {
          java.nio.file.Files.copy(original, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          if (readableJar(partial) || attempt == 30) {
            break;
          }
          Log.info("%s is being rebuilt; copying it again in 10 s", relative);
          Proc.sleep(10_000);
        }
        java.nio.file.Files.move(partial, snapshot, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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

  String faultService() {
    return options.text("fault-service");
  }

  int port(int offset) {
    return options.integer("port-base") + offset;
  }
}
