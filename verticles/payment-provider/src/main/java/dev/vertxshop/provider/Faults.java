package dev.vertxshop.provider;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stand-in's fault knobs: a delay before every {@code /v1} answer, the share of {@code /v1}
 * requests answered 500 without doing anything, the share of new charges declined, an outage (the
 * {@code /v1} listener closed), the share of refund requests answered 500 (refunds only, so that
 * charges go through while refunds fail), and a delay before a charge request is processed at all (it
 * sits in the provider's queue: a lookup meanwhile finds nothing, the capture appears later).
 */
public record Faults(Duration latency, double failureRate, double declineRate, boolean outage, double refundFailureRate,
    Duration processingDelay) {

  /** Longest latency a knob may ask for: enough to outlast any caller's deadline. */
  static final Duration MAX_LATENCY = Duration.ofMinutes(1);

  private static final Set<String> FIELDS = Set.of("latencyMs", "failureRate", "declineRate", "outage", "refundFailureRate",
      "processingDelayMs");

  /** Knobs with refunds failing no more than other requests. */
  public Faults(Duration latency, double failureRate, double declineRate, boolean outage) {
    this(latency, failureRate, declineRate, outage, 0, Duration.ZERO);
  }

  public Faults {
    if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0
        || processingDelay.isNegative() || processingDelay.compareTo(MAX_LATENCY) > 0) {
      throw new IllegalArgumentException("latency and processing delay must be within [0, " + MAX_LATENCY.toMillis() + "ms]");
    }
    if (!isRate(failureRate) || !isRate(declineRate) || !isRate(refundFailureRate)) {
      throw new IllegalArgumentException("rates must be within [0, 1]");
    }
  }

  /** A healthy provider. */
  public static Faults none() {
    return new Faults(Duration.ZERO, 0, 0, false);
  }

  /** The knobs as the admin API shows them. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("latencyMs", latency.toMillis())
        .put("failureRate", failureRate)
        .put("declineRate", declineRate)
        .put("outage", outage)
        .put("refundFailureRate", refundFailureRate)
        .put("processingDelayMs", processingDelay.toMillis());
  }

  /**
   * These knobs with those present in {@code partial} replaced. Any unknown field or unusable value
   * fails the whole update with a message naming the field, so that a typo never half-applies.
   */
  public Faults merge(JsonObject partial) {
    Set<String> unknown = new TreeSet<>(partial.fieldNames());
    unknown.removeAll(FIELDS);
    if (!unknown.isEmpty()) {
      throw new InvalidRequest("unknown field(s) " + unknown + "; allowed: " + new TreeSet<>(FIELDS));
    }
    Duration newLatency = partial.containsKey("latencyMs")
        ? Duration.ofMillis(latencyMillis(partial.getValue("latencyMs"), "latencyMs"))
        : latency;
    Duration newProcessingDelay = partial.containsKey("processingDelayMs")
        ? Duration.ofMillis(latencyMillis(partial.getValue("processingDelayMs"), "processingDelayMs"))
        : processingDelay;
    double newFailureRate = partial.containsKey("failureRate") ? rate(partial.getValue("failureRate"), "failureRate") : failureRate;
    double newDeclineRate = partial.containsKey("declineRate") ? rate(partial.getValue("declineRate"), "declineRate") : declineRate;
    boolean newOutage = outage;
    if (partial.containsKey("outage")) {
      if (!(partial.getValue("outage") instanceof Boolean flag)) {
        throw new InvalidRequest("'outage' must be true or false");
      }
      newOutage = flag;
    }
    double newRefundFailureRate = partial.containsKey("refundFailureRate")
        ? rate(partial.getValue("refundFailureRate"), "refundFailureRate") : refundFailureRate;
    return new Faults(newLatency, newFailureRate, newDeclineRate, newOutage, newRefundFailureRate, newProcessingDelay);
  }

  static boolean isRate(double value) {
    return value >= 0 && value <= 1;
  }

  private static long latencyMillis(Object value, String field) {
    String rule = "'" + field + "' must be an integer between 0 and " + MAX_LATENCY.toMillis();
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
        || ((Number) value).longValue() > MAX_LATENCY.toMillis()) {
      throw new InvalidRequest(rule);
    }
    return ((Number) value).longValue();
  }

  private static double rate(Object value, String field) {
    if (!(value instanceof Number number) || value instanceof BigInteger || value instanceof BigDecimal
        || !isRate(number.doubleValue())) {
      throw new InvalidRequest("'" + field + "' must be a number between 0 and 1");
    }
    return number.doubleValue();
  }
}
