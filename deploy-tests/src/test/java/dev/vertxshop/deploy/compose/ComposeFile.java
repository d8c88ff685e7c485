package dev.vertxshop.deploy.compose;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Tools;
import dev.vertxshop.deploy.Yamls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Compose file read the way docker-compose reads it for our purposes: YAML with anchors and merge keys
 * resolved, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?message}} substituted from an env
 * file, {@code $$} unescaped. ComposeFileTest compares this reading with docker-compose's own.
 */
public final class ComposeFile {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private ComposeFile() {
  }

  public static Path docker() {
    return Tools.requireOnCi("docker-compose", "SHOP_DOCKER_COMPOSE", "Debian: apt-get install docker-compose");
  }

  /** KEY=VALUE lines of an env file (comments and blank lines skipped). */
  public static Map<String, String> envFile(Path file) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Repo.read(file).split("\n")) {
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
        continue;
      }
      env.put(l.substring(0, l.indexOf('=')).trim(), l.substring(l.indexOf('=') + 1).trim());
    }
    return env;
  }

  /** The file as written (variables not substituted): where secrets must be references. */
  public static JsonObject raw(Path file) {
    return Yamls.load(Repo.read(file));
  }

  /** The file with variables substituted from {@code env}. */
  public static JsonObject resolved(Path file, Map<String, String> env) {
    return (JsonObject) substitute(raw(file), env);
  }

  static Object substitute(Object value, Map<String, String> env) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(e -> out.put(e.getKey(), substitute(e.getValue(), env)));
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(substitute(v, env)));
      return out;
    }
    if (value instanceof String s) {
      Matcher m = VARIABLE.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String replacement;
        if (m.group().equals("$$")) {
          replacement = "$";
        } else {
          String name = m.group(1) != null ? m.group(1) : m.group(4);
          String current = env.get(name);
          String op = m.group(2);
          boolean unset = current == null || (op != null && op.startsWith(":") && current.isEmpty());
          if (op != null && op.endsWith("-")) {
            replacement = unset ? m.group(3) : current;
          } else if (op != null && op.endsWith("?")) {
            if (unset) {
              throw new IllegalArgumentException("required variable " + name + " is missing: " + m.group(3));
            }
            replacement = current;
          } else {
            replacement = current == null ? "" : current;
          }
        }
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }
    return value;
  }

  /** {@code docker-compose [--env-file] -f ... config [-q]} in the files' directory. */
  public static Tools.Result config(Path envFile, List<Path> files, boolean quiet) {
    List<String> command = new ArrayList<>(List.of(docker().toString(), "--env-file", envFile.toString()));
    for (Path f : files) {
      command.add("-f");
      command.add(f.toString());
    }
    command.add("config");
    if (quiet) {
      command.add("-q");
    }
    return Tools.run(files.get(0).getParent(), Duration.ofSeconds(60), command);
  }
}
