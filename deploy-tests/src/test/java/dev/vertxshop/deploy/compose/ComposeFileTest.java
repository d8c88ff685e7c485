package dev.vertxshop.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Tools;
import dev.vertxshop.deploy.Yamls;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Compose: docker-compose accepts the files, and they follow the shop's rules")
class ComposeFileTest {

  static Path compose() {
    return Repo.path("compose");
  }

  static Path example() {
    return compose().resolve(".env.example");
  }

  @Test
  @DisplayName("docker-compose config -q accepts the shop's file with the example environment")
  void dockerComposeAcceptsTheFile() {
    Tools.Result result = ComposeFile.config(example(), List.of(compose().resolve("docker-compose.yml")), true);
    assertThat(result.exit()).as(result.both()).isZero();
  }

  @Test
  @DisplayName("docker-compose config -q accepts the shop with the monitoring file")
  void dockerComposeAcceptsTheMonitoringFile() {
    Tools.Result result = ComposeFile.config(example(),
        List.of(compose().resolve("docker-compose.yml"), compose().resolve("docker-compose.monitoring.yml")), true);
    assertThat(result.exit()).as(result.both()).isZero();
  }

  @Test
  @DisplayName("the file follows the shop's rules")
  void fileFollowsTheRules() {
    Path file = compose().resolve("docker-compose.yml");
    Map<String, String> env = ComposeFile.envFile(example());
    assertThat(ComposeChecks.check(ComposeFile.raw(file), ComposeFile.resolved(file, env), env)).isEmpty();
  }

  @Test
  @DisplayName("the checks read the file as docker-compose does (images, replicas, environment, limits)")
  void readingAgreesWithDockerCompose() {
    Path file = compose().resolve("docker-compose.yml");
    Tools.Result result = ComposeFile.config(example(), List.of(file), false);
    assertThat(result.exit()).as(result.both()).isZero();
    JsonObject theirs = Yamls.load(result.out()).getJsonObject("services");
    JsonObject ours = ComposeFile.resolved(file, ComposeFile.envFile(example())).getJsonObject("services");
    assertThat(ours.fieldNames()).containsExactlyInAnyOrderElementsOf(theirs.fieldNames());
    for (String name : ours.fieldNames()) {
      JsonObject a = ours.getJsonObject(name);
      JsonObject b = theirs.getJsonObject(name);
      assertThat(a.getString("image")).as(name).isEqualTo(b.getString("image"));
      assertThat(a.getValue("scale", 1)).as(name).isEqualTo(b.getValue("scale", 1));
      assertThat(ComposeChecks.environment(a)).as(name).isEqualTo(ComposeChecks.environment(b));
      assertThat(String.valueOf(a.getValue("cpus"))).as(name).isEqualTo(String.valueOf(b.getValue("cpus")));
      assertThat(a.getValue("mem_limit")).as(name).isEqualTo(b.getValue("mem_limit"));
      // docker-compose prints $ escaped as $$, so that its output can be read again.
      assertThat(a.getJsonObject("healthcheck").getValue("test")).as(name)
          .isEqualTo(new io.vertx.core.json.JsonArray(b.getJsonObject("healthcheck").getValue("test").toString().replace("$$", "$")));
    }
  }

  @Test
  @DisplayName(".env.example names every variable the file requires, with obviously fake secrets")
  void exampleEnvironmentIsComplete() {
    Path file = compose().resolve("docker-compose.yml");
    Map<String, String> env = ComposeFile.envFile(example());
    ComposeFile.resolved(file, env);
    assertThat(env).containsKeys("POSTGRES_PASSWORD", "SHOP_ADMIN_TOKEN", "SHOP_DB_PASSWORD_AUDITOR");
    env.forEach((k, v) -> {
      if (k.contains("PASSWORD") || k.contains("TOKEN")) {
        assertThat(v).as(k).contains("dev-only");
      }
    });
  }

  /** Each check is shown to reject a Compose file broken in the way it looks for. */
  @Nested
  @DisplayName("a broken Compose file is rejected")
  class Rejects {

