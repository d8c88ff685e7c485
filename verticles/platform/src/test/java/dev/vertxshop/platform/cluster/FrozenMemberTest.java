package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member frozen with SIGSTOP (what a long GC pause or a starved container looks like: its sockets stay
 * open, Hazelcast keeps it for the whole member timeout) must cost only the requests sent to it.
 * Three real members on 127.0.0.1: this JVM ("a", the caller, also serving {@code LOCAL} addresses), and
 * two JVMs of their own, "b" (frozen) and "c", both serving {@link #REPLICATED}.
 */
@DisplayName("A frozen cluster member stalls nothing that does not need it")
class FrozenMemberTest {

  private static final Logger LOG = LoggerFactory.getLogger(FrozenMemberTest.class);
  /** Long enough that waiting for Hazelcast's verdict cannot pass for the fix. */
  private static final int MEMBER_TIMEOUT_SECONDS = 20;
  private static final String REPLICATED = "frozen.test.replicated";
  private static final List<String> LOCAL = IntStream.range(0, 24).mapToObj(i -> "frozen.test.local." + i).toList();

  private static ClusterMember a;
  private static Process b;
  private static Process c;
  private static boolean bFrozen;

  @BeforeAll
  static void cluster() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "frozen-member"));
    int portA = ClusterMember.freePortPair();
    int portB = ClusterMember.freePortPair();
    int portC = ClusterMember.freePortPair();
    List<Integer> members = List.of(portA, portB, portC);
    b = ClusterMember.spawn(logs.resolve("b.log"), "b", portB, members, MEMBER_TIMEOUT_SECONDS, List.of(REPLICATED));
    c = ClusterMember.spawn(logs.resolve("c.log"), "c", portC, members, MEMBER_TIMEOUT_SECONDS, List.of(REPLICATED));
    List<String> served = new ArrayList<>(LOCAL);
    a = ClusterMember.start("a", ClusterMember.env(portA, members, MEMBER_TIMEOUT_SECONDS), served);
    // Both replicas in the rotation, seen from here.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Map<String, Integer> served2 = new HashMap<>();
    while (served2.size() < 2 && System.nanoTime() < until) {
      served2.merge(ask(REPLICATED, Duration.ofSeconds(5)), 1, Integer::sum);
    }
    assertThat(served2).containsOnlyKeys("b", "c");
  }

  @AfterEach
  void thaw() throws Exception {
    if (bFrozen) {
      ClusterMember.signal(b, "CONT");
      bFrozen = false;
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    for (Process p : new Process[] {b, c}) {
      if (p != null) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("first requests to addresses served elsewhere answer at once while a member that owns cluster data is frozen")
  void coldAddressesDoNotWaitForTheFrozenMember() throws Exception {
    freezeB();
    // Never sent to before: the event bus must find their consumers now. About a third of them have
    // their cluster entry in a partition that b owns.
    List<Long> millis = new ArrayList<>();
    for (String address : LOCAL) {
      long start = System.nanoTime();
      assertThat(ask(address, Duration.ofSeconds(MEMBER_TIMEOUT_SECONDS * 2L))).isEqualTo("a");
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    LOG.info("first request to {} addresses with a member frozen: slowest {} ms", LOCAL.size(),
        millis.stream().mapToLong(Long::longValue).max().orElse(0));
    assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(1_000));
  }

  @Test
  @DisplayName("a frozen replica is set aside within a second or two; waiting idempotent requests go to the other; it returns when thawed")
  void frozenReplicaSetAside() throws Exception {
    freezeB();
    long start = System.nanoTime();
    List<Future<JsonObject>> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(Bus.<JsonObject>requestIdempotent(a.vertx, REPLICATED, new JsonObject(), Duration.ofSeconds(15)));
    }
    List<Long> millis = new ArrayList<>();
    for (Future<JsonObject> reply : waiting) {
      JsonObject answer = reply.await(20, TimeUnit.SECONDS);
      assertThat(answer.getString("node")).isEqualTo("c");
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    long slowest = millis.stream().mapToLong(Long::longValue).max().orElse(0);
    LOG.info("10 idempotent requests sent just after the freeze: slowest answered after {} ms", slowest);
    // Ping interval + suspicion (250 + 750 ms by default), with room for a loaded machine; far below the
    // member timeout (20 s) and the requests' deadline (15 s).
    assertThat(slowest).isLessThan(4_000);

    // New requests: c only, at once.
    for (int i = 0; i < 10; i++) {
      long t = System.nanoTime();
      assertThat(ask(REPLICATED, Duration.ofSeconds(5))).isEqualTo("c");
      assertThat((System.nanoTime() - t) / 1_000_000).isLessThan(1_000);
    }
    ShopClusterManager manager = (ShopClusterManager) ((io.vertx.core.internal.VertxInternal) a.vertx).clusterManager();
    assertThat(manager.setAsideNodes()).hasSize(1);

    ClusterMember.signal(b, "CONT");
    bFrozen = false;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!manager.setAsideNodes().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(manager.setAsideNodes()).isEmpty();
    Map<String, Integer> servedBy = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      servedBy.merge(ask(REPLICATED, Duration.ofSeconds(5)), 1, Integer::sum);
    }
    assertThat(servedBy).containsOnlyKeys("b", "c");
  }

  private static void freezeB() throws Exception {
    ClusterMember.signal(b, "STOP");
    bFrozen = true;
  }

  private static String ask(String address, Duration deadline) throws Exception {
    return Bus.<JsonObject>request(a.vertx, address, new JsonObject(), deadline)
        .await(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS).getString("node");
  }
}
