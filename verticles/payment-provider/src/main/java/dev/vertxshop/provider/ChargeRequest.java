package dev.vertxshop.provider;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A validated {@code POST /v1/charges} body: {@code {"amount": int > 0, "currency": "EUR", "reference"}}. */
record ChargeRequest(long amount, String currency, String reference) {

  /** Largest amount accepted, in minor units: far above any basket, far below overflow. */
  static final long MAX_AMOUNT = 1_000_000_000_000L;

  private static final Set<String> FIELDS = Set.of("amount", "currency", "reference");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern REFERENCE = Pattern.compile("[\\x21-\\x7E]{1,128}");

  static ChargeRequest parse(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new InvalidRequest("the body must be a JSON object");
    }
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(FIELDS);
    if (!unknown.isEmpty()) {
      throw new InvalidRequest("unknown field(s) " + unknown + "; allowed: " + new TreeSet<>(FIELDS));
    }
    Object amount = json.getValue("amount");
    // Fractions and strings are refused, not rounded: 12.5 cents is a caller bug.
    if (!(amount instanceof Integer || amount instanceof Long) || ((Number) amount).longValue() < 1
        || ((Number) amount).longValue() > MAX_AMOUNT) {
      throw new InvalidRequest("'amount' must be an integer between 1 and " + MAX_AMOUNT + " (minor units)");
    }
    if (!(json.getValue("currency") instanceof String currency) || !CURRENCY.matcher(currency).matches()) {
      throw new InvalidRequest("'currency' must be a three-letter upper-case ISO 4217 code such as EUR");
    }
    if (!(json.getValue("reference") instanceof String reference) || !REFERENCE.matcher(reference).matches()) {
      throw new InvalidRequest("'reference' must be 1 to 128 printable characters without spaces");
    }
    return new ChargeRequest(((Number) amount).longValue(), currency, reference);
  }

  /** What makes two requests under one idempotency key "the same request". */
  String fingerprint() {
    return "charge " + amount + " " + currency + " " + reference;
  }
}
