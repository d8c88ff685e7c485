package dev.vertxshop.deploy.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Yamls;
import dev.vertxshop.deploy.k8s.Kustomize;
import dev.vertxshop.deploy.nomad.Hcl;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Parity: Compose, Kubernetes (dev overlay) and Nomad describe the same system")
class ParityTest {

  static final Path DIFFERENCES = Repo.path("deploy-tests/src/test/resources/intentional-differences.yaml");
  static Map<String, Map<String, ServiceSpec>> models;
  static List<Parity.Allowance> allowances;
  static long mhzPerCore;

  @BeforeAll
  static void read() {
    JsonObject file = Yamls.load(Repo.read(DIFFERENCES));
    mhzPerCore = file.getJsonObject("units").getLong("nomad_cpu_mhz_per_core");
    allowances = Parity.allowances(Repo.read(DIFFERENCES));
    models = read(Repo.path("compose"), Kustomize.copyOfSpecs("parity-k8s"), Repo.path("nomad"));
  }

  static Map<String, Map<String, ServiceSpec>> read(Path compose, Path k8s, Path nomad) {
    Map<String, Map<String, ServiceSpec>> m = new LinkedHashMap<>();
    m.put("compose", Readers.compose(compose.resolve("docker-compose.yml"), compose.resolve(".env.example")));
    m.put("kubernetes", Readers.kubernetes(Kustomize.render(k8s.resolve("overlays/dev"))));
    m.put("nomad", Readers.nomad(Hcl.parse(jobs(nomad)), mhzPerCore));
    return m;
  }

