package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate docker/cluster-tls.sh makes (EC P-256, its own CA) carries real event-bus TLS between two nodes. */
@DisplayName("docker/cluster-tls.sh: its certificate closes a real cluster")
class ClusterTlsScriptTest {

  @Test
  @DisplayName("two nodes given the script's files as paths talk over TLS with client auth")
  void scriptCertificateWorks(@TempDir Path dir) throws Exception {
    Path script = Path.of("../../docker/cluster-tls.sh").toAbsolutePath().normalize();
    assumeTrue(Files.isExecutable(script), "docker/cluster-tls.sh not found from " + Path.of("").toAbsolutePath());
    assumeTrue(new ProcessBuilder("sh", "-c", "command -v openssl").start().waitFor() == 0, "openssl is not installed");
    Process run = new ProcessBuilder(script.toString(), dir.toString()).redirectErrorStream(true).start();
    String output = new String(run.getInputStream().readAllBytes());
    assertThat(run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0).as(output).isTrue();

    int portA = ClusterMember.freePortPair();
    int portB = ClusterMember.freePortPair();
    List<Integer> ports = List.of(portA, portB);
    Vertx a = node(ClusterMember.env(portA, ports, 10), dir);
    Vertx b = node(ClusterMember.env(portB, ports, 10), dir);
    try {
      b.eventBus().consumer("tls.script.test", message -> message.reply("b")).completion().await(30, TimeUnit.SECONDS);
      String answer = null;
      for (int i = 0; i < 20 && answer == null; i++) {
        try {
          answer = a.eventBus().<String>request("tls.script.test", "hello", new DeliveryOptions().setSendTimeout(10_000))
              .await(15, TimeUnit.SECONDS).body();
        } catch (Exception notYetSeen) {
          Thread.sleep(250);
        }
      }
      assertThat(answer).isEqualTo("b");
    } finally {
      a.close().await(30, TimeUnit.SECONDS);
      b.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static Vertx node(Env base, Path dir) throws Exception {
    Map<String, String> vars = new HashMap<>();
    for (String name : List.of("NAME", "HAZELCAST_PORT", "EVENTBUS_PORT", "MEMBERS", "MEMBER_TIMEOUT_SECONDS", "SECRET")) {
      vars.put("SHOP_CLUSTER_" + name, base.string("CLUSTER_" + name, null));
    }
    vars.put("SHOP_CLUSTER_TLS_CERT", dir.resolve("cluster.crt").toString());
    vars.put("SHOP_CLUSTER_TLS_KEY", dir.resolve("cluster.key").toString());
    vars.put("SHOP_CLUSTER_TLS_CA", dir.resolve("ca.crt").toString());
    Env env = Env.of(vars);
    ClusterConfig cluster = ClusterConfig.from(env);
    ClusterSecurity security = ClusterSecurity.from(env);
    return Vertx.builder().withClusterManager(new ShopClusterManager(HazelcastSetup.config(cluster, security), security))
        .with(new VertxOptions().setEventBusOptions(EventBusSetup.options(cluster, security)))
        .buildClustered().await(90, TimeUnit.SECONDS);
  }
}
