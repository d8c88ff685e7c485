package dev.vertxshop.hardening.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: {@code kill -9} of one of the two catalog JVMs under load. The event bus must route around
 * it as soon as Hazelcast drops the member (heartbeat 1 s, member timeout 3 s), and the gateway's catalog
 * breaker, opened by the requests that went to the dead node, must close again by itself.
 */
@DisplayName("Fault 1: kill -9 of one of two catalog replicas under load")
class CatalogReplicaKillIT {

  private static final Duration LOAD = Duration.ofSeconds(25);
  private static final long KILL_AT_MS = 5_000;
  private static final double READS_PER_SECOND = 40;
  private static final double CHECKOUTS_PER_SECOND = 2;

  /**
   * The longest a client may see errors after the kill: Hazelcast's member timeout (until then requests
   * routed to the dead node are lost), plus one gateway deadline (the last of them to fail), plus one
   * breaker reset (the breaker those failures opened lets its trial call through), plus 2 s for heartbeat
   * phase and scheduling on two busy cores.
   */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(FaultCluster.MEMBER_TIMEOUT_SECONDS)
      .plus(FaultCluster.GATEWAY_DEADLINE).plus(FaultCluster.GATEWAY_BREAKER_RESET).plusSeconds(2);

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(CatalogReplicaKillIT.class);
  }

  @Test
  @DisplayName("the event bus routes around the dead replica: failures only in the detection window, error-free within the bound, invariants hold")
  void killOneCatalogReplica() {
    try (Scenario scenario = Scenario.prepare("kill", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()))) {
      Timeline timeline = scenario.timeline;
      LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      timeline.sleepUntil(loadStart + KILL_AT_MS);
      ShopProcess victim = scenario.cluster.process("catalog-a");
      long killedAt = timeline.mark("kill -9 catalog-a");
      long killedEpoch = System.currentTimeMillis();
      victim.kill();
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      Aftermath after = scenario.aftermath(Duration.ofSeconds(60), Duration.ofSeconds(30));
      long dropped = scenario.cluster.process("gateway").logLineAfter(killedEpoch, "Members {size:8");

      long recovery = result.recoveryAfter(killedAt);
      ScenarioReport report = new ScenarioReport("1-catalog-replica-kill", "Fault 1: kill -9 of one of two catalog replicas")
          .row("load", READS_PER_SECOND + " product reads/s + " + CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds()
              + " s; kill -9 of catalog-a " + (killedAt - loadStart) + " ms into it")
          .row("Hazelcast failure detection", "heartbeat " + FaultCluster.HEARTBEAT_SECONDS + " s, member timeout "
              + FaultCluster.MEMBER_TIMEOUT_SECONDS + " s")
          .row("member dropped from the gateway's view", dropped < 0 ? "not seen in its log" : (dropped - killedEpoch) + " ms after the kill")
          .row("requests sent", result.sent() + " (reads " + result.of("read").size() + ", cart " + result.of("cart").size()
              + ", checkouts " + result.of("checkout").size() + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("most frequent failures", result.commonFailures(3))
          .row("slowest failure", result.maxFailedLatency() + " ms")
          .row("recovery time (kill until error-free)", recovery + " ms (bound " + RECOVERY_BOUND.toMillis() + " ms)")
          .row("read latency p50 / p99 (successes)", result.percentile("read", 50) + " / " + result.percentile("read", 99) + " ms");
      after.addTo(report);
      report.publish(scenario.cluster.workDir());

      assertThat(result.failedBefore(killedAt)).as("no failure before the kill").isEmpty();
      assertThat(recovery).as("error-free within " + RECOVERY_BOUND.toMillis() + " ms of the kill")
          .isLessThanOrEqualTo(RECOVERY_BOUND.toMillis());
      assertThat(result.failuresByStatus().keySet()).as("failures are 503 (breaker open, no handler) or 504 (deadline), never 500 nor a lost connection (0); most frequent: "
          + result.commonFailures(3))
          .isSubsetOf(503, 504);
      assertThat(result.successesAfter(killedAt + recovery)).as("an error-free tail after recovery").isGreaterThan(200);
      assertCommon(after);
    }
  }

  /** What must hold after every scenario. */
  static void assertCommon(Aftermath after) {
    assertThat(after.quiet()).as("no saga stuck once the load stopped").isNull();
    assertThat(after.halfWritten()).as("half-written orders").isEmpty();
    assertThat(after.eventsLost()).as("events lost").isEmpty();
    assertThat(after.confirmedTwice()).as("orders confirmed twice").isEmpty();
    assertThat(after.doubleCaptures()).as("double captures").isEmpty();
    assertThat(after.notificationErrors()).as("one notification per confirmed order").isEmpty();
    assertThat(after.invariants().violations()).as("saga invariants").isEmpty();
  }
}
