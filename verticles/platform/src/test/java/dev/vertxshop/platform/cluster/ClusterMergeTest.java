package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closed cluster that formed as two (what a slow start does when members do not find each other in
 * time) and then merges: the members of the smaller side leave their cluster and join the larger one under
 * new Hazelcast member ids, with the same node ids and proofs. Every member must trust every other again.
 * Five real members on 127.0.0.1 in this JVM: "a" and "b" start first and know all five addresses; "c",
 * "d" and "e" start after them and know only each other, so two clusters form and a and b, the smaller
 * side, merge into the larger one when Hazelcast's split-brain check finds it.
 */
@DisplayName("A closed cluster that formed as two trusts every member once it merged")
class ClusterMergeTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMergeTest.class);
  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

  private static final List<ClusterMember> members = new ArrayList<>();

  @BeforeAll
  static void twoClusters() throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      ports.add(ClusterMember.freePortPair());
    }
    List<Integer> larger = ports.subList(2, 5);
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      List<Integer> known = i < 2 ? ports : larger;
      members.add(ClusterMember.start(name, ClusterMember.env(ports.get(i), known, 10), List.of("merge.test." + name)));
    }
    assertThat(hazelcastMembers(members.get(0))).as("a and b formed a cluster of their own").isLessThan(NAMES.size());
  }

  @AfterAll
  static void stop() throws Exception {
    for (ClusterMember member : members) {
      member.close();
    }
  }

  @Test
  @DisplayName("after the merge every member counts five trusted nodes, none untrusted, and reaches each of the others")
  void everyMemberTrustedAfterMerge() throws Exception {
    long start = System.nanoTime();
    long until = start + TimeUnit.SECONDS.toNanos(90);
    while (members.stream().anyMatch(m -> hazelcastMembers(m) < NAMES.size()) && System.nanoTime() < until) {
      Thread.sleep(200);
    }
    assertThat(members).allSatisfy(m -> assertThat(hazelcastMembers(m)).as(m.name + "'s Hazelcast members").isEqualTo(NAMES.size()));
    LOG.info("the two clusters merged after {} ms", (System.nanoTime() - start) / 1_000_000);

    // The event bus learns of returning members a moment after Hazelcast does.
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (members.stream().anyMatch(m -> manager(m).getNodes().size() < NAMES.size()) && System.nanoTime() < settle) {
      Thread.sleep(200);
    }
    for (ClusterMember member : members) {
      assertThat(manager(member).untrustedMembers()).as(member.name + "'s untrusted members").isZero();
      assertThat(manager(member).getNodes()).as(member.name + "'s trusted nodes").hasSize(NAMES.size());
    }
    // Consumers of the merged side come back into the cluster map (and each node's copy) within seconds.
    long merged = System.nanoTime();
    for (ClusterMember from : members) {
      for (String to : NAMES) {
        assertThat(askUntilAnswered(from, to, merged + TimeUnit.SECONDS.toNanos(20))).as(from.name + " asking " + to).isEqualTo(to);
      }
    }
    LOG.info("every member reached every other {} ms after the merge", (System.nanoTime() - merged) / 1_000_000);
  }

  private static String askUntilAnswered(ClusterMember from, String to, long until) throws Exception {
    while (true) {
      try {
        return Bus.<JsonObject>request(from.vertx, "merge.test." + to, new JsonObject(), Duration.ofSeconds(3))
            .await(5, TimeUnit.SECONDS).getString("node");
      } catch (Exception notYet) {
        if (System.nanoTime() > until) {
          throw notYet;
        }
        Thread.sleep(200);
      }
    }
  }

  private static ShopClusterManager manager(ClusterMember member) {
    return (ShopClusterManager) ((VertxInternal) member.vertx).clusterManager();
  }

  private static int hazelcastMembers(ClusterMember member) {
    return manager(member).getHazelcastInstance().getCluster().getMembers().size();
  }
}
