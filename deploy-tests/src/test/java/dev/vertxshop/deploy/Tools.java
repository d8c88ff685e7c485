package dev.vertxshop.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The external programs the checks run (kubectl, docker-compose, node, npm). On CI (the {@code CI}
 * variable is set) a missing program fails the build; on a developer machine the checks that need it
 * are skipped with a message saying what to install, except where a check has no fallback at all.
 */
public final class Tools {

  private Tools() {
  }

  /** What a finished program said. */
  public record Result(int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    public String both() {
      return (out + "\n" + err).trim();
    }
  }

  public static boolean onCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /** The program on the PATH (or named by the environment variable {@code override}, if set). */
  public static Optional<Path> find(String name, String override) {
    if (override != null) {
      String configured = System.getenv(override);
      if (configured != null && !configured.isBlank()) {
        return Optional.of(Paths.get(configured));
      }
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Paths.get(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The program, or: a failure on CI, a skipped test elsewhere. */
  public static Path requireOnCi(String name, String override, String howToInstall) {
    Optional<Path> found = find(name, override);
    if (found.isPresent()) {
      return found.get();
    }
    String message = name + " is not installed (" + howToInstall + ")";
    if (onCi()) {
      throw new AssertionError(message + ": required on CI");
    }
    Assumptions.abort(message + ": skipped on this machine; CI (CI=true) fails instead");
    throw new IllegalStateException("unreachable");
  }

  /** The program, or a failure everywhere (there is no other way to run the check). */
  public static Path require(String name, String override, String howToInstall) {
    return find(name, override).orElseThrow(() -> new AssertionError(
        name + " is not installed and this check cannot run without it: " + howToInstall));
  }

  public static Result run(Path dir, Duration timeout, List<String> command) {
    return run(dir, timeout, command, Map.of());
  }

  public static Result run(Path dir, Duration timeout, List<String> command, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("deploy-tests-", ".out");
      Path err = Files.createTempFile("deploy-tests-", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
