package dev.vertxshop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The packaged {@code shop.jar} as a newcomer runs it: no arguments, then Ctrl-C. */
@DisplayName("shop.jar all-in-one: starts, serves the demo catalog, stops cleanly")
class LauncherIT {

  @Test
  @DisplayName("ready line, demo catalog through the gateway, SIGTERM leaves no process behind")
  void allInOne() throws Exception {
    Path jar = Path.of(System.getProperty("shop.jar", "target/shop.jar"));
    assertThat(jar).exists();
    int gatewayPort = ClusterTest.freePort();
    int opsPort = ClusterTest.freePort();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()).redirectErrorStream(true);
    builder.environment().put("SHOP_GATEWAY_PORT", String.valueOf(gatewayPort));
    builder.environment().put("SHOP_OPS_PORT", String.valueOf(opsPort));
    builder.environment().remove("SHOP_DATA_DIR");
    long start = System.nanoTime();
    Process process = builder.start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.contains("Vert.x Shop ready")) {
            ready.complete(line);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("process ended before ready"));
    });
    reader.start();
    try {
      String line = ready.get(120, TimeUnit.SECONDS);
      long readyMs = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("shop.jar ready in %d ms: %s%n", readyMs, line);
      assertThat(line).contains("http://127.0.0.1:" + gatewayPort + "/api/products");

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> products = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gatewayPort + "/api/products?size=100")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(products.statusCode()).isEqualTo(200);
      JsonObject page = new JsonObject(products.body());
      assertThat(page.getInteger("total")).isGreaterThanOrEqualTo(200);
      HttpResponse<String> categories = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gatewayPort + "/api/categories")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(new JsonObject(categories.body()).getJsonArray("items")).hasSize(10);
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + opsPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      List<ProcessHandle> children = process.descendants().toList();
      assertThat(children).as("embedded PostgreSQL runs as child processes").isNotEmpty();

      process.destroy(); // SIGTERM, as Ctrl-C / docker stop would send
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits after SIGTERM").isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(children.stream().filter(ProcessHandle::isAlive).toList()).as("no process left behind").isEmpty();
      synchronized (output) {
        assertThat(output.toString()).contains("node stopped");
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      synchronized (output) {
        Files.writeString(Path.of("target", "launcher-it-output.log"), output);
      }
    }
  }
}