    @Test
    @DisplayName("an unknown key (docker-compose refuses it)")
    void unknownKey() {
      Tools.Result result = brokenConfig("    mem_limit: 1024m\n    logging: *logging\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"",
          "    mem_limitt: 1024m\n    logging: *logging\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"");
      assertThat(result.exit()).isNotZero();
      assertThat(result.both()).contains("mem_limitt");
    }

    @Test
    @DisplayName("a dependency condition that does not exist (docker-compose refuses it)")
    void badCondition() {
      Tools.Result result = brokenConfig("      payment-provider: { condition: service_healthy }",
          "      payment-provider: { condition: service_healty }");
      assertThat(result.exit()).isNotZero();
      assertThat(result.both()).contains("service_healty");
    }

    @Test
    @DisplayName("a missing secret in the environment (docker-compose stops with the variable's message)")
    void missingSecret() {
      Path copy = Repo.copyTree(compose(), Repo.scratch("compose-missing-secret"));
      Repo.replaceOnce(copy.resolve(".env.example"), "SHOP_ADMIN_TOKEN=dev-only-admin-token-0000\n", "");
      Tools.Result result = ComposeFile.config(copy.resolve(".env.example"), List.of(copy.resolve("docker-compose.yml")), true);
      assertThat(result.exit()).isNotZero();
      assertThat(result.both()).contains("SHOP_ADMIN_TOKEN");
    }

    @Test
    @DisplayName("a published port on a service other than the edge")
    void publishedGateway() {
      assertRulesReject("    image: vertx-shop/gateway:${SHOP_VERSION:-0.1.0}\n",
          "    image: vertx-shop/gateway:${SHOP_VERSION:-0.1.0}\n    ports: [\"8080:8080\"]\n",
          "service gateway: publishes ports");
    }

    @Test
    @DisplayName("an edge published on every address by default")
    void edgeOnEveryAddress() {
      assertRulesReject("${SHOP_HTTP_BIND:-127.0.0.1}", "${SHOP_HTTP_BIND:-0.0.0.0}", "the default binding is 127.0.0.1");
    }

    @Test
    @DisplayName("a password written into the file")
    void literalPassword() {
      assertRulesReject("      SHOP_DB_PASSWORD: ${SHOP_DB_PASSWORD_CART:?run compose/make-env.sh}\n",
          "      SHOP_DB_PASSWORD: cart-password-in-git\n", "SHOP_DB_PASSWORD is a secret");
    }

    @Test
    @DisplayName("a cluster member outside the discovery alias")
    void memberWithoutAlias() {
      Path copy = Repo.copyTree(compose(), Repo.scratch("compose-rules"));
      String text = Repo.read(copy.resolve("docker-compose.yml"));
      int search = text.indexOf("  search:\n");
      String tail = text.substring(search).replaceFirst("    networks: \\*cluster-network\n", "    networks: [shop]\n");
      Repo.write(copy.resolve("docker-compose.yml"), text.substring(0, search) + tail);
      assertThat(rules(copy)).anySatisfy(p -> assertThat(p).contains("service search: a cluster member needs the network alias"));
    }

    @Test
    @DisplayName("the cluster secret written into the file")
    void literalClusterSecret() {
      assertRulesReject("  SHOP_CLUSTER_SECRET: ${SHOP_CLUSTER_SECRET:?run compose/make-env.sh}\n",
          "  SHOP_CLUSTER_SECRET: cluster-secret-in-git\n", "SHOP_CLUSTER_SECRET is a secret");
    }

    @Test
    @DisplayName("an open cluster (SHOP_CLUSTER_INSECURE=true)")
    void insecureCluster() {
      assertRulesReject("  SHOP_CLUSTER_NAME: vertx-shop\n", "  SHOP_CLUSTER_NAME: vertx-shop\n  SHOP_CLUSTER_INSECURE: \"true\"\n",
          "must not set SHOP_CLUSTER_INSECURE=true");
    }

    @Test
    @DisplayName("a cluster member without the cluster certificate's mount")
    void memberWithoutClusterTls() {
      Path copy = Repo.copyTree(compose(), Repo.scratch("compose-rules"));
      String text = Repo.read(copy.resolve("docker-compose.yml"));
      int search = text.indexOf("  search:\n");
      String tail = text.substring(search).replaceFirst("    volumes: \\[\\*cluster-tls]\n", "");
      Repo.write(copy.resolve("docker-compose.yml"), text.substring(0, search) + tail);
      assertThat(rules(copy)).anySatisfy(p -> assertThat(p).contains("service search: SHOP_CLUSTER_TLS_KEY must name a file on the read-only mount"));
    }

    @Test
    @DisplayName("a replicated front with one replica")
    void singleCatalog() {
      assertRulesReject("    image: vertx-shop/catalog:${SHOP_VERSION:-0.1.0}\n    scale: 2\n",
          "    image: vertx-shop/catalog:${SHOP_VERSION:-0.1.0}\n    scale: 1\n", "service catalog: runs at least 2 replicas");
    }

    @Test
    @DisplayName("an image without a version")
    void unpinnedImage() {
      assertRulesReject("    image: vertx-shop/kafka:${SHOP_VERSION:-0.1.0}\n", "    image: vertx-shop/kafka\n",
          "service kafka: image 'vertx-shop/kafka' is not pinned");
    }

    @Test
    @DisplayName("a dependency that does not wait for health")
    void dependencyWithoutHealth() {
      assertRulesReject("      gateway: { condition: service_healthy }", "      gateway: { condition: service_started }",
          "service edge: depends on gateway without condition: service_healthy");
    }

    @Test
    @DisplayName("a required variable the example environment lacks (our reading refuses it too)")
    void ourReadingRefusesMissingVariables() {
      Path file = compose().resolve("docker-compose.yml");
      Map<String, String> env = new java.util.HashMap<>(ComposeFile.envFile(example()));
      env.remove("POSTGRES_PASSWORD");
      assertThatThrownBy(() -> ComposeFile.resolved(file, env)).hasMessageContaining("POSTGRES_PASSWORD");
    }

    private Tools.Result brokenConfig(String from, String to) {
      Path copy = Repo.copyTree(compose(), Repo.scratch("compose-broken"));
      Repo.replaceOnce(copy.resolve("docker-compose.yml"), from, to);
      return ComposeFile.config(copy.resolve(".env.example"), List.of(copy.resolve("docker-compose.yml")), true);
    }

    private void assertRulesReject(String from, String to, String expected) {
      Path copy = Repo.copyTree(compose(), Repo.scratch("compose-rules"));
      Repo.replaceOnce(copy.resolve("docker-compose.yml"), from, to);
      assertThat(rules(copy)).anySatisfy(p -> assertThat(p).contains(expected));
    }

    private List<String> rules(Path copy) {
      Path file = copy.resolve("docker-compose.yml");
      Map<String, String> env = ComposeFile.envFile(copy.resolve(".env.example"));
      return ComposeChecks.check(ComposeFile.raw(file), ComposeFile.resolved(file, env), env);
    }
  }
}
