package dev.vertxshop.platform.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.LocalPostgres;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real node (Vert.x, ops endpoint, a service with a migrated schema) on its own PostgreSQL, which
 * the test stops and starts again.
 */
@DisplayName("ShopNode: health, metrics, failures, configuration errors")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopNodeTest {

  private static LocalPostgres postgres;
  private static ShopNode node;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    postgres = LocalPostgres.start(null, 0);
    node = await(ShopNode.start(ShopTestEnv.of(postgres, null, Map.of("SHOP_DB_CONNECT_TIMEOUT", "500ms")),
        List.of(new ProbeService()), false));
    client = WebClient.create(node.vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      await(node.stop());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("the service's schema was migrated and its event-bus address answers")
  void serviceAnswers() throws Exception {
    JsonObject reply = await(Bus.request(node.vertx(), ProbeService.COUNT, new JsonObject(), Duration.ofSeconds(2)));
    assertThat(reply.getLong("count")).isZero();
  }

  @Test
  @Order(2)
  @DisplayName("a service failure crosses the event bus as its code")
  void failureCodes() throws Exception {
    Future<JsonObject> missing = Bus.request(node.vertx(), ProbeService.COUNT, new JsonObject().put("missing", true), Duration.ofSeconds(2));
    Throwable failure = awaitFailure(missing);
    assertThat(failure).isInstanceOf(ServiceException.class);
    assertThat(((ServiceException) failure).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure.getMessage()).isEqualTo("no such probe");

    Throwable nobody = awaitFailure(Bus.request(node.vertx(), "nobody.home", new JsonObject(), Duration.ofSeconds(1)));
    assertThat(((ServiceException) nobody).code()).isEqualTo(ErrorCode.UNAVAILABLE);

    node.vertx().eventBus().consumer("silent.service", msg -> { });
    Throwable late = awaitFailure(Bus.request(node.vertx(), "silent.service", new JsonObject(), Duration.ofMillis(200)));
    assertThat(((ServiceException) late).code()).isEqualTo(ErrorCode.TIMEOUT);
  }

  @Test
  @Order(3)
  @DisplayName("/metrics exposes HTTP server, event-bus and pool series in Prometheus format")
  void metrics() throws Exception {
    await(get("/health/live"));
    await(Bus.request(node.vertx(), ProbeService.COUNT, new JsonObject(), Duration.ofSeconds(2)));
    HttpResponse<Buffer> response = await(get("/metrics"));
    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.bodyAsString();
    assertThat(body).contains("vertx_http_server_requests_total{");
    assertThat(body).contains("route=\"/health/live\"");
    assertThat(body).contains("vertx_eventbus_processed_total{").contains("address=\"probe.count\"");
    assertThat(body).contains("vertx_pool_");
    assertThat(body).contains("jvm_memory_used_bytes");
  }

  @Test
  @Order(4)
  @DisplayName("/health/ready turns not-ready when the database stops and ready when it is back")
  void readinessFollowsTheDatabase() throws Exception {
    assertThat(await(get("/health/ready")).statusCode()).isEqualTo(200);
    postgres.stop();
    try {
      HttpResponse<Buffer> down = await(get("/health/ready"));
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
      assertThat(down.bodyAsString()).contains("database-probe");
      assertThat(await(get("/health/live")).statusCode()).isEqualTo(200);
    } finally {
      postgres.restart();
    }
    int status = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      status = await(get("/health/ready")).statusCode();
      if (status == 200) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(status).as("ready again after the database came back").isEqualTo(200);
    JsonObject reply = await(Bus.request(node.vertx(), ProbeService.COUNT, new JsonObject(), Duration.ofSeconds(2)));
    assertThat(reply.getLong("count")).isZero();
  }

  @Test
  @Order(5)
  @DisplayName("an invalid SHOP_ value stops the start with an error naming the variable")
  void invalidConfiguration() throws Exception {
    Throwable failure = awaitFailure(ShopNode.start(
        ShopTestEnv.of(postgres, null, Map.of("SHOP_DB_POOL_SIZE", "lots")), List.of(new ProbeService()), false));
    assertThat(failure).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) failure).variable()).isEqualTo("SHOP_DB_POOL_SIZE");
  }

  @Test
  @Order(6)
  @DisplayName("a failure after Vert.x started (database unreachable) fails the start instead of hanging")
  void failureAfterVertxStarted() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Throwable failure = awaitFailure(ShopNode.start(
        ShopTestEnv.of(postgres, null, Map.of("SHOP_DB_PORT", String.valueOf(closedPort))), List.of(new ProbeService()), false));
    assertThat(failure).hasMessageContaining("service probe failed to start");
  }

  @Test
  @Order(7)
  @DisplayName("unknown service names are refused with the list of known ones")
  void unknownService() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShopMain.select(List.of("nope")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_SERVICES").hasMessageContaining("nope");
  }

  private static Future<HttpResponse<Buffer>> get(String path) {
    return client.get(node.opsPort(), "127.0.0.1", path).timeout(5_000).send();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
