package dev.vertxshop.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Images: the Dockerfiles follow the image rules and the image scripts are valid bash")
class DockerImagesTest {


  @Test
  @DisplayName("the service image: non-root, exec-form entry point and health check, OCI labels, container-aware heap")
  void serviceImage() {
    assertThat(DockerfileChecks.check("service", Repo.read(Repo.path("docker/service/Dockerfile")), true)).isEmpty();
    assertThat(Repo.read(Repo.path("docker/service/Dockerfile"))).contains("ARG BASE_IMAGE=eclipse-temurin:17-jre");
  }

  @Test
  @DisplayName("the Kafka and PostgreSQL images follow the same rules")
  void infrastructureImages() {
    assertThat(DockerfileChecks.check("kafka", Repo.read(Repo.path("docker/kafka/Dockerfile")), true)).isEmpty();
    assertThat(DockerfileChecks.check("postgres", Repo.read(Repo.path("docker/postgres/Dockerfile")), false)).isEmpty();
  }

  @Test
  @DisplayName("the entry points end by exec'ing the process (it becomes PID 1 and receives SIGTERM)")
  void entryPointsExec() {
    assertThat(Repo.read(Repo.path("docker/service/shop-entrypoint"))).containsPattern("(?m)^exec java ");
    assertThat(Repo.read(Repo.path("docker/kafka/kafka-entrypoint"))).containsPattern("(?m)^exec java ");
    assertThat(Repo.read(Repo.path("docker/postgres/postgres-entrypoint"))).containsPattern("(?m)^exec postgres ");
  }

  @Test
  @DisplayName("every image the specs run is one the image scripts build, with the version Compose defaults to")
  void specsRunTheBuiltImages() {
    String buildImages = Repo.read(Repo.path("docker/build-images.sh"));
    String buildBase = Repo.read(Repo.path("docker/build-base.sh"));
    java.util.regex.Matcher services = java.util.regex.Pattern.compile("ALL_SERVICES=\"([^\"]+)\"").matcher(buildImages);
    assertThat(services.find()).isTrue();
    java.util.Set<String> built = new java.util.TreeSet<>();
    for (String s : services.group(1).split(" ")) {
      built.add("vertx-shop/" + s + ":0.1.0");
    }
    built.add("vertx-shop/kafka:0.1.0");
    built.add("vertx-shop/postgres:0.1.0");
    java.util.regex.Matcher base = java.util.regex.Pattern.compile("=(vertx-shop/[a-z-]+:[0-9.]+)").matcher(buildBase);
    while (base.find()) {
      built.add(base.group(1));
    }
    java.util.Set<String> run = new java.util.TreeSet<>();
    dev.vertxshop.deploy.parity.Readers.compose(Repo.path("compose/docker-compose.yml"), Repo.path("compose/.env.example"))
        .values().forEach(spec -> run.add(spec.image()));
    assertThat(built).containsAll(run);
    assertThat(run).hasSize(12);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"docker/build-base.sh", "docker/build-images.sh", "docker/service/shop-entrypoint",
      "docker/service/shop-healthcheck", "docker/kafka/kafka-entrypoint", "docker/kafka/kafka-healthcheck",
      "docker/postgres/postgres-entrypoint", "docker/postgres/initdb/10-shop.sh", "compose/make-env.sh",
      "compose/e2e.sh", "k8s/make-secrets.sh", "nomad/put-variables.sh"})
  @DisplayName("the script parses (bash -n)")
  void scriptParses(String script) {
    Tools.Result result = Tools.run(Repo.root(), Duration.ofSeconds(30), List.of("bash", "-n", Repo.path(script).toString()));
    assertThat(result.exit()).as(result.both()).isZero();
  }

  @Nested
  @DisplayName("a broken Dockerfile or script is rejected")
  class Rejects {

    @Test
    @DisplayName("a shell-form entry point (SIGTERM would stop at the shell)")
    void shellFormEntrypoint() {
      String broken = Repo.read(Repo.path("docker/service/Dockerfile"))
          .replace("ENTRYPOINT [\"/usr/local/bin/shop-entrypoint\"]", "ENTRYPOINT /usr/local/bin/shop-entrypoint");
      assertThat(DockerfileChecks.check("service", broken, true)).anySatisfy(p -> assertThat(p).contains("exec form"));
    }

    @Test
    @DisplayName("an image that runs as root")
    void root() {
      String broken = Repo.read(Repo.path("docker/kafka/Dockerfile")).replace("USER 10001:10001", "USER root");
      assertThat(DockerfileChecks.check("kafka", broken, true)).anySatisfy(p -> assertThat(p).contains("numeric non-root uid"));
    }

    @Test
    @DisplayName("a JVM without the container-aware heap")
    void fixedHeap() {
      String broken = Repo.read(Repo.path("docker/service/Dockerfile")).replace("-XX:MaxRAMPercentage=75", "-Xmx2g");
      assertThat(DockerfileChecks.check("service", broken, true)).anySatisfy(p -> assertThat(p).contains("MaxRAMPercentage"));
    }

    @Test
    @DisplayName("a missing OCI label")
    void missingLabel() {
      String broken = Repo.read(Repo.path("docker/postgres/Dockerfile")).replace("org.opencontainers.image.revision=", "revision=");
      assertThat(DockerfileChecks.check("postgres", broken, false)).anySatisfy(p -> assertThat(p).contains("image.revision"));
    }

    @Test
    @DisplayName("a script with a syntax error")
    void scriptSyntax() {
      Path copy = Repo.scratch("scripts").resolve("shop-entrypoint");
      Repo.write(copy, Repo.read(Repo.path("docker/service/shop-entrypoint")).replace("done\n", "\n"));
      Tools.Result result = Tools.run(Repo.root(), Duration.ofSeconds(30), List.of("bash", "-n", copy.toString()));
      assertThat(result.exit()).isNotZero();
    }
  }
}
