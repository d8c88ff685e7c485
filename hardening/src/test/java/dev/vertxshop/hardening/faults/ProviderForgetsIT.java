package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.ShopApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.faults.ChargeAfterCancelIT.WindowOrder;
import dev.vertxshop.audit.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9: the provider forgets every charge and idempotency key ({@code POST /admin/forget}, as a
 * provider restart that lost its books would) while checkouts are in flight and after captures. For 7 s
 * before the forget it answers after 3 s (beyond payments' 2 s deadline): it records each charge on arrival
 * and the answer is lost, so payments holds attempted charges it has not heard of, and the sagas are
 * cancelling them when the books go. Orders confirmed before that keep a capture the provider no longer
 * knows.
 *
 * <p>What the shop must still do: decide every order (CONFIRMED, CANCELLED, or NEEDS_ATTENTION for an
 * operator, never PENDING), leave no captured payment on an order that is not CONFIRMED, and keep no
 * capture in the provider's (new) books for such an order. The invariant checker reads the provider's
 * books, so two of its rules report what the provider lost, and only that: {@code confirmed-one-capture}
 * for the orders confirmed with a forgotten capture, and {@code provider-net-captured} by exactly the
 * forgotten captures of orders that were not confirmed with them (money the provider took, as its own
 * totals say, and can no longer refund). Every other rule must pass.
 */
@DisplayName("Fault 9: the payment provider forgets its charges while checkouts are in flight")
class ProviderForgetsIT {

  private static final Duration LOAD = Duration.ofSeconds(30);
  private static final double READS_PER_SECOND = 5;
  private static final double CHECKOUTS_PER_SECOND = 2;
  private static final long SLOW_AT_MS = 4_000;
  private static final long FORGET_AT_MS = 11_000;
  private static final long SLOW_END_MS = 13_000;
  private static final int SLOW_LATENCY_MS = 3_000;
  private static final Duration SETTLE_BOUND = ChargeAfterCancelIT.SETTLE_BOUND;
  /** Rules that read the provider's per-charge books, and so report what it forgot. */
  private static final Set<String> PROVIDER_BOOK_RULES = Set.of("confirmed-one-capture", "provider-net-captured");

  private static final String CAPTURED_NOT_CONFIRMED =
      "SELECT p.order_id, o.status FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id "
          + "WHERE o.created_at >= $1 AND p.status = 'CAPTURED' AND o.status <> 'CONFIRMED'";
  private static final String CONFIRMED_CHARGES =
      "SELECT p.order_id, p.provider_charge_id FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id "
          + "WHERE o.created_at >= $1 AND o.status = 'CONFIRMED'";
  private static final String PAYMENTS_BY_STATUS =
      "SELECT p.status, count(*) AS n FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id "
          + "WHERE o.created_at >= $1 GROUP BY p.status";

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(ProviderForgetsIT.class);
  }

  @Test
  @DisplayName("every order decided, no capture kept for an unconfirmed order, the checker reports exactly what the provider lost")
  void providerForgets() {
    try (Scenario scenario = Scenario.prepare("provider-forgets", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()) + 2)) {
      Timeline timeline = scenario.timeline;
      FaultCluster cluster = scenario.cluster;
      ShopApi api = scenario.api;
      Instant since = scenario.baseline.takenAt();
      ShopProcess payments = cluster.process("payments");
      List<ShopProcess> orders = List.of(cluster.process("orders-a"), cluster.process(FaultCluster.ISOLATED));
      double attentionBefore = attentionSent(orders);

      LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      long slowAt;
      long forgetAt;
      long slowEnd;
      JsonArray booksBefore;
      long forgotten;
      try {
        timeline.sleepUntil(loadStart + SLOW_AT_MS);
        api.providerFaults(new JsonObject().put("latencyMs", SLOW_LATENCY_MS));
        slowAt = timeline.mark("provider answers after " + SLOW_LATENCY_MS + " ms");
        timeline.sleepUntil(loadStart + FORGET_AT_MS);
        booksBefore = api.providerChargesAll();
        forgotten = api.providerForget();
        forgetAt = timeline.mark("provider forgets " + forgotten + " charges");
        timeline.sleepUntil(loadStart + SLOW_END_MS);
        api.providerFaults(new JsonObject().put("latencyMs", 0));
        slowEnd = timeline.mark("provider fast again");
      } finally {
        api.providerFaults(new JsonObject().put("latencyMs", 0));
      }
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      long loadEnd = timeline.mark("load ended");

      // Every order decided or handed to an operator, bounded.
      Map<String, WindowOrder> window = Map.of();
      long decidedAt = -1;
      while (timeline.now() < loadEnd + SETTLE_BOUND.toMillis()) {
        window = ChargeAfterCancelIT.windowOrders(cluster, since);
        if (window.values().stream().noneMatch(o -> "PENDING".equals(o.status()))) {
          decidedAt = timeline.now();
          break;
        }
        ShopProcess.pause(1_000);
      }
      List<JsonObject> attention = attentionOrders(api, window.keySet());
      Aftermath after = scenario.aftermath(attention.isEmpty() ? Duration.ofSeconds(60) : Duration.ofSeconds(5), Duration.ofSeconds(30));
      window = ChargeAfterCancelIT.windowOrders(cluster, since);

      // What the provider lost: the window's captures in its books just before it forgot them.
      Map<String, String> confirmedCharge = confirmedCharges(cluster, since);
      Set<String> forgottenIds = new HashSet<>();
      Set<String> confirmedWithForgotten = new HashSet<>();
      long lostForUnconfirmed = 0;
      long forgottenWindowCaptures = 0;
      for (int i = 0; i < booksBefore.size(); i++) {
        JsonObject charge = booksBefore.getJsonObject(i);
        forgottenIds.add(charge.getString("id"));
        String order = charge.getString("reference");
        if (!window.containsKey(order) || !"captured".equals(charge.getString("status")) || Boolean.TRUE.equals(charge.getBoolean("refunded"))) {
          continue;
        }
        forgottenWindowCaptures++;
        if (charge.getString("id").equals(confirmedCharge.get(order))) {
          confirmedWithForgotten.add(order);
        } else {
          lostForUnconfirmed += charge.getLong("amount");
        }
      }
      List<String> capturedNotConfirmed = capturedNotConfirmed(cluster, since);
      List<String> kept = ChargeAfterCancelIT.keptForUnconfirmed(window, api.providerChargesAll());
      long slowestSettle = window.values().stream().filter(o -> !"PENDING".equals(o.status()))
          .mapToLong(o -> Duration.between(o.createdAt(), o.updatedAt()).toMillis()).max().orElse(0);
      List<Violation> violations = after.invariants().violations();
      List<Violation> unexplained = new ArrayList<>();
      Set<String> reportedWithoutCapture = new HashSet<>();
      for (Violation violation : violations) {
        if ("confirmed-one-capture".equals(violation.rule()) && confirmedWithForgotten.contains(violation.orderId())) {
          reportedWithoutCapture.add(violation.orderId());
        } else if (!"provider-net-captured".equals(violation.rule())) {
          unexplained.add(violation);
        }
      }
      long excess = after.invariants().providerNetCaptured() - after.invariants().confirmedTotal();
      double attentionCount = attentionSent(orders) - attentionBefore;

      ScenarioReport report = new ScenarioReport("9-provider-forgets", "Fault 9: the payment provider forgets its charges")
          .row("load", READS_PER_SECOND + " product reads/s + " + CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds()
              + " s; provider answers after " + SLOW_LATENCY_MS + " ms from " + (slowAt - loadStart) + " ms to " + (slowEnd - loadStart)
              + " ms; it forgets its books at " + (forgetAt - loadStart) + " ms")
          .row("requests sent", result.sent() + " (reads " + result.of("read").size() + ", cart " + result.of("cart").size()
              + ", checkouts " + result.of("checkout").size() + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("charges forgotten", forgotten + " (of them captures of this window's orders, unrefunded: " + forgottenWindowCaptures
              + "; of CONFIRMED orders: " + confirmedWithForgotten.size() + ")")
          .row("forgotten captures of orders not confirmed with them (the provider took it, cannot refund it)", lostForUnconfirmed + " minor units")
          .row("orders of the window undecided (PENDING) at the end", window.values().stream().filter(o -> "PENDING".equals(o.status())).count()
              + (decidedAt < 0 ? "" : "; all decided " + Math.max(0, decidedAt - loadEnd) + " ms after the load"))
          .row("slowest order from checkout to its decision", slowestSettle + " ms (bound " + SETTLE_BOUND.toMillis() + " ms)")
          .row("orders NEEDS_ATTENTION (the operators' list; sagas sent there by orders-a and orders-b)", attention.size() + " " + attention.stream()
              .map(o -> o.getString("id") + ": " + o.getJsonObject("saga", new JsonObject()).getString("lastError"))
              .collect(Collectors.toList()) + "; counter " + (long) attentionCount)
          .row("payments needing attention (payments' gauge)", (long) zero(payments.metric("shop_payments_needing_attention")))
          .row("payments of the window by status", paymentsByStatus(cluster, since))
          .row("captured payments on orders not CONFIRMED", capturedNotConfirmed.size() + (capturedNotConfirmed.isEmpty() ? "" : " " + capturedNotConfirmed))
          .row("captures kept in the provider's books for orders not CONFIRMED", kept.size() + (kept.isEmpty() ? "" : " " + kept))
          .row("checker: confirmed orders without a capture at the provider (their capture was forgotten)",
              reportedWithoutCapture.size() + " of " + confirmedWithForgotten.size())
          .row("checker: provider net captured − confirmed total", excess + " (the forgotten captures of unconfirmed orders: " + lostForUnconfirmed + ")")
          .row("checker: other violations", unexplained.size() + (unexplained.isEmpty() ? "" : " " + unexplained));
      after.addTo(report);
      report.publish(cluster.workDir());

      assertThat(forgotten).as("nothing reached the books between reading them and the forget").isEqualTo(booksBefore.size());
      assertThat(window.values()).as("no order PENDING: each is CONFIRMED, CANCELLED or NEEDS_ATTENTION")
          .noneMatch(o -> "PENDING".equals(o.status()));
      assertThat(slowestSettle).as("every order decided within " + SETTLE_BOUND.toMillis() + " ms of its checkout")
          .isLessThanOrEqualTo(SETTLE_BOUND.toMillis());
      assertThat(capturedNotConfirmed).as("captured payments on orders not CONFIRMED").isEmpty();
      assertThat(kept).as("captures kept at the provider for orders not CONFIRMED").isEmpty();
      assertThat(reportedWithoutCapture).as("the checker reports each confirmed order whose capture was forgotten")
          .isEqualTo(confirmedWithForgotten);
      assertThat(excess).as("provider net captured − confirmed total = the forgotten captures of unconfirmed orders")
          .isEqualTo(lostForUnconfirmed);
      assertThat(unexplained).as("no violation the forget does not explain").isEmpty();
      if (attention.isEmpty()) {
        assertThat(after.quiet()).as("no saga running once the load stopped").isNull();
      }
      assertThat(after.halfWritten()).as("half-written orders").isEmpty();
      assertThat(after.eventsLost()).as("events lost").isEmpty();
      assertThat(after.confirmedTwice()).as("orders confirmed twice").isEmpty();
      assertThat(after.doubleCaptures()).as("double captures in the provider's books").isEmpty();
      assertThat(after.notificationErrors()).as("one notification per confirmed order").isEmpty();
    }
  }

  /** The window's NEEDS_ATTENTION orders as the operators' list shows them. */
  private static List<JsonObject> attentionOrders(ShopApi api, Set<String> window) {
    JsonArray items = api.adminOrders("NEEDS_ATTENTION").getJsonArray("items");
    List<JsonObject> orders = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (window.contains(items.getJsonObject(i).getString("id"))) {
        orders.add(items.getJsonObject(i));
      }
    }
    return orders;
  }

  private static Map<String, String> confirmedCharges(FaultCluster cluster, Instant since) {
    Map<String, String> charges = new HashMap<>();
    for (Row row : await(cluster.shopDb().preparedQuery(CONFIRMED_CHARGES).execute(Tuple.of(utc(since))))) {
      charges.put(row.getUUID("order_id").toString(), row.getString("provider_charge_id"));
    }
    return charges;
  }

  private static List<String> capturedNotConfirmed(FaultCluster cluster, Instant since) {
    List<String> found = new ArrayList<>();
    for (Row row : await(cluster.shopDb().preparedQuery(CAPTURED_NOT_CONFIRMED).execute(Tuple.of(utc(since))))) {
      found.add(row.getUUID("order_id") + " (" + row.getString("status") + ")");
    }
    return found;
  }

  private static String paymentsByStatus(FaultCluster cluster, Instant since) {
    Map<String, Long> byStatus = new TreeMap<>();
    for (Row row : await(cluster.shopDb().preparedQuery(PAYMENTS_BY_STATUS).execute(Tuple.of(utc(since))))) {
      byStatus.put(row.getString("status"), row.getLong("n"));
    }
    return byStatus.toString();
  }

  /** Sagas sent to NEEDS_ATTENTION by the orders replicas ({@code shop_orders_saga_attention_total}, every step). */
  private static double attentionSent(List<ShopProcess> orders) {
    return orders.stream().mapToDouble(p -> p.metricSum("shop_orders_saga_attention_total")).sum();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static double zero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
