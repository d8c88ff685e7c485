package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nomad target's whole path (variables, job runs, readiness, the four faults, teardown) against a
 * recorded transcript of the nomad CLI: no Nomad can run where this is built, so the test checks the
 * commands the target issues, in order and with their arguments, and what it makes of their answers.
 */
class NomadTargetTest {

  private static void copy(String fixture, Path to) throws Exception {
    Files.createDirectories(to.getParent());
    Files.copy(Path.of(NomadTargetTest.class.getResource("/fixtures/" + fixture).toURI()), to);
  }

  @Test
  @DisplayName("job run, wait for every allocation's ops port and the edge, kill -9 / stop / canary roll / drain one catalog, stop -purge")
  void wholePath(@TempDir Path root, @TempDir Path out) throws Exception {
    copy("shop.nomad.hcl", root.resolve("nomad/shop.nomad.hcl"));
    copy("payment-provider.nomad.hcl", root.resolve("nomad/payment-provider.nomad.hcl"));
    Files.writeString(root.resolve("nomad/put-variables.sh"), "#!/bin/sh\n");
    try (FakeOps ops = new FakeOps(0)) {
      Options options = new Options(root, new String[] {"--out", out.toString(), "--poll-ms", "10", "--roll-tag", "0.1.0-roll",
          "--nomad-jobs", "payment-provider,shop"});
      Path spec = out.resolve("nomad/round-1/spec/nomad");
      Replay replay = new Replay("nomad.transcript", Map.of("addr", "http://nomad.lab:4646", "spec", spec.toString(),
          "ops", String.valueOf(ops.port())), command -> {
            throw new AssertionError("the Nomad target starts nothing in the background: " + command);
          });
      NomadTarget target = new NomadTarget("nomad", options, 1, "http://nomad.lab:4646", replay);

      Target.Readiness readiness = target.start();

      assertThat(readiness.entryMillis()).isNotNegative();
      assertThat(readiness.services()).containsOnlyKeys("cart", "catalog", "gateway", "notifications", "orders", "payment-provider",
          "payments", "search", "users");
      assertThat(target.baseUrl()).isEqualTo("http://127.0.0.1:" + ops.port());
      assertThat(target.endpoints()).hasSize(11).extracting(Endpoint::label).contains("catalog-5a000002", "catalog-5a000003");
      assertThat(target.limits()).filteredOn(s -> s.name().equals("catalog")).singleElement()
          .satisfies(s -> assertThat(s.cpuEnforcement()).startsWith("soft"));

      Fault.Action kill = target.fault(Fault.KILL_9, "catalog");
      assertThat(kill.what()).contains("nomad alloc signal -s SIGKILL -task catalog 5a000002-7c1e-4f0b-9a3d-000000000002");
      kill.begin();
      assertThat(kill.finished()).as("the task restarting").isFalse();
      assertThat(kill.finished()).as("restarted in place, running, ready").isTrue();
      kill.end();

      Fault.Action stop = target.fault(Fault.GRACEFUL_STOP, "catalog");
      stop.begin();
      assertThat(stop.finished()).as("stopped and replaced by a ready allocation").isTrue();
      stop.end();

      Fault.Action roll = target.fault(Fault.ROLLING_UPDATE, "catalog");
      roll.begin();
      String rolled = Files.readString(spec.resolve("shop.roll-catalog.nomad.hcl"));
      assertThat(rolled).contains("\"vertx-shop/catalog:0.1.0-roll\"").contains("\"vertx-shop/gateway:0.1.0\"");
      assertThat(roll.finished()).as("the canary placed, not yet promoted").isFalse();
      assertThat(roll.finished()).as("deployment successful").isTrue();
      assertThat(roll.milestones()).extracting(Fault.Milestone::what)
          .contains("deployment running: canaries 1 placed, not promoted, 0 of 2 healthy",
              "deployment successful: canaries 1 placed, promoted, 2 of 2 healthy");
      roll.end();

      Fault.Action drain = target.fault(Fault.NODE_DRAIN, "catalog");
      assertThat(drain.what()).contains("nomad node drain -enable -deadline 10m node-b-0000-4a1c-9e2f-000000000002");
      drain.begin();
      assertThat(drain.finished()).as("draining").isFalse();
      assertThat(drain.finished()).as("drained, the allocation migrated and ready").isTrue();
      drain.end();

      target.stop();
      replay.assertDone();
    }
  }

  @Test
  @DisplayName("a rolling update moves one group's image to the new tag and leaves every other group's as it was")
  void imageTag() throws Exception {
    String job = Files.readString(Path.of(getClass().getResource("/fixtures/shop.nomad.hcl").toURI()));

    String rolled = NomadTarget.withImageTag(job, "gateway", "0.2.0");

    assertThat(rolled).contains("\"vertx-shop/gateway:0.2.0\"").contains("\"vertx-shop/catalog:0.1.0\"");
    assertThat(rolled.replace("vertx-shop/gateway:0.2.0", "vertx-shop/gateway:0.1.0")).isEqualTo(job);
  }
}
