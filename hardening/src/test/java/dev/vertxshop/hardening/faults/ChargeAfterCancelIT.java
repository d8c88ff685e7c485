package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.CatalogReplicaKillIT.assertCommon;
import static dev.vertxshop.hardening.faults.ShopApi.await;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8: charges delivered after the saga cancelled, two ways at once, under checkouts. The provider
 * holds every charge in its queue for 14 s before it records it ({@code processingDelayMs}, beyond payments'
 * 6.3 s for a whole charge and the saga's 10 s for the call), so payments answers TIMEOUT (or the saga's call
 * times out), the saga cancels, payments' cancel looks and finds nothing, and the capture lands afterwards:
 * payments' rechecks must find and refund it. Meanwhile the second
 * payments replica is frozen (SIGSTOP) for 12 s, longer than the saga's payment deadline (10 s in this
 * cluster): the charges waiting in its socket are delivered after their saga gave up and cancelled, and must
 * be refused (the caller's deadline, or the payment's cancelled row or tombstone), never carried out.
 */
@DisplayName("Fault 8: charges delivered after the saga cancelled (provider queue beyond the deadline, frozen payments replica)")
class ChargeAfterCancelIT {

  private static final Duration LOAD = Duration.ofSeconds(40);
  private static final double READS_PER_SECOND = 5;
  private static final double CHECKOUTS_PER_SECOND = 3;
  private static final long FAULT_AT_MS = 5_000;
  private static final int PROCESSING_DELAY_MS = 14_000;
  private static final long DELAY_END_MS = 15_000;
  private static final long FREEZE_MS = 12_000;
  private static final String FROZEN = FaultCluster.ON_DEMAND;

  /**
   * From checkout to CONFIRMED or CANCELLED, at most: a charge waiting its whole deadline (10 s), the
   * cancel's deadline (10 s) should its first try fail, a rest (5 s) and a sweep (1 s) before the next, plus
   * 15 s for two loaded cores.
   */
  static final Duration SETTLE_BOUND = FaultCluster.ORDERS_PAYMENT_DEADLINE.multipliedBy(2)
      .plus(FaultCluster.ORDERS_RETRY_LATER).plusSeconds(16);

  /**
   * From the end of the load until no capture is kept for an order that is not CONFIRMED: the last queued
   * charge lands 14 s after it arrived (the load goes on 25 s after the queue ends, so this is generous); payments' rechecks look 5 s, then 10 s more after the cancel (one of
   * them after the capture landed), each picked up by a sweep (every 5 s), plus 20 s of slack.
   */
  static final Duration REFUND_BOUND = Duration.ofMillis(PROCESSING_DELAY_MS)
      .plus(FaultCluster.PAYMENTS_REFUND_BACKOFF.multipliedBy(3)).plus(FaultCluster.PAYMENTS_REFUND_SWEEP.multipliedBy(2))
      .plusSeconds(20);

  private static final String WINDOW_ORDERS =
      "SELECT id, status, created_at, updated_at FROM orders.orders WHERE created_at >= $1";
  private static final String WINDOW_PAYMENTS =
      "SELECT p.status, count(*) AS n FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id "
          + "WHERE o.created_at >= $1 GROUP BY p.status";

  @AfterAll
  static void finished() {
    try {
      FaultCluster.shared().stopOnDemand();
    } finally {
      FaultCluster.scenarioFinished(ChargeAfterCancelIT.class);
    }
  }

