package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes target's whole path (apply, readiness, the four faults, teardown) against a recorded
 * transcript of kubectl: no cluster can run where this is built, so the test checks the commands the target
 * issues, in order and with their arguments, and what it makes of their answers.
 */
class KubernetesTargetTest {

  private final List<FakeOps> servers = new ArrayList<>();
  private final AtomicInteger forwardsStopped = new AtomicInteger();

  @AfterEach
  void closeServers() {
    servers.forEach(FakeOps::close);
  }

  /** kubectl port-forward pod/X LOCAL:9000 → a server on LOCAL, as the forward would be; a drain ends at its second look. */
  private Cmd.Background start(List<String> command) {
    if (command.contains("port-forward")) {
      String ports = command.get(command.size() - 1);
      FakeOps ops = new FakeOps(Integer.parseInt(ports.substring(0, ports.indexOf(':'))));
      servers.add(ops);
      return new Cmd.Background() {
        @Override
        public boolean alive() {
          return true;
        }

        @Override
        public void stop() {
          ops.close();
          forwardsStopped.incrementAndGet();
        }
      };
    }
    AtomicInteger looks = new AtomicInteger();
    return new Cmd.Background() {
      @Override
      public boolean alive() {
        return looks.getAndIncrement() == 0;
      }

      @Override
      public void stop() {
      }
    };
  }

  @Test
  @DisplayName("apply -k, wait for every pod and the entry point, kill -9 / stop / roll / drain one catalog pod, delete: the recorded commands in order")
  void wholePath(@TempDir Path root, @TempDir Path out) throws Exception {
    Files.createDirectories(root.resolve("k8s/overlays/dev"));
    Files.writeString(root.resolve("k8s/overlays/dev/kustomization.yaml"), "resources: []\n");
    Files.writeString(root.resolve("k8s/make-secrets.sh"), "#!/bin/sh\n");
    FakeOps entry = new FakeOps(0);
    servers.add(entry);
    int base = FakeOps.freeRange(120);
    Options options = new Options(root, new String[] {"--out", out.toString(), "--port-base", String.valueOf(base),
        "--k8s-entry", "http://127.0.0.1:" + entry.port(), "--poll-ms", "10", "--roll-tag", "0.1.0-roll"});
    Map<String, String> placeholders = new HashMap<>();
    placeholders.put("kubeconfig", "/lab/kubeconfig");
    placeholders.put("spec", out.resolve("k8s/round-1/spec/k8s").toString());
    for (int i = 0; i <= 12; i++) {
      placeholders.put("pf" + i, String.valueOf(base + 100 + i));
    }
    Replay replay = new Replay("k8s.transcript", placeholders, this::start);
    KubernetesTarget target = new KubernetesTarget("k8s", options, 1, "/lab/kubeconfig", replay);

    Target.Readiness readiness = target.start();

    assertThat(readiness.entryMillis()).isNotNegative();
    assertThat(readiness.allReadyMillis()).isGreaterThanOrEqualTo(readiness.entryMillis());
    assertThat(readiness.services()).containsOnlyKeys("cart", "catalog", "gateway", "notifications", "orders", "payment-provider",
        "payments", "search", "users");
    assertThat(target.expectedReplicas()).isEqualTo(11);
    assertThat(target.endpoints()).hasSize(11).extracting(Endpoint::opsUrl).contains("http://127.0.0.1:" + (base + 100));
    assertThat(target.limits()).filteredOn(s -> s.name().equals("catalog")).singleElement()
        .satisfies(s -> assertThat(s.resources()).isEqualTo("CPU 1 (request 250m), hard (CFS quota); memory 768Mi (request 512Mi)"));

    Fault.Action kill = target.fault(Fault.KILL_9, "catalog");
    assertThat(kill.what()).contains("catalog-5c8b4f7d9-aaaaa").contains("node debugging pod on node-a");
    kill.begin();
    assertThat(kill.finished()).as("restarting, not ready yet").isFalse();
    assertThat(kill.finished()).as("restarted in place and ready").isTrue();
    assertThat(target.observe("catalog")).containsEntry("catalog-5c8b4f7d9-aaaaa",
        "Running, ready, restarts 1, node node-a, image vertx-shop/catalog:0.1.0");
    kill.end();
    assertThat(kill.milestones()).extracting(Fault.Milestone::millis).contains(1767261600123L);

    Fault.Action stop = target.fault(Fault.GRACEFUL_STOP, "catalog");
    stop.begin();
    assertThat(stop.finished()).as("the deleted pod replaced by a ready one").isTrue();
    stop.end();
    assertThat(forwardsStopped.get()).as("the port-forward of the deleted pod").isEqualTo(1);

    Fault.Action roll = target.fault(Fault.ROLLING_UPDATE, "catalog");
    assertThat(roll.what()).contains("kubectl --kubeconfig /lab/kubeconfig -n vertx-shop-dev set image deployment/catalog "
        + "catalog=vertx-shop/catalog:0.1.0-roll");
    roll.begin();
    assertThat(roll.finished()).isFalse();
    assertThat(roll.finished()).isTrue();
    roll.end();

    assertThatThrownBy(() -> target.fault(Fault.NODE_DRAIN, "catalog")).isInstanceOf(Fault.NotApplicable.class)
        .hasMessageContaining("fewer than 2 schedulable nodes");
    Fault.Action drain = target.fault(Fault.NODE_DRAIN, "catalog");
    assertThat(drain.what()).contains("kubectl drain node-b");
    drain.begin();
    assertThat(drain.finished()).as("the drain still runs").isFalse();
    assertThat(drain.finished()).as("drained, the pod rescheduled and ready").isTrue();
    drain.end();

    target.stop();
    replay.assertDone();
    assertThat(forwardsStopped.get()).as("every port-forward ended by the teardown").isEqualTo(13);
  }
}
