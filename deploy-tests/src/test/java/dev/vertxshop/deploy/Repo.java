package dev.vertxshop.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** The repository the specs live in, and this module's scratch space for broken copies and renders. */
public final class Repo {

  private Repo() {
  }

  /** The repository root (set by the build; the parent of this module otherwise). */
  public static Path root() {
    String configured = System.getProperty("shop.repo.root");
    Path root = configured != null ? Paths.get(configured) : Paths.get("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  /** An empty directory under target/deploy-tests, made fresh for each caller. */
  public static Path scratch(String name) {
    String configured = System.getProperty("shop.work.dir");
    Path base = configured != null ? Paths.get(configured) : root().resolve("deploy-tests/target/deploy-tests");
    Path dir = base.resolve(name);
    delete(dir);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a directory tree (the specs) so that a test may break the copy. */
  public static Path copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces exactly one occurrence of {@code from}: a broken copy must be broken where the test says. */
  public static void replaceOnce(Path file, String from, String to) {
    String content = read(file);
    int at = content.indexOf(from);
    if (at < 0 || content.indexOf(from, at + 1) >= 0) {
      throw new IllegalArgumentException("'" + from + "' must occur exactly once in " + file);
    }
    write(file, content.substring(0, at) + to + content.substring(at + from.length()));
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
