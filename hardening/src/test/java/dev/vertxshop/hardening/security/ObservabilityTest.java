package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.security.Shop.Request;
import dev.vertxshop.hardening.security.Shop.Response;
import dev.vertxshop.hardening.security.Shop.User;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Observability of the whole shop: one checkout followed through the JSON log lines of every service it
 * touches, by the correlation id the client sent (HTTP into the gateway, event-bus requests to orders,
 * catalog and payments, the outbox rows to Kafka, the consumers that apply the events); and every metric
 * the Grafana dashboard queries is one the node exports.
 */
@DisplayName("Observability: one x-correlation-id across every service's log lines; the dashboard's metrics exist")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityTest {

  private static final Pattern METRIC = Pattern.compile("\\b(?:shop|vertx|jvm)_[a-z0-9_]+");

  private static Shop shop;

  @BeforeAll
  static void start() {
    shop = Shop.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("a checkout's id is echoed and found on lines of every service on its way, HTTP to event bus to Kafka")
  void oneCheckoutAcrossServices() {
    User user = shop.newUser("traced");
    String product = shop.createProduct(2_490, 10);
    assertThat(shop.addToCart(user, product, 1).status()).isEqualTo(200);
    String correlationId = "checkout-" + UUID.randomUUID();

    List<JsonObject> ours;
    try (LogCapture capture = new LogCapture("dev.vertxshop")) {
      Response checkout = shop.send(Request.of(HttpMethod.POST, "/api/orders").bearer(user.token())
          .header("Idempotency-Key", "trace-" + UUID.randomUUID()).header("x-correlation-id", correlationId));
      assertThat(checkout.status()).as(checkout.text()).isIn(201, 202);
      assertThat(checkout.headers().get("x-correlation-id")).isEqualTo(correlationId);
      String orderId = checkout.json().getString("id");
      Shop.eventually(Shop.WAIT, "the order is confirmed", () ->
          "CONFIRMED".equals(shop.get("/api/orders/" + orderId, user.token()).json().getString("status")));
      // The consumers run after the confirmation: wait for their lines, not for time.
      Shop.eventually(Shop.WAIT, "the cart and notifications consumers applied OrderConfirmed", () -> {
        List<JsonObject> sofar = lines(capture, correlationId);
        return applied(sofar, "cart", "OrderConfirmed") && applied(sofar, "notifications", "OrderConfirmed");
      });
      ours = lines(capture, correlationId);
    }

    Map<String, List<String>> byService = ours.stream().collect(Collectors.groupingBy(
        line -> line.getString("service", "(none)"), java.util.TreeMap::new,
        Collectors.mapping(line -> shortLogger(line) + ": " + line.getString("message"), Collectors.toList())));
    System.out.printf("log lines of correlation id %s: %d%n", correlationId, ours.size());
    byService.forEach((service, lines) -> {
      System.out.printf("  %s (%d)%n", service, lines.size());
      lines.stream().limit(6).forEach(line -> System.out.printf("    %s%n", line));
    });

    assertThat(byService.keySet()).contains("gateway", "orders", "catalog", "payments", "cart", "notifications");
    assertThat(byService.get("gateway")).anyMatch(line -> line.contains("request to orders.checkout"));
    assertThat(byService.get("orders")).anyMatch(line -> line.contains("placed"));
    assertThat(byService.get("catalog")).anyMatch(line -> line.contains("reserved") || line.contains("stock committed"));
    assertThat(byService.get("payments")).anyMatch(line -> line.contains("charged"));
    assertThat(byService.get("cart")).anyMatch(line -> line.contains("applied OrderConfirmed"));
    assertThat(byService.get("notifications")).anyMatch(line -> line.contains("applied"));
    assertThat(ours).allSatisfy(line -> {
      assertThat(line.getString("ts")).isNotBlank();
      assertThat(line.getString("level")).isNotBlank();
      assertThat(line.getString("logger")).isNotBlank();
    });
  }

  @Test
  @Order(2)
  @DisplayName("every shop_, vertx_ and jvm_ metric in the Grafana dashboard's queries is on the node's /metrics")
  void dashboardMetricsExported() throws IOException {
    Path dashboard = SqlBoundParametersTest.repositoryRoot().resolve("compose/monitoring/grafana/dashboards/vertx-shop.json");
    JsonObject json = new JsonObject(Files.readString(dashboard));
    Set<String> queried = new TreeSet<>();
    for (Object panel : json.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new io.vertx.core.json.JsonArray())) {
        Matcher names = METRIC.matcher(((JsonObject) target).getString("expr"));
        while (names.find()) {
          queried.add(names.group());
        }
      }
    }
    // After the checkout above, every family has a sample, histograms and breakers included; the GC
    // pause family only once a collection has happened, which a young JVM may not have had yet: one is
    // asked for, and its notification reaches the meter asynchronously, so /metrics is read a few times.
    System.gc();
    Set<String> exported = exported();
    for (int attempt = 0; attempt < 25 && !exported.containsAll(queried); attempt++) {
      sleep(200);
      exported = exported();
    }
    System.out.printf("dashboard queries %d metrics: %s%n", queried.size(), queried);
    assertThat(queried).contains("shop_outbox_backlog", "shop_kafka_consumer_lag", "shop_circuit_breaker_state",
        "shop_orders_saga_outcomes_total", "vertx_http_server_response_time_seconds_bucket", "vertx_eventbus_processed_total");
    assertThat(exported).containsAll(queried);
  }

  private static Set<String> exported() {
    String metrics = shop.sendTo(shop.node.opsPort(), Request.of(HttpMethod.GET, "/metrics")).text();
    Set<String> exported = new TreeSet<>();
    Matcher names = Pattern.compile("(?m)^((?:shop|vertx|jvm)_[a-z0-9_]+)[{ ]").matcher(metrics);
    while (names.find()) {
      exported.add(names.group(1));
    }
    return exported;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonObject> lines(LogCapture capture, String correlationId) {
    return capture.json().stream().filter(line -> correlationId.equals(line.getString("correlationId"))).toList();
  }

  private static boolean applied(List<JsonObject> lines, String service, String type) {
    return lines.stream().anyMatch(line -> service.equals(line.getString("service"))
        && line.getString("message").startsWith("consumer " + service + " applied " + type));
  }

  private static String shortLogger(JsonObject line) {
    String logger = line.getString("logger");
    return logger.substring(logger.lastIndexOf('.') + 1);
  }
}
