package dev.vertxshop.deploy.nomad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.deploy.Repo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Nomad: every job parses with HashiCorp's HCL parser, fits the jobspec schema and follows the shop's rules")
class NomadJobsTest {

  static Map<Path, JsonObject> parsed;

  @BeforeAll
  static void parse() {
    parsed = Hcl.parse(jobFiles(Repo.path("nomad")));
  }

  static List<Path> jobFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".nomad.hcl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("the jobs pass every check")
  void jobsPass() {
    assertThat(parsed).hasSize(5);
    assertThat(NomadChecks.check(parsed)).isEmpty();
  }

  @Test
  @DisplayName("the shop job has a group per clustered service, and the infrastructure has its own jobs")
  void jobsAreComplete() {
    JsonObject shop = job("shop.nomad.hcl", "shop");
    assertThat(shop.getJsonObject("group").fieldNames()).containsExactlyInAnyOrder("gateway", "catalog", "users",
        "cart", "orders", "payments", "notifications", "search");
    assertThat(job("postgres.nomad.hcl", "postgres").getJsonObject("group").fieldNames()).containsExactly("postgres");
    assertThat(job("kafka.nomad.hcl", "kafka").getJsonObject("group").fieldNames()).containsExactly("kafka");
    assertThat(job("payment-provider.nomad.hcl", "payment-provider").getJsonObject("group").fieldNames())
        .containsExactly("payment-provider");
    assertThat(job("edge.nomad.hcl", "edge").getJsonObject("group").fieldNames()).containsExactly("edge");
  }

  @Test
  @DisplayName("the ACL policy that lets postgres read the shop's variables parses")
  void aclPolicyParses() {
    JsonObject policy = Hcl.parse(Repo.path("nomad/acl/postgres-reads-shop-variables.policy.hcl"));
    assertThat(policy.containsKey("__error")).as(policy.encode()).isFalse();
    assertThat(policy.encode()).contains("nomad/jobs/shop").contains("read");
  }

  static JsonObject job(String file, String name) {
    return parsed.get(Repo.path("nomad").resolve(file)).getJsonObject("job").getJsonArray(name).getJsonObject(0);
  }

  /** Each check is shown to reject a job broken in the way it looks for. */
  @Nested
  @DisplayName("a broken job is rejected")
  class Rejects {

    @Test
    @DisplayName("a misspelled key (the schema forbids unknown keys)")
    void misspelledKey() {
      assertRejected("shop.nomad.hcl", "    count = 2\n\n    scaling {\n      enabled = true\n      min     = 2\n      max     = 6",
          "    cout = 2\n\n    scaling {\n      enabled = true\n      min     = 2\n      max     = 6",
          "Property \"cout\" does not match additional properties schema");
    }

    @Test
    @DisplayName("a block in the wrong place")
    void misplacedBlock() {
      assertRejected("kafka.nomad.hcl", "      kill_timeout = \"30s\"\n", "      kill_timeout = \"30s\"\n      count = 2\n",
          "Property \"count\" does not match additional properties schema");
    }

    @Test
    @DisplayName("a value outside its enumeration")
    void badEnum() {
      assertRejected("postgres.nomad.hcl", "health_check      = \"checks\"", "health_check      = \"check\"",
          "/health_check");
    }

    @Test
    @DisplayName("a duration that is not one")
    void badDuration() {
      assertRejected("edge.nomad.hcl", "min_healthy_time  = \"5s\"", "min_healthy_time  = \"5 seconds\"",
          "/min_healthy_time");
    }

    @Test
    @DisplayName("HCL that does not parse")
    void syntaxError() {
      assertRejected("payment-provider.nomad.hcl", "    count = 1\n", "    count = = 1\n", "does not parse");
    }

    @Test
    @DisplayName("a service on a port the group does not declare")
    void undeclaredPort() {
      assertRejected("payment-provider.nomad.hcl", "      port     = \"admin\"\n", "      port     = \"admn\"\n",
          "service payment-provider-admin port 'admn' is not a declared network port");
    }

    @Test
    @DisplayName("a JVM without its readiness check on the ops port")
    void noReadinessCheck() {
      assertRejected("payment-provider.nomad.hcl", "        path     = \"/health/ready\"\n", "        path     = \"/health/live\"\n",
          "needs an http check of /health/ready on port \"ops\"");
    }

    @Test
    @DisplayName("an image on latest")
    void latestImage() {
      assertRejected("kafka.nomad.hcl", "vertx-shop/kafka:0.1.0", "vertx-shop/kafka:latest",
          "image 'vertx-shop/kafka:latest' is not pinned");
    }

