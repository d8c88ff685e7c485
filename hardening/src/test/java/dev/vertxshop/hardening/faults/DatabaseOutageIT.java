package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.CatalogReplicaKillIT.assertCommon;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.LocalPostgres;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: PostgreSQL stopped for about 10 s under load, then restarted on the same port and data.
 * Requests must fail fast (an answer within the gateway's deadline, never a hang), nothing may be
 * half-written, every service must recover by itself, and no saga may stay stuck.
 */
@DisplayName("Fault 2: PostgreSQL stopped for 10 s under load")
class DatabaseOutageIT {

  private static final Duration LOAD = Duration.ofSeconds(30);
  private static final long STOP_AT_MS = 5_000;
  private static final long OUTAGE_MS = 10_000;
  private static final double READS_PER_SECOND = 20;
  private static final double CHECKOUTS_PER_SECOND = 2;

  /** A failed request answers within its gateway deadline (plus scheduling slack): a fast failure, not a hang. */
  static final long FAIL_FAST_SLACK_MS = 500;

  /**
   * From the restart until error-free: the breakers the outage opened let a trial call through after
   * their reset (5 s), which needs the pools to connect again (immediate once PostgreSQL listens), plus
   * one deadline and 3 s of slack for two busy cores.
   */
  static final Duration RECOVERY_BOUND = FaultCluster.GATEWAY_BREAKER_RESET.plus(FaultCluster.GATEWAY_DEADLINE).plusSeconds(3);

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(DatabaseOutageIT.class);
  }

  @Test
  @DisplayName("requests fail fast during the outage, nothing is half-written, the shop recovers by itself, no saga stuck")
  void databaseOutage() {
    try (Scenario scenario = Scenario.prepare("pg", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()))) {
      Timeline timeline = scenario.timeline;
      LocalPostgres postgres = scenario.cluster.postgres();
      LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      long stopped;
      long restarted;
      try {
        timeline.sleepUntil(loadStart + STOP_AT_MS);
        timeline.mark("stopping PostgreSQL");
        postgres.stop();
        stopped = timeline.mark("PostgreSQL stopped");
        timeline.sleepUntil(stopped + OUTAGE_MS);
        timeline.mark("restarting PostgreSQL");
      } finally {
        // Whatever happened above, the database comes back: later scenarios share it.
        postgres.restart();
      }
      restarted = timeline.mark("PostgreSQL accepts connections again");
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      Aftermath after = scenario.aftermath(Duration.ofSeconds(60), Duration.ofSeconds(30));

      long recovery = result.recoveryAfter(restarted);
      long slowestRead = Math.max(result.maxFailedLatency("read"), result.maxFailedLatency("cart"));
      long slowestCheckout = result.maxFailedLatency("checkout");
      ScenarioReport report = new ScenarioReport("2-database-outage", "Fault 2: PostgreSQL stopped for 10 s")
          .row("load", READS_PER_SECOND + " product reads/s + " + CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds()
              + " s; PostgreSQL down from " + (stopped - loadStart) + " ms to " + (restarted - loadStart) + " ms ("
              + (restarted - stopped) + " ms)")
          .row("requests sent", result.sent() + " (reads " + result.of("read").size() + ", cart " + result.of("cart").size()
              + ", checkouts " + result.of("checkout").size() + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("failures answered 500 (internal) where 503 (unavailable) is due", result.failuresByStatus().getOrDefault(500, 0L)
              + " (the services report a lost database connection as an internal error until the gateway's breaker opens)")
          .row("slowest failure: reads and cart / checkout", slowestRead + " ms (deadline " + FaultCluster.GATEWAY_DEADLINE.toMillis()
              + " ms) / " + slowestCheckout + " ms (deadline " + FaultCluster.GATEWAY_CHECKOUT_DEADLINE.toMillis() + " ms)")
          .row("recovery time (restart until error-free)", recovery + " ms (bound " + RECOVERY_BOUND.toMillis() + " ms)")
          .row("read latency p50 / p99 (successes)", result.percentile("read", 50) + " / " + result.percentile("read", 99) + " ms");
      after.addTo(report);
      report.publish(scenario.cluster.workDir());

      assertThat(result.failedBefore(stopped - 1_000)).as("no failure before the outage").isEmpty();
      assertThat(result.failuresByStatus()).as("every failed request got an answer (no client-side timeout)").doesNotContainKey(0);
      assertThat(result.failuresByStatus().keySet()).as("failures are server errors, never a 4xx").allMatch(status -> status >= 500);
      assertThat(slowestRead).as("reads and cart writes fail within the gateway deadline")
          .isLessThanOrEqualTo(FaultCluster.GATEWAY_DEADLINE.toMillis() + FAIL_FAST_SLACK_MS);
      assertThat(slowestCheckout).as("checkouts fail within the gateway's checkout deadline")
          .isLessThanOrEqualTo(FaultCluster.GATEWAY_CHECKOUT_DEADLINE.toMillis() + FAIL_FAST_SLACK_MS);
      assertThat(result.failed()).as("the outage is seen by clients").isPositive();
      assertThat(recovery).as("error-free within " + RECOVERY_BOUND.toMillis() + " ms of the restart")
          .isLessThanOrEqualTo(RECOVERY_BOUND.toMillis());
      assertThat(result.successesAfter(restarted + recovery)).as("an error-free tail after recovery").isGreaterThan(80);
      assertCommon(after);
    }
  }
}
