package dev.vertxshop.hardening.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 10: an intruder on the cluster's network ({@link RogueNode}, a JVM of its own with two Vert.x
 * nodes on the stock vertx-hazelcast manager) that knows the Hazelcast cluster's name and its members, but
 * not the cluster secret, and holds no cluster certificate. It joins Hazelcast, registers fake consumers of
 * {@code catalog.product.get}, {@code users.jwks} and {@code orders.get}, and sends to {@code payments.cancel},
 * {@code catalog.product.create}, {@code orders.list} and {@code users.jwks} while the shop serves reads and
 * checkouts. Every shop node must see it and not trust it; none of its consumers may ever be chosen (reads
 * route over two catalog replicas and it: without the proof check a third of them would go to it); none of
 * its sends may be delivered.
 */
@DisplayName("Fault 10: an intruder without the cluster secret and certificate joins the cluster's network")
class RogueNodeIT {

  private static final Duration LOAD = Duration.ofSeconds(20);
  private static final double READS_PER_SECOND = 20;
  private static final double CHECKOUTS_PER_SECOND = 2;
  private static final Duration JOIN_BOUND = Duration.ofSeconds(60);
  private static final List<String> WATCHED = List.of("gateway", "catalog-a", "catalog-b", "payments", "orders-a", "users");

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(RogueNodeIT.class);
  }

  @Test
  @DisplayName("the intruder is never trusted, its consumers never chosen, its sends never delivered; the shop serves on")
  void rogueNode() throws Exception {
    try (Scenario scenario = Scenario.prepare("rogue", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()))) {
      FaultCluster cluster = scenario.cluster;
      Timeline timeline = scenario.timeline;
      Path log = cluster.workDir().resolve("logs/rogue.log");
      double createsBefore = processed(cluster, "catalog.product.create", "catalog-a", "catalog-b");
      double cancelsBefore = processed(cluster, "payments.cancel", "payments");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
          "-cp", System.getProperty("java.class.path"), RogueNode.class.getName(),
          cluster.hazelcastClusterName(), cluster.members(), String.valueOf(cluster.intruderPortFrom()));
      Process rogue = new ProcessBuilder(command).redirectErrorStream(false).redirectError(log.toFile()).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(rogue.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter in = new BufferedWriter(new OutputStreamWriter(rogue.getOutputStream(), StandardCharsets.UTF_8));
        readUntil(out, "ready", Duration.ofMinutes(3), rogue, log);
        long joined = timeline.mark("intruder's two nodes in the Hazelcast cluster");

        // Every watched node sees two members it does not trust.
        Map<String, Double> untrusted = new TreeMap<>();
        long until = System.nanoTime() + JOIN_BOUND.toNanos();
        while (System.nanoTime() < until) {
          untrusted.clear();
          for (String name : WATCHED) {
            untrusted.put(name, cluster.process(name).metric("shop_cluster_members_untrusted"));
          }
          if (untrusted.values().stream().allMatch(v -> v == 2)) {
            break;
          }
          ShopProcess.pause(250);
        }
        long seen = timeline.mark("every watched node counts 2 untrusted members");

        LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
        long loadStart = timeline.mark("load starts");
        load.start(LOAD);
        timeline.sleepUntil(loadStart + 3_000);
        List<String> sends = command(in, out, "attack", "attacked", rogue, log);
        timeline.mark("intruder's sends done");
        LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
        timeline.mark("load ended");
        List<String> received = command(in, out, "report", "reported", rogue, log);
        Aftermath after = scenario.aftermath(Duration.ofSeconds(60), Duration.ofSeconds(30));

        long attempts = sends.stream().filter(l -> l.startsWith("sent ")).count();
        long refused = sends.stream().filter(l -> l.contains(" refused")).count();
        long local = sends.stream().filter(l -> l.endsWith(" local")).count();
        long delivered = sends.stream().filter(l -> l.endsWith(" delivered")).count();
        long chosen = received.stream().filter(l -> l.startsWith("received ")).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        double creates = processed(cluster, "catalog.product.create", "catalog-a", "catalog-b") - createsBefore;
        double cancels = processed(cluster, "payments.cancel", "payments") - cancelsBefore;
        long cancelledOrders = after.orders().stream().filter(o -> "CANCELLED".equals(o.status())).count();
        double joinsCounted = cluster.process("gateway").metric("shop_cluster_untrusted_joins_total");

        ScenarioReport report = new ScenarioReport("rogue", "Fault 10: an intruder without the cluster secret and certificate")
            .row("intruder", "2 nodes (plain TCP; TLS with a self-signed certificate, trusting any server), stock vertx-hazelcast, "
                + "the cluster's Hazelcast name and members, no secret")
            .row("seen as untrusted (shop_cluster_members_untrusted)", untrusted + ", " + (seen - joined) + " ms after the intruder was ready")
            .row("untrusted joins counted by the gateway", joinsCounted)
            .row("intruder's sends: attempts / refused / delivered / answered by its own fake consumer", attempts + " / " + refused + " / "
                + delivered + " / " + local)
            .row("messages its fake consumers received (catalog.product.get, users.jwks, orders.get)", chosen)
            .row("catalog.product.create processed by catalog during the run", creates)
            .row("payments.cancel processed by payments / orders cancelled in the window", cancels + " / " + cancelledOrders)
            .row("requests sent / failed", result.sent() + " / " + result.failed())
            .row("invariant checker", after.invariants().violations().isEmpty() ? "PASS" : after.invariants().violations())
            .row("time line (ms from the scenario's start)", timeline.marks().stream()
                .map(m -> m.what() + " " + m.at()).collect(java.util.stream.Collectors.joining("; ")));
        report.publish(cluster.workDir());
        sends.forEach(line -> System.out.println("  " + line));

        assertThat(untrusted).as("untrusted members seen by each watched node").allSatisfy((name, count) -> assertThat(count).isEqualTo(2));
        assertThat(joinsCounted).isGreaterThanOrEqualTo(2);
        assertThat(attempts).isEqualTo(2L * RogueNode.ATTACKS.size() * RogueNode.SENDS_PER_ADDRESS);
        assertThat(delivered).as("intruder's sends delivered").isZero();
        assertThat(refused + local).isEqualTo(attempts);
        assertThat(chosen).as("messages routed to the intruder's consumers").isZero();
        assertThat(creates).as("products created during the run").isZero();
        assertThat(cancels).as("payments.cancel handled, beyond the shop's own cancellations").isLessThanOrEqualTo(cancelledOrders);
        assertThat(result.failed()).as("requests failed while the intruder was in the cluster").isZero();
        CatalogReplicaKillIT.assertCommon(after);
      } finally {
        rogue.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** The sum over {@code processes} of the event-bus messages processed for {@code address}. */
  private static double processed(FaultCluster cluster, String address, String... processes) {
    double total = 0;
    for (String name : processes) {
      double value = cluster.process(name).metric("vertx_eventbus_processed_total", "address=\"" + address + "\"");
      total += Double.isNaN(value) ? 0 : value;
    }
    return total;
  }

  private static List<String> command(BufferedWriter in, BufferedReader out, String command, String done, Process rogue, Path log)
      throws Exception {
    in.write(command + "\n");
    in.flush();
    return readUntil(out, done, Duration.ofMinutes(3), rogue, log);
  }

  private static List<String> readUntil(BufferedReader out, String last, Duration bound, Process rogue, Path log) throws Exception {
    List<String> lines = new ArrayList<>();
    long until = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < until) {
      if (out.ready()) {
        String line = out.readLine();
        if (line == null) {
          break;
        }
        lines.add(line);
        if (line.equals(last)) {
          return lines;
        }
      } else if (!rogue.isAlive()) {
        break;
      } else {
        ShopProcess.pause(50);
      }
    }
    throw new IllegalStateException("intruder did not print '" + last + "' (alive: " + rogue.isAlive() + "): " + lines + "\n"
        + (Files.exists(log) ? Files.readString(log) : ""));
  }
}
