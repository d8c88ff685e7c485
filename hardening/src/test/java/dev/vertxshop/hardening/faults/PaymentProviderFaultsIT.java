package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.CatalogReplicaKillIT.assertCommon;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.faults.Checkouts.Answer;
import dev.vertxshop.hardening.faults.OrderAudit.Order;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: the payment provider down (its port closed), then slow (every answer after 3 s, beyond
 * payments' 2 s deadline), each followed by recovery, under a steady stream of checkouts. Payments'
 * breaker must open within its threshold, checkouts during the fault must end CANCELLED with their stock
 * released and nothing captured, and after recovery the breaker must close (a later checkout CONFIRMED).
 */
@DisplayName("Fault 4: payment provider outage, then slow provider")
class PaymentProviderFaultsIT {

  private static final double CHECKOUTS_PER_SECOND = 1;
  private static final long OUTAGE_AT_MS = 4_000;
  private static final long OUTAGE_END_MS = 12_000;
  private static final long SLOW_AT_MS = 20_000;
  private static final long SLOW_END_MS = 30_000;
  private static final Duration LOAD = Duration.ofSeconds(42);
  private static final int SLOW_LATENCY_MS = 3_000;

  /**
   * Checkouts that may start into an outage before the breaker opens: every attempt is refused at once, so
   * enough checkouts to make its failures, plus one in flight.
   */
  static final int CHECKOUTS_TO_OPEN = (int) Math.ceil((double) FaultCluster.PAYMENTS_BREAKER_MAX_FAILURES
      / FaultCluster.PAYMENTS_ATTEMPTS_PER_CHARGE) + 2;

  /**
   * How long a slow provider may take to open the breaker: its failures are attempts timing out, and one
   * charge's three attempts and backoffs (6.3 s) already make three of the five; the checkouts started
   * meanwhile, one a second, make the rest. Plus 1 s of slack.
   */
  static final Duration SLOW_OPEN_BOUND = FaultCluster.PAYMENTS_PROVIDER_TIMEOUT.multipliedBy(FaultCluster.PAYMENTS_ATTEMPTS_PER_CHARGE)
      .plusMillis(300).plusSeconds(1);

  /**
   * From the provider's recovery to the first CONFIRMED checkout: the breaker stays open for its reset
   * (5 s); a trial sent just before the recovery may still meet the fault and reopen it for another
   * reset, after at most one attempt's deadline (2 s); then the next checkout (1 s apart) confirms, plus 2 s of slack.
   */
  static final Duration RECOVERY_BOUND = FaultCluster.PAYMENTS_BREAKER_RESET.multipliedBy(2)
      .plus(FaultCluster.PAYMENTS_PROVIDER_TIMEOUT).plusSeconds(3);

  /**
   * A checkout sent this long before a fault ends may still meet the provider recovered: during the
   * outage every attempt is refused at once (the three attempts of a charge take 0.3 s of backoff), while
   * slow, the three attempts take up to 6.3 s.
   */
  static final long OUTAGE_TAIL_MS = 1_500;
  static final long SLOW_TAIL_MS = 7_000;

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(PaymentProviderFaultsIT.class);
  }

  @Test
  @DisplayName("the breaker opens within its threshold, fault-time checkouts are CANCELLED with stock back, recovery closes it")
  void providerOutageThenSlow() {
    try (Scenario scenario = Scenario.prepare("provider", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()) + 2);
        MetricWatch breaker = new MetricWatch(scenario.cluster.process("payments"), scenario.timeline,
            "shop_circuit_breaker_state", "name=\"payment-provider\"")) {
      Timeline timeline = scenario.timeline;
      ShopApi api = scenario.api;
      LoadGenerator load = scenario.load(0, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      long outageAt;
      long outageEnd;
      long slowAt;
      long slowEnd;
      JsonObject statsAtSlow;
      JsonObject statsAtOpen;
      JsonObject statsAtSlowEnd;
      try {
        timeline.sleepUntil(loadStart + OUTAGE_AT_MS);
        api.providerFaults(new JsonObject().put("outage", true));
        outageAt = timeline.mark("provider outage");
        timeline.sleepUntil(loadStart + OUTAGE_END_MS);
        api.providerFaults(new JsonObject().put("outage", false));
        outageEnd = timeline.mark("provider back");
        timeline.sleepUntil(loadStart + SLOW_AT_MS);
        statsAtSlow = api.providerStats();
        api.providerFaults(new JsonObject().put("latencyMs", SLOW_LATENCY_MS));
        slowAt = timeline.mark("provider slow (" + SLOW_LATENCY_MS + " ms)");
        // The provider's request count when the breaker opens: from then on only half-open trials may reach it.
        JsonObject atOpen = null;
        while (atOpen == null && timeline.now() < loadStart + SLOW_END_MS) {
          if (breaker.first(2, slowAt, Long.MAX_VALUE).isPresent()) {
            atOpen = api.providerStats();
          } else {
            ShopProcess.pause(50);
          }
        }
        statsAtOpen = atOpen;
        timeline.sleepUntil(loadStart + SLOW_END_MS);
        statsAtSlowEnd = api.providerStats();
        api.providerFaults(new JsonObject().put("latencyMs", 0));
        slowEnd = timeline.mark("provider fast again");
      } finally {
        api.providerFaults(new JsonObject().put("latencyMs", 0).put("failureRate", 0.0).put("outage", false));
      }
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      // Compensations deferred while the provider was slow (payment cancels) finish once it answers again.
      Aftermath after = scenario.aftermath(Duration.ofSeconds(60), Duration.ofSeconds(30));

      Map<String, Answer> answers = scenario.work.answers();
      Map<String, String> finalStatus = after.orders().stream().collect(Collectors.toMap(Order::id, Order::status));
      OptionalLong openedInOutage = breaker.first(2, outageAt, outageEnd);
      OptionalLong openedWhenSlow = breaker.first(2, slowAt, slowEnd);
      OptionalLong closedAfterOutage = breaker.first(0, outageEnd, slowAt);
      OptionalLong closedAfterSlow = breaker.first(0, slowEnd, Long.MAX_VALUE);
      long sentBeforeOpenOutage = checkoutsSent(result, outageAt, openedInOutage);
      long sentBeforeOpenSlow = checkoutsSent(result, slowAt, openedWhenSlow);
      OptionalLong confirmedAfterOutage = firstConfirmed(answers, outageEnd, slowAt);
      OptionalLong confirmedAfterSlow = firstConfirmed(answers, slowEnd, Long.MAX_VALUE);
      List<String> confirmedInOutage = confirmedSentIn(answers, finalStatus, outageAt, outageEnd - OUTAGE_TAIL_MS);
      List<String> confirmedWhenSlow = confirmedSentIn(answers, finalStatus, slowAt, slowEnd - SLOW_TAIL_MS);
      long cancelledInFaults = answers.values().stream()
          .filter(a -> (a.sentAt() >= outageAt && a.sentAt() < outageEnd) || (a.sentAt() >= slowAt && a.sentAt() < slowEnd))
          .filter(a -> "CANCELLED".equals(finalStatus.get(a.orderId()))).count();
      long requestsBeforeOpen = statsAtOpen == null ? -1 : statsAtOpen.getLong("requests") - statsAtSlow.getLong("requests");
      long requestsWhileOpen = statsAtOpen == null ? -1 : statsAtSlowEnd.getLong("requests") - statsAtOpen.getLong("requests");
      long trialLimit = openedWhenSlow.isEmpty() ? 0
          : (slowEnd - openedWhenSlow.getAsLong()) / FaultCluster.PAYMENTS_BREAKER_RESET.toMillis() + 1;
      Function<OptionalLong, String> ms = t -> t.isPresent() ? t.getAsLong() + " ms" : "never";

      ScenarioReport report = new ScenarioReport("4-payment-provider", "Fault 4: payment provider outage, then slow provider")
          .row("load", CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds() + " s; outage " + (outageAt - loadStart)
              + "-" + (outageEnd - loadStart) + " ms, latency " + SLOW_LATENCY_MS + " ms " + (slowAt - loadStart) + "-"
              + (slowEnd - loadStart) + " ms")
          .row("payments' breaker", FaultCluster.PAYMENTS_BREAKER_MAX_FAILURES + " failures, "
              + FaultCluster.PAYMENTS_ATTEMPTS_PER_CHARGE + " attempts per charge of " + FaultCluster.PAYMENTS_PROVIDER_TIMEOUT.toMillis()
              + " ms, reset " + FaultCluster.PAYMENTS_BREAKER_RESET.toMillis() + " ms")
          .row("requests sent", result.sent() + " (cart " + result.of("cart").size() + ", checkouts " + result.of("checkout").size()
              + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("breaker opened (outage)", ms.apply(since(openedInOutage, outageAt)) + " after the outage began, "
              + sentBeforeOpenOutage + " checkouts into it (limit " + CHECKOUTS_TO_OPEN + ")")
          .row("breaker opened (slow)", ms.apply(since(openedWhenSlow, slowAt)) + " after the slowdown began (limit "
              + SLOW_OPEN_BOUND.toMillis() + " ms), " + sentBeforeOpenSlow + " checkouts into it")
          .row("provider requests while slow", requestsBeforeOpen + " until the breaker opened, " + requestsWhileOpen
              + " while it was open (half-open trials, limit " + trialLimit + "), over " + (slowEnd - slowAt) + " ms")
          .row("breaker closed again", "after the outage: " + ms.apply(since(closedAfterOutage, outageEnd))
              + "; after the slowdown: " + ms.apply(since(closedAfterSlow, slowEnd)))
          .row("time to first CONFIRMED after recovery", "outage: " + ms.apply(since(confirmedAfterOutage, outageEnd))
              + "; slowdown: " + ms.apply(since(confirmedAfterSlow, slowEnd)) + " (bound " + RECOVERY_BOUND.toMillis() + " ms)")
          .row("checkouts sent during the faults that ended CANCELLED", cancelledInFaults)
          .row("breaker states seen (ms: state)", breaker.changes().stream().map(c -> (c.at() - loadStart) + ": " + (int) c.value())
              .collect(Collectors.joining(", ")));
      after.addTo(report);
      report.publish(scenario.cluster.workDir());

      assertThat(openedInOutage).as("the breaker opened during the outage").isPresent();
      assertThat(openedWhenSlow).as("the breaker opened while the provider was slow").isPresent();
      assertThat(sentBeforeOpenOutage).as("checkouts into the outage before the breaker opened").isLessThanOrEqualTo(CHECKOUTS_TO_OPEN);
      assertThat(since(openedWhenSlow, slowAt).getAsLong()).as("the breaker opened within one failing charge's retries")
          .isLessThanOrEqualTo(SLOW_OPEN_BOUND.toMillis());
      assertThat(requestsWhileOpen).as("while open, only half-open trials reach the slow provider").isBetween(0L, trialLimit);
      assertThat(confirmedInOutage).as("no checkout sent well inside the outage was CONFIRMED").isEmpty();
      assertThat(confirmedWhenSlow).as("no checkout sent well inside the slowdown was CONFIRMED").isEmpty();
      assertThat(cancelledInFaults).as("checkouts during the faults ended CANCELLED").isPositive();
      assertThat(closedAfterOutage).as("the breaker closed after the outage").isPresent();
      assertThat(closedAfterSlow).as("the breaker closed after the slowdown").isPresent();
      assertThat(since(confirmedAfterOutage, outageEnd).orElse(Long.MAX_VALUE))
          .as("a checkout CONFIRMED within " + RECOVERY_BOUND.toMillis() + " ms after the outage")
          .isLessThanOrEqualTo(RECOVERY_BOUND.toMillis());
      assertThat(since(confirmedAfterSlow, slowEnd).orElse(Long.MAX_VALUE))
          .as("a checkout CONFIRMED within " + RECOVERY_BOUND.toMillis() + " ms after the slowdown")
          .isLessThanOrEqualTo(RECOVERY_BOUND.toMillis());
      assertThat(result.failuresByStatus()).as("no request hung until the client gave up").doesNotContainKey(0);
      assertCommon(after);
    }
  }

  private static OptionalLong since(OptionalLong at, long reference) {
    return at.isPresent() ? OptionalLong.of(at.getAsLong() - reference) : at;
  }

  /** Checkout requests sent from {@code from} until the breaker opened (all of them after {@code from} if it never did). */
  private static long checkoutsSent(LoadResult result, long from, OptionalLong opened) {
    long to = opened.orElse(Long.MAX_VALUE);
    return result.of("checkout").stream().filter(s -> s.sentAt() >= from && s.sentAt() < to).count();
  }

  /** When the first checkout answered CONFIRMED in {@code [from, to)}. */
  private static OptionalLong firstConfirmed(Map<String, Answer> answers, long from, long to) {
    return answers.values().stream().filter(a -> "CONFIRMED".equals(a.status()) && a.at() >= from && a.at() < to)
        .mapToLong(Answer::at).min();
  }

  /** Orders whose checkout was sent in {@code [from, to)} and that ended CONFIRMED. */
  private static List<String> confirmedSentIn(Map<String, Answer> answers, Map<String, String> finalStatus, long from, long to) {
    return answers.values().stream().filter(a -> a.sentAt() >= from && a.sentAt() < to)
        .filter(a -> "CONFIRMED".equals(finalStatus.get(a.orderId()))).map(Answer::orderId).toList();
  }
}
