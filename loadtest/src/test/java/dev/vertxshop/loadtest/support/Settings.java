package dev.vertxshop.loadtest.support;

import java.time.Duration;
import java.util.Locale;

/**
 * The knobs of every simulation, read once from Java system properties ({@code -Drate=20}); each has a
 * default that a 2-core laptop can carry. {@link #describe()} prints what a run used.
 */
public record Settings(
    String baseUrl,
    double rate,
    Duration duration,
    Duration ramp,
    int users,
    Duration think,
    double spikeRate,
    Duration spikeDuration,
    Duration spikeAt,
    int sloP99Ms,
    double sloErrorPct,
    String adminToken,
    String timelineFile,
    String stopFile,
    Duration setupTimeout) {

  /**
   * Reads the properties; {@code defaultRate} and {@code defaultDuration} are the simulation's own
   * defaults (a shopper journey costs far more than a page view).
   */
  public static Settings read(double defaultRate, Duration defaultDuration) {
    double rate = decimal("rate", defaultRate);
    Duration duration = seconds("duration", defaultDuration);
    Duration ramp = seconds("ramp", Duration.ofSeconds(10));
    if (rate <= 0) {
      throw new IllegalArgumentException("rate must be > 0 (arrivals per second), got " + rate);
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("duration must be > 0 seconds");
    }
    return new Settings(
        stripSlash(text("baseUrl", "http://127.0.0.1:8080")),
        rate,
        duration,
        ramp,
        integer("users", 50),
        millis("think", Duration.ofMillis(200)),
        decimal("spike.rate", rate * 4),
        seconds("spike.duration", Duration.ofSeconds(20)),
        seconds("spike.at", Duration.ofSeconds(30)),
        integer("slo.p99Ms", 1000),
        decimal("slo.errorPct", 1.0),
        blankToNull(text("adminToken", System.getenv("SHOP_ADMIN_TOKEN"))),
        blankToNull(text("timeline", null)),
        blankToNull(text("stopFile", null)),
        seconds("setupTimeout", Duration.ofSeconds(120)));
  }

  /** One line for the console and the run description. */
  public String describe() {
    return String.format(Locale.ROOT, "baseUrl=%s rate=%.2f/s duration=%ds ramp=%ds users=%d think<=%dms slo.p99Ms=%d slo.errorPct=%.2f",
        baseUrl, rate, duration.toSeconds(), ramp.toSeconds(), users, think.toMillis(), sloP99Ms, sloErrorPct);
  }

  private static String text(String name, String fallback) {
    String value = System.getProperty(name);
    return value == null ? fallback : value.trim();
  }

  private static double decimal(String name, double fallback) {
    String value = text(name, null);
    try {
      return value == null || value.isEmpty() ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + "=" + value + " is not a number", e);
    }
  }

  private static int integer(String name, int fallback) {
    String value = text(name, null);
    try {
      return value == null || value.isEmpty() ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + "=" + value + " is not an integer", e);
    }
  }

  /** Whole seconds, the unit every duration property takes (a bare number). */
  private static Duration seconds(String name, Duration fallback) {
    String value = text(name, null);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return Duration.ofMillis(Math.round(decimal(name, 0) * 1000));
  }

  private static Duration millis(String name, Duration fallback) {
    String value = text(name, null);
    return value == null || value.isEmpty() ? fallback : Duration.ofMillis(integer(name, 0));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