  @Test
  @DisplayName("late captures are refunded, late charge deliveries refused: every order settles, nothing kept for a cancelled order, invariants hold")
  void chargesAfterCancel() {
    FaultCluster.shared().startOnDemand();
    try (Scenario scenario = Scenario.prepare("charge-after-cancel", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()) + 2)) {
      Timeline timeline = scenario.timeline;
      FaultCluster cluster = scenario.cluster;
      ShopApi api = scenario.api;
      ShopProcess frozen = cluster.process(FROZEN);
      List<ShopProcess> payments = List.of(cluster.process("payments"), frozen);
      List<ShopProcess> orders = List.of(cluster.process("orders-a"), cluster.process(FaultCluster.ISOLATED));
      Map<String, Double> before = refusals(payments, orders);

      LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      long faultAt;
      long delayEnd;
      long thawedAt;
      double resentAtFault;
      double resentBeforeThaw;
      try {
        timeline.sleepUntil(loadStart + FAULT_AT_MS);
        resentAtFault = resent(orders);
        api.providerFaults(new JsonObject().put("processingDelayMs", PROCESSING_DELAY_MS));
        faultAt = timeline.mark("provider queues charges " + PROCESSING_DELAY_MS + " ms; kill -STOP " + FROZEN);
        frozen.freeze();
        try {
          timeline.sleepUntil(loadStart + DELAY_END_MS);
          api.providerFaults(new JsonObject().put("processingDelayMs", 0));
          delayEnd = timeline.mark("provider processes at once again");
          timeline.sleepUntil(faultAt + FREEZE_MS - 500);
          resentBeforeThaw = resent(orders);
          timeline.sleepUntil(faultAt + FREEZE_MS);
        } finally {
          thawedAt = timeline.mark("kill -CONT " + FROZEN);
          frozen.thaw();
        }
      } finally {
        api.providerFaults(new JsonObject().put("processingDelayMs", 0));
      }
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      long loadEnd = timeline.mark("load ended");

      // Captures that land after their order was cancelled are refunded by payments' rechecks: wait for that
      // (bounded) before the invariant checker, which would otherwise see a capture kept for a cancelled order.
      Instant since = scenario.baseline.takenAt();
      long keptZeroAt = -1;
      List<String> kept = List.of();
      while (timeline.now() < loadEnd + REFUND_BOUND.toMillis()) {
        Map<String, WindowOrder> window = windowOrders(cluster, since);
        kept = keptForUnconfirmed(window, api.providerChargesAll());
        boolean pending = window.values().stream().anyMatch(o -> !"CONFIRMED".equals(o.status()) && !"CANCELLED".equals(o.status()));
        if (kept.isEmpty() && !pending) {
          keptZeroAt = timeline.now();
          break;
        }
        ShopProcess.pause(1_000);
      }
      frozen.awaitReady(Duration.ofSeconds(60));
      Aftermath after = scenario.aftermath(Duration.ofSeconds(60), Duration.ofSeconds(30));
      Map<String, Double> afterRefusals = refusals(payments, orders);
      Map<String, Double> refused = new TreeMap<>();
      afterRefusals.forEach((k, v) -> refused.put(k, v - before.getOrDefault(k, 0.0)));

      Map<String, WindowOrder> window = windowOrders(cluster, since);
      JsonArray charges = api.providerChargesAll();
      LateCaptures late = lateCaptures(window, charges);
      long slowestSettle = window.values().stream().filter(o -> o.updatedAt() != null)
          .mapToLong(o -> Duration.between(o.createdAt(), o.updatedAt()).toMillis()).max().orElse(0);
      double expiredAtFrozen = refused.get(FROZEN + " expired payments.charge");
      // The charges waiting at the frozen replica when the others noticed its silence: each was re-sent once.
      double copiesResent = resentBeforeThaw - resentAtFault;
      double refusedAtFrozen = expiredAtFrozen + refused.get(FROZEN + " refused charge tombstone")
          + refused.get(FROZEN + " refused charge cancelled");

      ScenarioReport report = new ScenarioReport("8-charge-after-cancel", "Fault 8: charges delivered after the saga cancelled")
          .row("load", READS_PER_SECOND + " product reads/s + " + CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds()
              + " s; from " + (faultAt - loadStart) + " ms the provider holds each charge " + PROCESSING_DELAY_MS
              + " ms before recording it (until " + (delayEnd - loadStart) + " ms) and " + FROZEN + " is frozen for "
              + (thawedAt - faultAt) + " ms")
          .row("deadlines", "payments per attempt " + FaultCluster.PAYMENTS_PROVIDER_TIMEOUT.toMillis() + " ms × "
              + FaultCluster.PAYMENTS_ATTEMPTS_PER_CHARGE + "; saga's payment calls " + FaultCluster.ORDERS_PAYMENT_DEADLINE.toMillis()
              + " ms; member timeout " + FaultCluster.MEMBER_TIMEOUT_SECONDS + " s")
          .row("requests sent", result.sent() + " (reads " + result.of("read").size() + ", cart " + result.of("cart").size()
              + ", checkouts " + result.of("checkout").size() + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("captures the provider recorded after their order was CANCELLED", late.afterCancel() + " (refunded "
              + late.afterCancelRefunded() + "), latest " + late.latestAfterCancelMs() + " ms after the cancel")
          .row("captures kept for orders not CONFIRMED", kept.size() + (keptZeroAt < 0 ? " after " + REFUND_BOUND.toMillis()
              + " ms" : ", none from " + (keptZeroAt - loadEnd) + " ms after the load (bound " + REFUND_BOUND.toMillis() + " ms)"))
          .row("slowest order from checkout to CONFIRMED/CANCELLED", slowestSettle + " ms (bound " + SETTLE_BOUND.toMillis() + " ms)")
          .row("payments of the window by status", paymentsByStatus(cluster, since))
          .row("charges waiting at " + FROZEN + " re-sent by orders to the other replica during the freeze", (long) copiesResent)
          .row("late charge deliveries refused (x-deadline, DEADLINE_EXCEEDED) by " + FROZEN, (long) expiredAtFrozen)
          .row("charges refused because the payment was cancelled first (tombstone / cancelled row)",
              (long) sumMatching(refused, "refused charge tombstone") + " / " + (long) sumMatching(refused, "refused charge cancelled"))
          .row("refusal counters (delta, by process)", refused);
      after.addTo(report);
      report.publish(cluster.workDir());

      assertThat(late.afterCancel()).as("captures landed after their order was cancelled (the fault happened)").isPositive();
      assertThat(late.afterCancelRefunded()).as("every capture that landed after its cancel was refunded").isEqualTo(late.afterCancel());
      assertThat(kept).as("captures kept for orders not CONFIRMED, " + REFUND_BOUND.toMillis() + " ms after the load").isEmpty();
      assertThat(slowestSettle).as("every order CONFIRMED or CANCELLED within " + SETTLE_BOUND.toMillis() + " ms of its checkout")
          .isLessThanOrEqualTo(SETTLE_BOUND.toMillis());
      assertThat(window.values()).as("no order left undecided").allMatch(o -> "CONFIRMED".equals(o.status()) || "CANCELLED".equals(o.status()));
      // A charge that waited at the frozen replica was re-sent; its first copy, delivered up to 12 s late
      // (after the 10 s deadline), is refused before it runs. (One whose handler had started before the
      // SIGSTOP goes on after it, as idempotent work; the invariants above cover what it does.)
      if (copiesResent > 0) {
        assertThat(refusedAtFrozen).as("late copies refused by " + FROZEN + " (deadline, or cancelled payment)").isPositive();
      }
      assertCommon(after);
    }
  }

