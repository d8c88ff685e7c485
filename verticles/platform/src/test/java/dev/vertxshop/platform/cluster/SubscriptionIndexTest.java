package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SubscriptionIndex: the node's copy of the cluster's consumers")
class SubscriptionIndexTest {

  private final AtomicLong clock = new AtomicLong();
  private final SubscriptionIndex index = new SubscriptionIndex(clock::get);
  private final RegistrationInfo onA = new RegistrationInfo("a", 1, false);
  private final RegistrationInfo onB = new RegistrationInfo("b", 1, false);

  @Test
  @DisplayName("a node set aside is left out of every address it serves, unless it is the only consumer left")
  void setAside() {
    index.add("x", onA);
    index.add("x", onB);
    index.add("only-b", onB);
    assertThat(index.setAside("b", "unresponsive")).isTrue();
    assertThat(index.view("x")).containsExactly(onA);
    assertThat(index.view("only-b")).containsExactly(onB);
    assertThat(index.addressesOf("b")).containsExactlyInAnyOrder("x", "only-b");
    // Two reasons: back only when both are lifted.
    assertThat(index.setAside("b", "untrusted")).isFalse();
    assertThat(index.restore("b", "unresponsive")).isFalse();
    assertThat(index.view("x")).containsExactly(onA);
    assertThat(index.restore("b", "untrusted")).isTrue();
    assertThat(index.view("x")).containsExactly(onA, onB);
  }

  @Test
  @DisplayName("once trust is required, an untrusted node's consumers are never in a view, not even as the only ones")
  void untrustedNeverChosen() {
    index.add("x", onA);
    index.add("x", onB);
    index.add("only-b", onB);
    index.requireTrust();
    assertThat(index.trust("a")).isTrue();
    assertThat(index.view("x")).containsExactly(onA);
    assertThat(index.view("only-b")).isEmpty();
    assertThat(index.nodesServing(address -> true)).containsExactly("a");
    // Set aside on top of untrusted: still nothing of b's, and a set-aside trusted node stays the last resort.
    index.setAside("a", "unresponsive");
    assertThat(index.view("x")).containsExactly(onA);
    assertThat(index.trust("b")).isTrue();
    assertThat(index.view("only-b")).containsExactly(onB);
    assertThat(index.distrust("b")).isTrue();
    assertThat(index.view("only-b")).isEmpty();
  }

  @Test
  @DisplayName("a sweep adds what events missed and drops stale entries, but not one seen while the snapshot was read")
  void reconcile() {
    clock.set(10);
    index.add("x", onA);
    RegistrationInfo local = new RegistrationInfo("a", 2, true);
    index.add("x", local);
    long snapshotStart = 20;
    clock.set(25);
    RegistrationInfo late = new RegistrationInfo("c", 1, false);
    index.add("y", late);
    Set<String> changed = index.reconcile(Map.of("x", List.of(onB)), snapshotStart);
    assertThat(changed).containsExactly("x");
    // onA was seen before the snapshot and is not in it: gone; the local-only one and "late" stay.
    assertThat(index.view("x")).containsExactlyInAnyOrder(local, onB);
    assertThat(index.view("y")).containsExactly(late);
  }

  @Test
  @DisplayName("members that left take their consumers with them")
  void removeNodes() {
    index.add("x", onA);
    index.add("x", onB);
    index.setAside("b", "unresponsive");
    assertThat(index.removeNodes(Set.of("b"))).containsExactly("x");
    assertThat(index.view("x")).containsExactly(onA);
    assertThat(index.setAsideNodes()).isEmpty();
  }
}