    @Test
    @DisplayName("a secret written into the job instead of read from Nomad Variables")
    void literalSecret() {
      assertRejected("shop.nomad.hcl", "          SHOP_DB_PASSWORD={{ .db_password_cart }}\n",
          "          SHOP_DB_PASSWORD=hunter2-but-longer\n", "SHOP_DB_PASSWORD is a literal in a template");
    }

    @Test
    @DisplayName("the cluster secret written into the job")
    void literalClusterSecret() {
      assertRejected("shop.nomad.hcl", "          SHOP_CLUSTER_SECRET={{ .cluster_secret }}\n",
          "          SHOP_CLUSTER_SECRET=not-so-secret-after-all\n", "SHOP_CLUSTER_SECRET is a literal in a template");
    }

    @Test
    @DisplayName("a cluster port on the client's public address")
    void clusterPortOnPublicAddress() {
      assertRejected("shop.nomad.hcl", "      port \"eventbus\" {\n        host_network = \"private\"\n      }\n",
          "      port \"eventbus\" {}\n", "port \"eventbus\" must be on host_network \"private\"");
    }

    @Test
    @DisplayName("a cluster member without its TLS key")
    void memberWithoutTlsKey() {
      assertRejected("shop.nomad.hcl", "{{ .cluster_tls_key }}", "{{ .cluster_tls_ca }}",
          "SHOP_CLUSTER_TLS_KEY must be /secrets/cluster.key, rendered from nomadVar .cluster_tls_key");
    }

    @Test
    @DisplayName("Nomad Variables of another path")
    void otherVariablesPath() {
      assertRejected("postgres.nomad.hcl", "{{- with nomadVar \"nomad/jobs/shop\" }}", "{{- with nomadVar \"nomad/jobs/db\" }}",
          "nomadVar \"nomad/jobs/db\" is not the shop's variables path");
    }

    @Test
    @DisplayName("a cluster member whose member list would restart it at every membership change")
    void membersTemplateRestarts() {
      Path copy = copy();
      String text = Repo.read(copy.resolve("shop.nomad.hcl"));
      int search = text.indexOf("group \"search\"");
      String head = text.substring(0, search);
      String tail = text.substring(search).replaceFirst("destination = \"local/cluster.env\"\n        env         = true\n        change_mode = \"noop\"",
          "destination = \"local/cluster.env\"\n        env         = true\n        change_mode = \"restart\"");
      Repo.write(copy.resolve("shop.nomad.hcl"), head + tail);
      Path broken = copy.resolve("shop.nomad.hcl");
      assertThat(NomadChecks.check(Map.of(broken, Hcl.parse(broken))))
          .anySatisfy(p -> assertThat(p).contains("group search").contains("change_mode = \"noop\""));
    }

    @Test
    @DisplayName("a task restarted in place for ever (restart mode delay), never rescheduled")
    void restartModeDelay() {
      assertRejected("payment-provider.nomad.hcl", "      mode     = \"fail\"", "      mode     = \"delay\"",
          "restart mode must be \"fail\"");
    }

    @Test
    @DisplayName("a database on a host volume that any client of that volume name may take")
    void hostVolumeWithoutPlacement() {
      assertRejected("postgres.nomad.hcl", "attribute = \"${meta.shop_postgres_data}\"", "attribute = \"${attr.kernel.name}\"",
          "host volume data needs a constraint to the client holding it");
    }

    @Test
    @DisplayName("a replicated front whose scaling minimum differs from its count")
    void scalingMismatch() {
      assertRejected("shop.nomad.hcl", "    count = 2\n\n    scaling {\n      enabled = true\n      min     = 2\n      max     = 6",
          "    count = 3\n\n    scaling {\n      enabled = true\n      min     = 2\n      max     = 6", "scaling min 2 differs from count 3");
    }

    private void assertRejected(String file, String from, String to, String expected) {
      Path copy = copy();
      String text = Repo.read(copy.resolve(file));
      int at = text.indexOf(from);
      assertThat(at).as("'%s' in %s", from, file).isGreaterThanOrEqualTo(0);
      Repo.write(copy.resolve(file), text.substring(0, at) + to + text.substring(at + from.length()));
      Path broken = copy.resolve(file);
      assertThat(NomadChecks.check(Map.of(broken, Hcl.parse(broken))))
          .as("problems found in the broken copy of %s", file)
          .anySatisfy(p -> assertThat(p).contains(expected));
    }

    private Path copy() {
      return Repo.copyTree(Repo.path("nomad"), Repo.scratch("nomad-broken"));
    }
  }
}