  /** An order of the window, with its creation and last change (the decision, once decided). */
  record WindowOrder(String id, String status, Instant createdAt, Instant updatedAt) {
  }

  /** Captures recorded by the provider after their order had been CANCELLED. */
  record LateCaptures(long afterCancel, long afterCancelRefunded, long latestAfterCancelMs) {
  }

  static Map<String, WindowOrder> windowOrders(FaultCluster cluster, Instant since) {
    Map<String, WindowOrder> orders = new HashMap<>();
    for (Row row : await(cluster.shopDb().preparedQuery(WINDOW_ORDERS).execute(Tuple.of(OffsetDateTime.ofInstant(since, ZoneOffset.UTC))))) {
      orders.put(row.getUUID("id").toString(), new WindowOrder(row.getUUID("id").toString(), row.getString("status"),
          row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant()));
    }
    return orders;
  }

  /** "order: charge" for every captured, unrefunded charge of a window order that is not CONFIRMED. */
  static List<String> keptForUnconfirmed(Map<String, WindowOrder> window, JsonArray charges) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < charges.size(); i++) {
      JsonObject charge = charges.getJsonObject(i);
      WindowOrder order = window.get(charge.getString("reference"));
      if (order != null && !"CONFIRMED".equals(order.status()) && "captured".equals(charge.getString("status"))
          && !Boolean.TRUE.equals(charge.getBoolean("refunded"))) {
        kept.add(order.id() + " (" + order.status() + "): " + charge.getString("id"));
      }
    }
    return kept;
  }

  private static LateCaptures lateCaptures(Map<String, WindowOrder> window, JsonArray charges) {
    long late = 0;
    long refunded = 0;
    long latest = 0;
    for (int i = 0; i < charges.size(); i++) {
      JsonObject charge = charges.getJsonObject(i);
      WindowOrder order = window.get(charge.getString("reference"));
      if (order == null || !"CANCELLED".equals(order.status()) || !"captured".equals(charge.getString("status"))) {
        continue;
      }
      Instant recorded = Instant.parse(charge.getString("createdAt"));
      if (recorded.isAfter(order.updatedAt())) {
        late++;
        refunded += Boolean.TRUE.equals(charge.getBoolean("refunded")) ? 1 : 0;
        latest = Math.max(latest, Duration.between(order.updatedAt(), recorded).toMillis());
      }
    }
    return new LateCaptures(late, refunded, latest);
  }

  private static String paymentsByStatus(FaultCluster cluster, Instant since) {
    Map<String, Long> byStatus = new TreeMap<>();
    for (Row row : await(cluster.shopDb().preparedQuery(WINDOW_PAYMENTS).execute(Tuple.of(OffsetDateTime.ofInstant(since, ZoneOffset.UTC))))) {
      byStatus.put(row.getString("status"), row.getLong("n"));
    }
    return byStatus.toString();
  }

  /**
   * The counters of late work refused, by process: requests refused after their deadline
   * ({@code shop_bus_expired_total}), charges refused because the payment was cancelled
   * ({@code shop_payments_charges_refused_total}), and the charges orders re-sent because a payments
   * replica went silent ({@code shop_bus_resent_total}).
   */
  static Map<String, Double> refusals(List<ShopProcess> payments, List<ShopProcess> orders) {
    Map<String, Double> counters = new TreeMap<>();
    for (ShopProcess process : payments) {
      counters.put(process.name() + " expired payments.charge", zeroIfAbsent(process.metric("shop_bus_expired_total",
          "address=\"payments.charge\"")));
      counters.put(process.name() + " expired payments.cancel", zeroIfAbsent(process.metric("shop_bus_expired_total",
          "address=\"payments.cancel\"")));
      counters.put(process.name() + " refused charge tombstone", zeroIfAbsent(process.metric("shop_payments_charges_refused_total",
          "reason=\"tombstone\"")));
      counters.put(process.name() + " refused charge cancelled", zeroIfAbsent(process.metric("shop_payments_charges_refused_total",
          "reason=\"cancelled\"")));
    }
    double resent = 0;
    for (ShopProcess process : orders) {
      resent += zeroIfAbsent(process.metric("shop_bus_resent_total", "address=\"payments.charge\""));
    }
    counters.put("orders resent payments.charge", resent);
    return counters;
  }

  private static double resent(List<ShopProcess> orders) {
    double total = 0;
    for (ShopProcess process : orders) {
      total += zeroIfAbsent(process.metric("shop_bus_resent_total", "address=\"payments.charge\""));
    }
    return total;
  }

  static double sumMatching(Map<String, Double> counters, String part) {
    return counters.entrySet().stream().filter(e -> e.getKey().contains(part)).mapToDouble(Map.Entry::getValue).sum();
  }

  private static double zeroIfAbsent(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
