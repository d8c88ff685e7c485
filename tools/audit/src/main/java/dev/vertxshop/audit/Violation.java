package dev.vertxshop.audit;

import io.vertx.core.json.JsonObject;

/**
 * One broken invariant: the rule, the order it concerns (null for a rule about a product or a total)
 * and what was found.
 */
public record Violation(String rule, String orderId, String detail) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("rule", rule);
    if (orderId != null) {
      json.put("orderId", orderId);
    }
    return json.put("detail", detail);
  }

  @Override
  public String toString() {
    return rule + (orderId == null ? "" : " [order " + orderId + "]") + ": " + detail;
  }
}
