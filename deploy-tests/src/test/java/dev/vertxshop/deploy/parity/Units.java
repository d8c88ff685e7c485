package dev.vertxshop.deploy.parity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Conversions of the orchestrators' units into the model's (millicores, MiB, seconds). */
final class Units {

  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Units() {
  }

  /** "1", "1.0", "250m" (Kubernetes), 1.0 (Compose cpus). */
  static long millicores(Object cpu) {
    String s = String.valueOf(cpu).trim();
    if (s.endsWith("m")) {
      return Long.parseLong(s.substring(0, s.length() - 1));
    }
    return Math.round(Double.parseDouble(s) * 1000);
  }

  /** "768Mi", "1Gi" (Kubernetes), "768m", "1g", "1024m" (Compose: binary units), bytes. */
  static long mebibytes(Object memory) {
    String s = String.valueOf(memory).trim();
    String lower = s.toLowerCase();
    if (lower.endsWith("mi") || lower.endsWith("mb") || lower.endsWith("m")) {
      return Long.parseLong(s.replaceAll("(?i)(mi|mb|m)$", ""));
    }
    if (lower.endsWith("gi") || lower.endsWith("gb") || lower.endsWith("g")) {
      return Long.parseLong(s.replaceAll("(?i)(gi|gb|g)$", "")) * 1024;
    }
    if (lower.endsWith("ki") || lower.endsWith("k")) {
      return Long.parseLong(s.replaceAll("(?i)(ki|k)$", "")) / 1024;
    }
    return Long.parseLong(s) / (1024 * 1024);
  }

  /** "30s", "1m30s", "500ms" (whole seconds, rounded down). */
  static long seconds(Object duration) {
    if (duration instanceof Number n) {
      return n.longValue();
    }
    Matcher m = DURATION.matcher(String.valueOf(duration));
    long millis = 0;
    while (m.find()) {
      long v = Long.parseLong(m.group(1));
      millis += switch (m.group(2)) {
        case "ms" -> v;
        case "s" -> v * 1000;
        case "m" -> v * 60_000;
        default -> v * 3_600_000;
      };
    }
    return millis / 1000;
  }
}
