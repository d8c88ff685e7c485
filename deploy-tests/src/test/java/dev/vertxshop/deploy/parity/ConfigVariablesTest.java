package dev.vertxshop.deploy.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Variables: every variable the specs set is one the services or images read")
class ConfigVariablesTest {

  static Map<String, Map<String, ServiceSpec>> models;
  static Set<String> code;
  static Set<String> images;

  @BeforeAll
  static void read() {
    ParityTest.read();
    models = ParityTest.models;
    code = ConfigVariables.readByCode();
    images = ConfigVariables.readByImages();
  }

  @Test
  @DisplayName("no spec sets a variable nothing reads")
  void noUnknownVariables() {
    List<String> problems = new ArrayList<>();
    models.forEach((orchestrator, model) -> problems.addAll(ConfigVariables.unknown(orchestrator, model, code, images)));
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("the scan finds the platform's and the services' variables")
  void scanFindsVariables() {
    assertThat(code).contains("SHOP_DB_HOST", "SHOP_CLUSTER_DNS_NAME", "SHOP_OPS_PORT", "SHOP_GATEWAY_PORT",
        "SHOP_CATALOG_SEED_DEMO", "SHOP_ADMIN_TOKEN");
    assertThat(images).contains("SHOP_DB_SERVICES", "KAFKA_ADVERTISED_HOST", "POSTGRES_PASSWORD");
  }

  @Test
  @DisplayName("a misspelled variable in a spec is caught")
  void misspelledVariableIsCaught() {
    ServiceSpec catalog = models.get("compose").get("catalog");
    Map<String, String> env = new TreeMap<>(catalog.env());
    env.put("SHOP_CATALOG_SEED_DEMOO", "true");
    Map<String, ServiceSpec> broken = new TreeMap<>(models.get("compose"));
    broken.put("catalog", new ServiceSpec(catalog.image(), catalog.replicas(), catalog.ports(), env, catalog.health(),
        catalog.cpuMillis(), catalog.memoryMiB(), catalog.stopGraceSeconds()));
    assertThat(ConfigVariables.unknown("compose", broken, code, images))
        .containsExactly("compose catalog: SHOP_CATALOG_SEED_DEMOO is read by no service code and no image script");
  }

  @Test
  @DisplayName("a _FILE variable for a secret nothing reads is caught")
  void unknownFileVariableIsCaught() {
    ServiceSpec users = models.get("kubernetes").get("users");
    Map<String, String> env = new TreeMap<>(users.env());
    env.put("SHOP_JWT_KEY_FILE", "/run/secrets/x");
    Map<String, ServiceSpec> broken = new TreeMap<>(models.get("kubernetes"));
    broken.put("users", new ServiceSpec(users.image(), users.replicas(), users.ports(), env, users.health(),
        users.cpuMillis(), users.memoryMiB(), users.stopGraceSeconds()));
    assertThat(ConfigVariables.unknown("kubernetes", broken, code, images)).singleElement().asString().contains("SHOP_JWT_KEY_FILE");
  }
}
