package dev.vertxshop.audit;

import io.vertx.core.json.JsonObject;

/** The payment provider's totals ({@code GET /admin/stats}); amounts in minor units. */
public record ProviderStats(long requests, long captures, long refunds, long capturedAmount, long refundedAmount,
    long netCapturedAmount) {

  /** Before anything happened: the baseline of a whole-history check. */
  public static final ProviderStats ZERO = new ProviderStats(0, 0, 0, 0, 0, 0);

  static ProviderStats fromJson(JsonObject json) {
    return new ProviderStats(
        number(json, "requests"),
        number(json, "captures"),
        number(json, "refunds"),
        number(json, "capturedAmount"),
        number(json, "refundedAmount"),
        number(json, "netCapturedAmount"));
  }

  /** What happened between {@code earlier} and these totals. */
  public ProviderStats minus(ProviderStats earlier) {
    return new ProviderStats(requests - earlier.requests, captures - earlier.captures, refunds - earlier.refunds,
        capturedAmount - earlier.capturedAmount, refundedAmount - earlier.refundedAmount,
        netCapturedAmount - earlier.netCapturedAmount);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests)
        .put("captures", captures)
        .put("refunds", refunds)
        .put("capturedAmount", capturedAmount)
        .put("refundedAmount", refundedAmount)
        .put("netCapturedAmount", netCapturedAmount);
  }

  private static long number(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Number number)) {
      // "requests" is the stand-in's own extra; a provider without it reports none.
      if (field.equals("requests") && value == null) {
        return 0;
      }
      throw new IllegalStateException("provider stats without a numeric '" + field + "': " + json.encode());
    }
    return number.longValue();
  }
}
