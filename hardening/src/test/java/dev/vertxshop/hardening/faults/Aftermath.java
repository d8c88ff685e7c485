package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.ShopApi.await;

import dev.vertxshop.hardening.faults.OrderAudit.Order;
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import dev.vertxshop.audit.InvariantReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything checked once a scenario's load has ended and the system is quiet: the saga invariants
 * ({@link InvariantChecker} over the scenario's window), half-written orders, outcome events lost on the
 * way to Kafka, orders confirmed twice, double captures at the provider, and one notification per
 * confirmed order.
 *
 * @param quiet            null when the system became quiet in time; otherwise why not
 * @param eventsLost       decided orders whose outcome event never reached {@code shop.orders.events}
 * @param confirmedTwice   orders with more than one distinct OrderConfirmed event, or confirmed and cancelled
 * @param doubleCaptures   orders the provider captured more than once (refunded captures included)
 * @param notificationErrors confirmed orders without exactly one "Order confirmed" notification
 * @param placedDespiteFailure orders of shoppers whose checkout request failed for them (an error status or no
 *     answer): the request was carried out after all, typically delivered late once a network fault ended
 */
record Aftermath(String quiet, long quietMillis, InvariantReport invariants, List<Order> orders, List<String> halfWritten,
    List<String> eventsLost, List<String> confirmedTwice, List<String> doubleCaptures, List<String> notificationErrors,
    List<Order> placedDespiteFailure) {

  static Aftermath collect(FaultCluster cluster, InvariantChecker checker, Baseline baseline, Duration quietTimeout,
      Duration deliveryTimeout, Set<String> failedShoppers) {
    long start = System.nanoTime();
    String quiet = null;
    try {
      await(checker.awaitQuiet(baseline, quietTimeout), quietTimeout.plusSeconds(10));
    } catch (RuntimeException e) {
      quiet = e.getMessage();
    }
    long quietMillis = (System.nanoTime() - start) / 1_000_000;
    InvariantReport invariants = await(checker.check(baseline));
    OrderAudit audit = new OrderAudit(cluster.shopDb(), cluster.kafka().bootstrapServers());
    List<Order> orders = audit.orders(baseline.takenAt());
    List<String> halfWritten = audit.halfWritten(baseline.takenAt());
    List<String> lost = audit.awaitOutcomeEvents(orders, deliveryTimeout);

    Set<String> ids = new HashSet<>();
    orders.forEach(o -> ids.add(o.id()));
    Map<String, Map<String, Set<String>>> events = audit.orderEvents(ids);
    List<String> twice = new ArrayList<>();
    events.forEach((order, byType) -> {
      int confirmed = byType.getOrDefault("OrderConfirmed", Set.of()).size();
      int cancelled = byType.getOrDefault("OrderCancelled", Set.of()).size();
      if (confirmed > 1 || (confirmed > 0 && cancelled > 0)) {
        twice.add(order + ": " + confirmed + " OrderConfirmed, " + cancelled + " OrderCancelled");
      }
    });

    JsonArray charges = cluster.api().providerChargesAll();
    Map<String, Integer> captures = new HashMap<>();
    for (int i = 0; i < charges.size(); i++) {
      JsonObject charge = charges.getJsonObject(i);
      if ("captured".equals(charge.getString("status")) && ids.contains(charge.getString("reference"))) {
        captures.merge(charge.getString("reference"), 1, Integer::sum);
      }
    }
    List<String> doubles = new ArrayList<>();
    captures.forEach((order, count) -> {
      if (count > 1) {
        doubles.add(order + ": " + count + " captures");
      }
    });

    List<String> confirmedIds = orders.stream().filter(o -> "CONFIRMED".equals(o.status())).map(Order::id).toList();
    List<String> notificationErrors = awaitOneNotificationEach(audit, confirmedIds, deliveryTimeout);
    List<Order> placedDespiteFailure = orders.stream().filter(o -> failedShoppers.contains(o.userId())).toList();
    return new Aftermath(quiet, quietMillis, invariants, orders, halfWritten, lost, twice, doubles, notificationErrors,
        placedDespiteFailure);
  }

  /** Polls until every confirmed order has exactly one "Order confirmed" notification; returns the ones that do not. */
  private static List<String> awaitOneNotificationEach(OrderAudit audit, List<String> confirmed, Duration timeout) {
    if (confirmed.isEmpty()) {
      return List.of();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> wrong;
    do {
      Map<String, Long> notes = audit.confirmedNotifications(confirmed);
      wrong = new ArrayList<>();
      boolean duplicate = false;
      for (String order : confirmed) {
        long count = notes.getOrDefault(order, 0L);
        if (count != 1) {
          wrong.add(order + ": " + count + " notifications");
          duplicate |= count > 1;
        }
      }
      // A duplicate never goes away: no point waiting for it.
      if (wrong.isEmpty() || duplicate) {
        return wrong;
      }
      ShopProcess.pause(300);
    } while (System.nanoTime() < deadline);
    return wrong;
  }

  long orders(String status) {
    return orders.stream().filter(o -> status.equals(o.status())).count();
  }

  /** Orders by status, and cancelled ones by reason: {@code CONFIRMED=12, CANCELLED=3 (PAYMENT_UNAVAILABLE=3)}. */
  String ordersSummary() {
    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> byReason = new TreeMap<>();
    for (Order order : orders) {
      byStatus.merge(order.status(), 1L, Long::sum);
      if (order.cancelReason() != null) {
        byReason.merge(order.cancelReason(), 1L, Long::sum);
      }
    }
    return orders.size() + " " + byStatus + (byReason.isEmpty() ? "" : ", cancelled by reason " + byReason);
  }

  /** The rows every scenario reports after its own. */
  void addTo(ScenarioReport report) {
    report.row("orders placed in the window", ordersSummary())
        .row("sagas resumed by a sweep after a failed step (orders with resumes > 0)",
            orders.stream().filter(o -> o.resumes() > 0).count())
        .row("checkouts failed for the client but carried out anyway", placedDespiteFailure.isEmpty() ? "0"
            : placedDespiteFailure.size() + " " + placedDespiteFailure.stream().collect(java.util.stream.Collectors.groupingBy(
                Order::status, TreeMap::new, java.util.stream.Collectors.counting()))
                + " (a retry with the same Idempotency-Key returns that order)")
        .row("quiet (no PENDING order, no running saga) after the load", quiet == null ? quietMillis + " ms" : "NOT QUIET: " + quiet)
        .row("half-written orders", halfWritten.size() + (halfWritten.isEmpty() ? "" : " " + limit(halfWritten)))
        .row("events lost (decided orders without their outcome event on shop.orders.events)",
            eventsLost.size() + (eventsLost.isEmpty() ? "" : " " + limit(eventsLost)))
        .row("orders confirmed twice", confirmedTwice.size() + (confirmedTwice.isEmpty() ? "" : " " + limit(confirmedTwice)))
        .row("double captures at the provider", doubleCaptures.size() + (doubleCaptures.isEmpty() ? "" : " " + limit(doubleCaptures)))
        .row("confirmed orders without exactly one notification",
            notificationErrors.size() + (notificationErrors.isEmpty() ? "" : " " + limit(notificationErrors)))
        .row("invariant checker", (invariants.ok() ? "PASS" : "FAIL " + invariants.violations().size() + " violations "
            + limit(invariants.violations().stream().map(Object::toString).toList()))
            + " (" + invariants.ordersByStatus() + ", confirmed total " + invariants.confirmedTotal()
            + ", provider net captured " + invariants.providerNetCaptured() + ")");
  }

  private static String limit(List<String> items) {
    return items.size() <= 5 ? items.toString() : items.subList(0, 5) + " and " + (items.size() - 5) + " more";
  }
}
