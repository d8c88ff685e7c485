package dev.vertxshop.platform.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Typed, validated access to {@code SHOP_*} environment variables.
 *
 * <p>Every getter takes the name without the prefix, a default for local runs, and fails with a
 * {@link ConfigException} naming the full variable when a value is present but unusable, so that a
 * typo in a deployment spec stops the process at start instead of surfacing later.
 */
public final class Env {

  public static final String PREFIX = "SHOP_";

  private final Map<String, String> values;

  private Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The process environment. */
  public static Env system() {
    return new Env(System.getenv());
  }

  /** An explicit set of variables (full names, prefix included). */
  public static Env of(Map<String, String> values) {
    return new Env(values);
  }

  /** This environment with {@code overrides} applied on top (full names, prefix included). */
  public Env with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  /** This environment with {@code defaults} applied only where a variable is not already set. */
  public Env withDefaults(Map<String, String> defaults) {
    Map<String, String> merged = new HashMap<>(defaults);
    merged.putAll(values);
    return new Env(merged);
  }

  public static String var(String name) {
    return PREFIX + name;
  }

  public boolean isSet(String name) {
    String raw = values.get(var(name));
    return raw != null && !raw.isBlank();
  }

  public String string(String name, String defaultValue) {
    String raw = values.get(var(name));
    return raw == null || raw.isBlank() ? defaultValue : raw.trim();
  }

  /** A value that has no sensible default (credentials in production, for instance). */
  public String required(String name) {
    String value = string(name, null);
    if (value == null) {
      throw new ConfigException(var(name), "is required but not set");
    }
    return value;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException(var(name), "'" + raw + "' is not an integer");
    }
    if (value < min || value > max) {
      throw new ConfigException(var(name), value + " is outside [" + min + ", " + max + "]");
    }
    return value;
  }

  public int port(String name, int defaultValue) {
    return integer(name, defaultValue, 0, 65535);
  }

  public boolean bool(String name, boolean defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    switch (raw.toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "1": case "on":
        return true;
      case "false": case "no": case "0": case "off":
        return false;
      default:
        throw new ConfigException(var(name), "'" + raw + "' is not a boolean (true/false)");
    }
  }

  /** A duration in milliseconds ({@code 250}) or with a unit ({@code 250ms}, {@code 5s}, {@code 2m}). */
  public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    Duration value = parseDuration(name, raw.toLowerCase(Locale.ROOT));
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new ConfigException(var(name), raw + " is outside [" + min.toMillis() + "ms, " + max.toMillis() + "ms]");
    }
    return value;
  }

  private static Duration parseDuration(String name, String raw) {
    try {
      if (raw.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(raw.substring(0, raw.length() - 2).trim()));
      }
      if (raw.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(raw.substring(0, raw.length() - 1).trim()));
      }
      if (raw.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(raw.substring(0, raw.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(raw));
    } catch (NumberFormatException e) {
      throw new ConfigException(var(name), "'" + raw + "' is not a duration (e.g. 500ms, 5s, 2m)");
    }
  }

  /** A comma-separated list; blanks dropped. */
  public List<String> list(String name, List<String> defaultValue) {
    String raw = string(name, null);
    if (raw == null) {
      return defaultValue;
    }
    return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** One of a fixed set of lower-case words. */
  public String oneOf(String name, String defaultValue, List<String> allowed) {
    String value = Objects.requireNonNull(string(name, defaultValue)).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new ConfigException(var(name), "'" + value + "' is not one of " + allowed);
    }
    return value;
  }
}
