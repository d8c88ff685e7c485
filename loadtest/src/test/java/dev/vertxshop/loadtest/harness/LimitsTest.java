package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LimitsTest {

  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of(LimitsTest.class.getResource("/fixtures/" + name).toURI()));
  }

  private static Map<String, Limits.Service> byName(List<Limits.Service> services) {
    return services.stream().collect(Collectors.toMap(Limits.Service::name, s -> s, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  @Test
  @DisplayName("Compose: replicas, cpus, mem_limit and reservation per service, through the file's anchors and merge keys")
  void compose() throws Exception {
    Map<String, Limits.Service> services = byName(Limits.compose(fixture("docker-compose.yml"), "-Dfrom=image"));

    Limits.Service catalog = services.get("catalog");
    assertThat(catalog.replicas()).isEqualTo("2");
    assertThat(catalog.cpuLimit()).isEqualTo("1.0");
    assertThat(catalog.cpuEnforcement()).isEqualTo("hard (CFS quota)");
    assertThat(catalog.memoryLimit()).isEqualTo("768m");
    assertThat(catalog.memoryRequest()).isEqualTo("256m");
    // The spec sets no JAVA_OPTS: the image's apply, and the report says where they come from.
    assertThat(catalog.jvm()).isEqualTo("image default: -Dfrom=image");
    assertThat(services.get("gateway").replicas()).isEqualTo("2");
    assertThat(services.get("edge").cpuLimit()).isEqualTo("0.5");
    assertThat(services.get("postgres").memoryLimit()).isEqualTo("1024m");
    assertThat(services.get("postgres").jvm()).isEqualTo("not declared");
    assertThat(services.get("postgres").cpuRequest()).isNull();
    assertThat(services.get("postgres").resources()).isEqualTo("CPU 1.0, hard (CFS quota); memory 1024m");
  }

  @Test
  @DisplayName("Kubernetes: requests and limits of each Deployment and StatefulSet of the rendered overlay")
  void kubernetes() throws Exception {
    Map<String, Limits.Service> services = byName(Limits.kubernetes(fixture("k8s-dev-rendered.yaml"), "-Dfrom=image"));

    assertThat(services.keySet()).contains("gateway", "catalog", "users", "cart", "orders", "payments", "notifications", "search",
        "payment-provider", "postgres", "kafka");
    Limits.Service catalog = services.get("catalog");
    assertThat(catalog.replicas()).isEqualTo("2");
    assertThat(catalog.cpuLimit()).isEqualTo("1");
    assertThat(catalog.cpuRequest()).isEqualTo("250m");
    assertThat(catalog.memoryLimit()).isEqualTo("768Mi");
    assertThat(catalog.memoryRequest()).isEqualTo("512Mi");
    assertThat(catalog.jvm()).isEqualTo("image default: -Dfrom=image");
    assertThat(services.get("kafka").memoryLimit()).isEqualTo("1Gi");
  }

  @Test
  @DisplayName("Nomad: count, MHz and memory per task, and whether the CPU limit is hard (cpu_hard_limit) or a share")
  void nomad() throws Exception {
    Map<String, Limits.Service> services = byName(Limits.nomad(List.of(fixture("shop.nomad.hcl")), "-Dfrom=image"));

    Limits.Service catalog = services.get("catalog");
    assertThat(catalog.replicas()).isEqualTo("2");
    assertThat(catalog.cpuLimit()).isEqualTo("1000 MHz");
    // The recorded job has no cpu_hard_limit: a share that may use idle cores, and the report says so.
    assertThat(catalog.cpuEnforcement()).startsWith("soft");
    assertThat(catalog.memoryLimit()).isEqualTo("768 MB (hard)");
    assertThat(catalog.jvm()).isEqualTo("image default: -Dfrom=image");
    assertThat(services.keySet()).containsExactly("gateway", "catalog", "users", "cart", "orders", "payments", "notifications", "search");
  }

  @Test
  @DisplayName("Nomad: cpu_hard_limit, memory_max and JAVA_OPTS in a template are read when a job declares them")
  void nomadDeclared() {
    String job = """
        job "shop" {
          group "catalog" {
            count = 3
            task "catalog" {
              driver = "docker"
              config {
                image          = "vertx-shop/catalog:0.1.0"
                cpu_hard_limit = true
              }
              template {
                destination = "local/shop.env"
                env         = true
                data        = <<-EOT
                  SHOP_OPS_PORT=9000
                  JAVA_OPTS=-XX:ActiveProcessorCount=1 -Xmx384m
                EOT
              }
              resources {
                cpu        = 1000 # MHz
                memory     = 512
                memory_max = 768
              }
            }
          }
        }
        """;

    Limits.Service catalog = Limits.nomad(List.of(job), "-Dfrom=image").get(0);

    assertThat(catalog.replicas()).isEqualTo("3");
    assertThat(catalog.cpuEnforcement()).isEqualTo("hard (cpu_hard_limit: CFS quota)");
    assertThat(catalog.memoryLimit()).isEqualTo("768 MB (memory_max)");
    assertThat(catalog.memoryRequest()).isEqualTo("512 MB (reserved)");
    assertThat(catalog.jvm()).isEqualTo("-XX:ActiveProcessorCount=1 -Xmx384m");
  }

  @Test
  @DisplayName("the repository's current Compose file and Nomad jobs still read, with every shop service in them")
  void currentSpecs() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Limits.Service> compose = Limits.compose(Files.readString(root.resolve("compose/docker-compose.yml")), null);
    List<Limits.Service> nomad = Limits.nomad(List.of(Files.readString(root.resolve("nomad/shop.nomad.hcl"))), null);

    assertThat(compose).extracting(Limits.Service::name).containsAll(Target.SERVICES);
    assertThat(nomad).extracting(Limits.Service::name).containsAll(Target.SERVICES);
    assertThat(Limits.imageJavaOpts(root.resolve("docker/service/Dockerfile"))).isNotBlank();
  }
}
