package dev.vertxshop.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an invariant check found: orders by status in the audited window, the confirmed total against
 * what the provider kept (net of refunds) in the same window, and every violation with its order.
 *
 * @param checkedAt           database time of the check
 * @param since               start of the audited window (the baseline's time; the epoch for everything)
 * @param ordersByStatus      orders placed in the window, by status
 * @param confirmedTotal      sum of the totals of CONFIRMED orders, minor units
 * @param providerNetCaptured what the provider captured minus what it refunded in the window, minor units
 * @param providerCaptures    captures the provider made in the window (refunded ones included)
 * @param violations          every broken invariant; empty when all hold
 */
public record InvariantReport(
    Instant checkedAt,
    Instant since,
    Map<String, Long> ordersByStatus,
    long confirmedTotal,
    long providerNetCaptured,
    long providerCaptures,
    List<Violation> violations) {

  public InvariantReport {
    ordersByStatus = Map.copyOf(ordersByStatus);
    violations = List.copyOf(violations);
  }

  public boolean ok() {
    return violations.isEmpty();
  }

  public long orders(String status) {
    return ordersByStatus.getOrDefault(status, 0L);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    violations.forEach(v -> list.add(v.toJson()));
    JsonObject byStatus = new JsonObject();
    new TreeMap<>(ordersByStatus).forEach(byStatus::put);
    return new JsonObject()
        .put("ok", ok())
        .put("checkedAt", checkedAt.toString())
        .put("since", since.toString())
        .put("orders", byStatus)
        .put("confirmedTotal", confirmedTotal)
        .put("providerNetCaptured", providerNetCaptured)
        .put("providerCaptures", providerCaptures)
        .put("violations", list);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
