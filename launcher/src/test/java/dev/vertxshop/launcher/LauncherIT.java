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

  private static List<ProcessHandle> postgresOn(int port) {
    String portArg = " -p " + port + " ";
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("postgres -D") && c.contains(portArg)).orElse(false))
        .toList();
  }

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
    int dbPort = ClusterTest.freePort();
    builder.environment().put("SHOP_EMBEDDED_DB_PORT", String.valueOf(dbPort));
    int providerPort = ClusterTest.freePort();
    builder.environment().put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    builder.environment().put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(ClusterTest.freePort()));
    builder.environment().put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
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

      // No terminal here (our pipe): the generated admin token is in an owner-only file, not in the output.
      java.util.regex.Matcher tokenLine;
      synchronized (output) {
        tokenLine = java.util.regex.Pattern.compile("admin token for this run written to (\\S+)").matcher(output);
        assertThat(tokenLine.find()).as("the launcher says where the admin token is").isTrue();
      }
      Path tokenFile = Path.of(tokenLine.group(1));
      String token = Files.readString(tokenFile).trim();
      assertThat(token).hasSizeGreaterThan(20);
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
      synchronized (output) {
        assertThat(output.toString()).as("the token is never in the log").doesNotContain(token);
      }
      HttpResponse<String> admin = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gatewayPort + "/api/admin/orders")).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(admin.statusCode()).as("the token from the file works: " + admin.body()).isEqualTo(200);

      // PostgreSQL daemonizes (pg_ctl), so its processes are found by the port it was given, not as children.
      List<ProcessHandle> children = postgresOn(dbPort);
      assertThat(children).as("the embedded PostgreSQL server runs").isNotEmpty();

      // SIGTERM, as Ctrl-C or docker stop would send; Process.destroy() would also close our end of its
      // output pipe, and the shutdown lines could not be read.
      process.toHandle().destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits after SIGTERM").isTrue();
      reader.join(10_000); // the last lines may still be in the pipe when the process has exited
      synchronized (output) {
        assertThat(output.toString()).contains("node stopping").contains("node stopped");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      // Exited processes may linger a moment as zombies until init reaps them: wait for both views.
      while ((!postgresOn(dbPort).isEmpty() || children.stream().anyMatch(ProcessHandle::isAlive)) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(postgresOn(dbPort)).as("no process left behind").isEmpty();
      assertThat(children.stream().filter(ProcessHandle::isAlive).toList()).isEmpty();
      assertThat(tokenFile).as("the token file goes with the JVM").doesNotExist();

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
