package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.CatalogReplicaKillIT.assertCommon;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.LocalKafka;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: the Kafka broker stopped for 20 s under load, then restarted on the same port and logs.
 * Checkouts must go on (nothing in a checkout waits for Kafka), the outboxes must keep the events, and
 * once the broker is back every order's outcome event must be on {@code shop.orders.events} (events lost
 * = 0) and applied once by its consumers (one "order confirmed" notification per confirmed order).
 */
@DisplayName("Fault 3: Kafka stopped for 20 s under load")
class KafkaOutageIT {

  private static final Duration LOAD = Duration.ofSeconds(35);
  private static final long STOP_AT_MS = 5_000;
  private static final long OUTAGE_MS = 20_000;
  private static final double READS_PER_SECOND = 10;
  private static final double CHECKOUTS_PER_SECOND = 3;

  /**
   * From the restart until every outbox is empty: producers reconnect (their request and delivery
   * timeouts are 5 s and 10 s, so a batch in flight at the restart may fail once more), the relays poll
   * every second, plus slack for two busy cores.
   */
  static final Duration DELIVERY_BOUND = Duration.ofSeconds(30);

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(KafkaOutageIT.class);
  }

  @Test
  @DisplayName("checkouts continue without Kafka, the outbox keeps the events, every event is delivered once after recovery")
  void kafkaOutage() {
    try (Scenario scenario = Scenario.prepare("kafka", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()))) {
      Timeline timeline = scenario.timeline;
      LocalKafka kafka = scenario.cluster.kafka();
      OrderAudit audit = new OrderAudit(scenario.cluster.shopDb(), kafka.bootstrapServers());
      LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      long stopped;
      Map<String, Long> backlog;
      try {
        timeline.sleepUntil(loadStart + STOP_AT_MS);
        timeline.mark("stopping Kafka");
        kafka.stop();
        stopped = timeline.mark("Kafka stopped");
        timeline.sleepUntil(stopped + OUTAGE_MS);
        backlog = audit.unpublished();
        timeline.mark("restarting Kafka");
      } finally {
        // Whatever happened above, the broker comes back: later scenarios share it.
        kafka.restart();
      }
      long restarted = timeline.mark("Kafka answers again");
      long drained = audit.awaitOutboxDrained(DELIVERY_BOUND);
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      Aftermath after = scenario.aftermath(Duration.ofSeconds(60), DELIVERY_BOUND);

      long confirmedDuringOutage = scenario.work.answers().values().stream()
          .filter(a -> "CONFIRMED".equals(a.status()) && a.at() >= stopped && a.at() < restarted).count();
      long backlogTotal = backlog.values().stream().mapToLong(Long::longValue).sum();
      ScenarioReport report = new ScenarioReport("3-kafka-outage", "Fault 3: Kafka stopped for 20 s")
          .row("load", READS_PER_SECOND + " product reads/s + " + CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds()
              + " s; Kafka down from " + (stopped - loadStart) + " ms to " + (restarted - loadStart) + " ms ("
              + (restarted - stopped) + " ms)")
          .row("requests sent", result.sent() + " (reads " + result.of("read").size() + ", cart " + result.of("cart").size()
              + ", checkouts " + result.of("checkout").size() + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("recovery time (requests)", result.failed() == 0 ? "none needed: no request failed" : result.recoveryAfter(restarted) + " ms after the restart")
          .row("checkouts confirmed while Kafka was down", confirmedDuringOutage)
          .row("events waiting in the outboxes just before the restart", backlogTotal + " " + backlog)
          .row("outboxes drained after the restart", drained < 0 ? "NOT within " + DELIVERY_BOUND.toSeconds() + " s" : drained + " ms")
          .row("checkout latency p50 / p99 (successes)", result.percentile("checkout", 50) + " / " + result.percentile("checkout", 99) + " ms");
      after.addTo(report);
      report.publish(scenario.cluster.workDir());

      assertThat(result.failed()).as("no request fails because Kafka is down").isZero();
      assertThat(confirmedDuringOutage).as("checkouts confirmed while Kafka was down").isPositive();
      assertThat(backlogTotal).as("the outboxes kept the events while Kafka was down").isPositive();
      assertThat(drained).as("every outbox drained within " + DELIVERY_BOUND.toSeconds() + " s of the restart")
          .isBetween(0L, DELIVERY_BOUND.toMillis());
      assertCommon(after);
    }
  }
}