  static List<Path> jobs(Path dir) {
    try (Stream<Path> files = java.nio.file.Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".nomad.hcl")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("every difference is listed as intentional, and every listed difference exists")
  void onlyIntentionalDifferences() {
    Parity.Report report = Parity.compare(models, allowances);
    // The excused differences, for the record (target/surefire-reports/*-output.txt).
    report.excused().forEach(d -> System.out.println("intentional: " + d));
    assertThat(report.clean()).as("parity report:%s", report).isTrue();
  }

  @Test
  @DisplayName("the three know the same services (the edge aside), each with its replicas, image and limits")
  void sameServices() {
    assertThat(models.get("compose").keySet()).containsExactlyInAnyOrder("gateway", "catalog", "users", "cart", "orders",
        "payments", "notifications", "search", "payment-provider", "postgres", "kafka", "edge");
    assertThat(models.get("nomad").keySet()).isEqualTo(models.get("compose").keySet());
    assertThat(models.get("compose").get("gateway").replicas()).isEqualTo(2);
    assertThat(models.get("kubernetes").get("catalog").replicas()).isEqualTo(2);
    assertThat(models.get("nomad").get("payment-provider").replicas()).isEqualTo(1);
  }

  @Test
  @DisplayName("in each orchestrator, the declared ports are the ports the processes are configured with")
  void portsAgreeWithVariables() {
    List<String> problems = new ArrayList<>();
    models.forEach((orchestrator, model) -> problems.addAll(Readers.portsAgreeWithVariables(orchestrator, model)));
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("in each orchestrator, PostgreSQL creates a role for exactly the services that log in with one")
  void databaseRolesLineUp() {
    models.forEach((orchestrator, model) -> {
      List<String> users = new ArrayList<>();
      model.forEach((service, spec) -> {
        String user = spec.env().get("SHOP_DB_USER");
        if (spec.env().containsKey("SHOP_DB_USER")) {
          assertThat(user).as("%s %s SHOP_DB_USER", orchestrator, service).isEqualTo("shop_" + service);
          users.add(service);
        }
      });
      String declared = model.get("postgres").env().get("SHOP_DB_SERVICES");
      assertThat(List.of(declared.split(" "))).as("%s SHOP_DB_SERVICES", orchestrator).containsExactlyInAnyOrderElementsOf(users);
      for (String service : users) {
        assertThat(model.get("postgres").env()).as(orchestrator).containsKey("SHOP_DB_PASSWORD_" + service.toUpperCase());
      }
    });
  }

  /** The comparison is shown to catch a difference nobody declared. */
  @Nested
  @DisplayName("an undeclared difference is caught")
  class Rejects {

    @Test
    @DisplayName("a changed replica count in one model")
    void changedReplicaCount() {
      Map<String, Map<String, ServiceSpec>> broken = copy();
      broken.get("nomad").put("catalog", broken.get("nomad").get("catalog").withReplicas(3));
      Parity.Report report = Parity.compare(broken, allowances);
      assertThat(report.unexplained()).anySatisfy(d -> {
        assertThat(d.service()).isEqualTo("catalog");
        assertThat(d.aspect()).isEqualTo("replicas");
        assertThat(d.values()).containsEntry("nomad", "3").containsEntry("compose", "2");
      });
    }

    @Test
    @DisplayName("a changed replica count in the Compose file itself")
    void changedReplicaCountInTheFile() {
      Path compose = Repo.copyTree(Repo.path("compose"), Repo.scratch("parity-compose"));
      Repo.replaceOnce(compose.resolve("docker-compose.yml"), "    image: vertx-shop/catalog:${SHOP_VERSION:-0.1.0}\n    scale: 2\n",
          "    image: vertx-shop/catalog:${SHOP_VERSION:-0.1.0}\n    scale: 3\n");
      Map<String, Map<String, ServiceSpec>> broken = copy();
      broken.put("compose", Readers.compose(compose.resolve("docker-compose.yml"), compose.resolve(".env.example")));
      assertThat(Parity.compare(broken, allowances).unexplained())
          .anySatisfy(d -> assertThat(d.toString()).startsWith("catalog replicas"));
    }

    @Test
    @DisplayName("a memory limit changed in one Nomad group")
    void changedMemoryInNomad() {
      Path nomad = Repo.copyTree(Repo.path("nomad"), Repo.scratch("parity-nomad"));
      String text = Repo.read(nomad.resolve("payment-provider.nomad.hcl"));
      Repo.write(nomad.resolve("payment-provider.nomad.hcl"), text.replace("memory = 768", "memory = 1024"));
      Map<String, Map<String, ServiceSpec>> broken = copy();
      broken.put("nomad", Readers.nomad(Hcl.parse(jobs(nomad)), mhzPerCore));
      assertThat(Parity.compare(broken, allowances).unexplained())
          .anySatisfy(d -> assertThat(d.toString()).startsWith("payment-provider memory"));
    }

    @Test
    @DisplayName("a variable set in Kubernetes only")
    void variableInOneOrchestrator() {
      Path k8s = Kustomize.copyOfSpecs("parity-k8s-broken");
      Repo.replaceOnce(k8s.resolve("base/search.yaml"), "          env:\n", "          env:\n            - name: SHOP_SEARCH_REFRESH\n              value: 1s\n");
      Map<String, Map<String, ServiceSpec>> broken = copy();
      broken.put("kubernetes", Readers.kubernetes(Kustomize.render(k8s.resolve("overlays/dev"))));
      assertThat(Parity.compare(broken, allowances).unexplained())
          .anySatisfy(d -> assertThat(d.toString()).startsWith("search env SHOP_SEARCH_REFRESH"));
    }

    @Test
    @DisplayName("a literal value that differs")
    void differentLiteralValue() {
      Map<String, Map<String, ServiceSpec>> broken = copy();
      ServiceSpec cart = broken.get("compose").get("cart");
      Map<String, String> env = new TreeMap<>(cart.env());
      env.put("SHOP_SHUTDOWN_GRACE", "20s");
      broken.get("compose").put("cart", new ServiceSpec(cart.image(), cart.replicas(), cart.ports(), env, cart.health(),
          cart.cpuMillis(), cart.memoryMiB(), cart.stopGraceSeconds()));
      assertThat(Parity.compare(broken, allowances).unexplained())
          .anySatisfy(d -> assertThat(d.toString()).startsWith("cart env-value SHOP_SHUTDOWN_GRACE"));
    }

    @Test
    @DisplayName("an intentional difference that no longer exists (the list must stay true)")
    void staleEntry() {
      List<Parity.Allowance> withStale = new ArrayList<>(allowances);
      withStale.add(new Parity.Allowance("replicas", "", java.util.Set.of("search"), java.util.Set.of("nomad"), "no longer true"));
      assertThat(Parity.compare(models, withStale).stale()).extracting(Parity.Allowance::reason).containsExactly("no longer true");
    }

    @Test
    @DisplayName("an entry that names the wrong orchestrator does not excuse the difference")
    void wrongOrchestrator() {
      Map<String, Map<String, ServiceSpec>> broken = copy();
      broken.get("kubernetes").put("search", broken.get("kubernetes").get("search").withReplicas(2));
      List<Parity.Allowance> wrong = new ArrayList<>(allowances);
      wrong.add(0, new Parity.Allowance("replicas", "", java.util.Set.of("search"), java.util.Set.of("nomad"), "names nomad, but kubernetes deviates"));
      assertThat(Parity.compare(broken, wrong).unexplained()).anySatisfy(d -> assertThat(d.toString()).startsWith("search replicas"));
    }

    private Map<String, Map<String, ServiceSpec>> copy() {
      Map<String, Map<String, ServiceSpec>> copy = new LinkedHashMap<>();
      models.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
      return copy;
    }
  }
}
