package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ComposeTargetTest {

  /** `docker ps -a --no-trunc --filter label=... --format PS_FORMAT` under docker-compose 1.29 (names project_service_N). */
  private static final String PS_V1 = String.join("\n",
      "3f1c0a\tvertx-shop-loadtest_catalog_2\tcatalog\t2\tFalse",
      "9ab7d2\tvertx-shop-loadtest_catalog_1\tcatalog\t1\tFalse",
      "77e001\tvertx-shop-loadtest_gateway_1\tgateway\t1\tFalse",
      "c0ffee\tvertx-shop-loadtest_postgres_1\tpostgres\t1\tFalse",
      "dead01\tvertx-shop-loadtest_catalog_run_8c2e\tcatalog\t1\tTrue", "");

  /** The same project under Compose v2 (names project-service-N). */
  private static final String PS_V2 = String.join("\n",
      "9ab7d2\tvertx-shop-loadtest-catalog-1\tcatalog\t1\tFalse",
      "3f1c0a\tvertx-shop-loadtest-catalog-2\tcatalog\t2\tFalse",
      "77e001\tvertx-shop-loadtest-gateway-1\tgateway\t1\tFalse",
      "c0ffee\tvertx-shop-loadtest-postgres-1\tpostgres\t1\tFalse", "");

  /** `docker inspect --format INSPECT_FORMAT` of those containers. */
  private static final String INSPECT = String.join("\n",
      "9ab7d2\trunning\thealthy\t0\t4242\tvertx-shop/catalog:0.1.0\t172.20.0.7 ",
      "3f1c0a\trunning\tstarting\t1\t4343\tvertx-shop/catalog:0.1.0\t172.20.0.8 ",
      "77e001\texited\tunhealthy\t0\t0\tvertx-shop/gateway:0.1.0\t",
      "c0ffee\trunning\thealthy\t0\t4100\tvertx-shop/postgres:0.1.0\t172.20.0.2 ", "");

  @Test
  @DisplayName("containers are found by their Compose labels: v1 and v2 names give the same replicas")
  void labelsNotNames() {
    List<ComposeTarget.Container> v1 = ComposeTarget.parsePs(PS_V1);
    List<ComposeTarget.Container> v2 = ComposeTarget.parsePs(PS_V2);

    assertThat(v1).extracting(ComposeTarget.Container::label).containsExactly("catalog-1", "catalog-2", "gateway-1", "postgres-1");
    assertThat(v2).extracting(ComposeTarget.Container::label).containsExactly("catalog-1", "catalog-2", "gateway-1", "postgres-1");
    assertThat(ComposeTarget.replicas(v1, "catalog", "p")).extracting(ComposeTarget.Container::id).containsExactly("9ab7d2", "3f1c0a");
    assertThat(ComposeTarget.replicas(v2, "catalog", "p")).extracting(ComposeTarget.Container::id).containsExactly("9ab7d2", "3f1c0a");
  }

  @Test
  @DisplayName("no container of the service fails, naming what was found, instead of silently skipping the fault")
  void noContainerFails() {
    List<ComposeTarget.Container> v2 = ComposeTarget.parsePs(PS_V2);

    assertThatThrownBy(() -> ComposeTarget.replicas(v2, "search", "vertx-shop-loadtest"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no container of service search in the Compose project vertx-shop-loadtest")
        .hasMessageContaining("vertx-shop-loadtest-catalog-1");
    assertThatThrownBy(() -> ComposeTarget.replicas(ComposeTarget.parsePs(""), "catalog", "p")).hasMessageContaining("found by label");
  }

  @Test
  @DisplayName("docker inspect adds state, health, restarts, pid, image and address to each container")
  void inspect() {
    List<ComposeTarget.Container> containers = ComposeTarget.withInspect(ComposeTarget.parsePs(PS_V1), INSPECT);

    ComposeTarget.Container catalog1 = containers.get(0);
    assertThat(catalog1.healthy()).isTrue();
    assertThat(catalog1.pid()).isEqualTo(4242);
    assertThat(catalog1.ip()).isEqualTo("172.20.0.7");
    assertThat(catalog1.image()).isEqualTo("vertx-shop/catalog:0.1.0");
    assertThat(containers.get(1).healthy()).isFalse();
    assertThat(containers.get(1).restarts()).isEqualTo(1);
    assertThat(containers.get(2).status()).isEqualTo("exited");
    assertThat(containers.get(2).ip()).isEmpty();
  }

  @Test
  @DisplayName("kill -9 is a SIGKILL from the host's PID namespace (docker kill would disable the restart policy); stop is SIGTERM")
  void killAndStopCommands() {
    ComposeTarget.Container victim = ComposeTarget.withInspect(ComposeTarget.parsePs(PS_V2), INSPECT).get(0);

    assertThat(ComposeTarget.killCommand(victim)).containsExactly("docker", "run", "--rm", "--pid=host", "--network=none", "--user=0",
        "--cap-drop=ALL", "--cap-add=KILL", "--entrypoint=bash", "vertx-shop/catalog:0.1.0", "-c", "kill -9 4242");
    assertThat(ComposeTarget.stopCommand(victim)).containsExactly("docker", "stop", "--time", "30", "9ab7d2");
  }

  @Test
  @DisplayName("the roll: the image under a new tag, an override file naming it, one more container beside the old ones")
  void rollCommands() {
    Path spec = Path.of("/r/compose");
    Path override = spec.resolve("docker-compose.roll-catalog.yml");

    assertThat(ComposeTarget.tagCommand("catalog", "0.1.0-roll")).containsExactly("docker", "tag", "vertx-shop/catalog:0.1.0",
        "vertx-shop/catalog:0.1.0-roll");
    assertThat(ComposeTarget.rollOverride("catalog", "0.1.0-roll")).contains("services:\n  catalog:\n    image: vertx-shop/catalog:0.1.0-roll\n");
    assertThat(ComposeTarget.scaleUpCommand(List.of("docker", "compose"), spec, "vertx-shop-loadtest", 18090, "catalog", 3, override))
        .containsExactly("env", "SHOP_HTTP_PORT=18090", "SHOP_HTTP_BIND=127.0.0.1", "docker", "compose", "--project-directory", "/r/compose",
            "-p", "vertx-shop-loadtest", "-f", "/r/compose/docker-compose.yml", "-f", "/r/compose/docker-compose.roll-catalog.yml",
            "up", "-d", "--no-deps", "--no-recreate", "--scale", "catalog=3", "catalog");
  }

  @Test
  @DisplayName("reads docker stats' memory and CPU columns")
  void parsesDockerStats() {
    assertThat(ComposeTarget.bytes("123.5MiB ")).isEqualTo((long) (123.5 * 1024 * 1024));
    assertThat(ComposeTarget.bytes("1.5GiB")).isEqualTo(1024L * 1024 * 1024 * 3 / 2);
    assertThat(ComposeTarget.bytes("512KiB")).isEqualTo(512 * 1024);
    assertThat(ComposeTarget.bytes("0B")).isZero();
    assertThat(ComposeTarget.percent("12.34%")).isEqualTo(12.34);
    assertThat(ComposeTarget.percent("--")).isNaN();
  }
}
