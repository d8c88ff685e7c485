package dev.vertxshop.deploy.parity;

import dev.vertxshop.deploy.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The variables the code and the images read, so that a spec setting a misspelled or retired variable
 * (which a service would silently ignore) is caught. Names come from the string literals of the main
 * sources (config records read {@code env.string("DB_HOST", ..)}, prefix added by Env) and from the
 * image scripts under docker/.
 */
public final class ConfigVariables {

  private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Z0-9_]*)\"");
  private static final Pattern SCRIPT_VARIABLE = Pattern.compile("\\b((?:SHOP|KAFKA|POSTGRES)_[A-Z0-9_]*[A-Z0-9])");
  /** A family of variables a script builds the name of ("SHOP_DB_PASSWORD_$(...)" reads SHOP_DB_PASSWORD_*). */
  private static final Pattern SCRIPT_FAMILY = Pattern.compile("\\b((?:SHOP|KAFKA|POSTGRES)_[A-Z0-9_]*_)\\$");

  private ConfigVariables() {
  }

  /** Every SHOP_* name a service's code may read. */
  public static Set<String> readByCode() {
    Set<String> names = new TreeSet<>();
    for (Path file : sources()) {
      Matcher m = LITERAL.matcher(Repo.read(file));
      while (m.find()) {
        String name = m.group(1);
        names.add(name.startsWith("SHOP_") ? name : "SHOP_" + name);
      }
    }
    return names;
  }

  /** Every variable name the image scripts mention (entry points, the database init script). */
  public static Set<String> readByImages() {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Repo.path("docker"))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/"))::iterator) {
        String text = Repo.read(f);
        Matcher m = SCRIPT_VARIABLE.matcher(text);
        while (m.find()) {
          names.add(m.group(1));
        }
        Matcher family = SCRIPT_FAMILY.matcher(text);
        while (family.find()) {
          names.add(family.group(1) + "*");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static List<Path> sources() {
    List<Path> out = new ArrayList<>();
    for (String root : List.of("verticles", "launcher")) {
      try (Stream<Path> files = Files.walk(Repo.path(root))) {
        files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * Variables a model sets that nothing reads. A SHOP_X_FILE is read by the image's entry point
   * when SHOP_X is known; SHOP_DB_PASSWORD_&lt;ROLE&gt; by the database init script.
   */
  public static List<String> unknown(String orchestrator, Map<String, ServiceSpec> model, Set<String> code, Set<String> images) {
    List<String> problems = new ArrayList<>();
    model.forEach((service, spec) -> {
      for (String name : spec.env().keySet()) {
        boolean known;
        if (name.startsWith("SHOP_DB_PASSWORD_")) {
          known = images.contains("SHOP_DB_PASSWORD_*");
        } else if (name.startsWith("SHOP_") && name.endsWith("_FILE")) {
          known = code.contains(name.substring(0, name.length() - "_FILE".length()));
        } else if (name.startsWith("SHOP_")) {
          known = code.contains(name) || images.contains(name);
        } else if (name.startsWith("KAFKA_") || name.startsWith("POSTGRES_")) {
          known = images.contains(name);
        } else {
          known = true;
        }
        if (!known) {
          problems.add(orchestrator + " " + service + ": " + name + " is read by no service code and no image script");
        }
      }
    });
    return problems;
  }
}
