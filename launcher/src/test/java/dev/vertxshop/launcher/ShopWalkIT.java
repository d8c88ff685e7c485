package dev.vertxshop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's curl walk-through, step by step, against the packaged {@code shop.jar} started as a newcomer
 * starts it (no arguments): a shopper signs up, signs in, browses, searches, fills a cart, checks out with an
 * {@code Idempotency-Key}, repeats the checkout, reads the orders and the notification, and finds the cart empty.
 */
@DisplayName("shop.jar all-in-one: the README's shopping walk through the gateway")
class ShopWalkIT {

  /** How long what travels through Kafka (index, notification, cart clearing) may take to show. */
  private static final Duration ASYNC = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String api;

  @Test
  @DisplayName("register, login, browse, search, add to cart, checkout (CONFIRMED), same key again, orders, notification, cart emptied")
  void walk() throws Exception {
    Path jar = Path.of(System.getProperty("shop.jar", "target/shop.jar"));
    assertThat(jar).exists();
    int gatewayPort = ClusterTest.freePort();
    int providerPort = ClusterTest.freePort();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()).redirectErrorStream(true);
    builder.environment().put("SHOP_GATEWAY_PORT", String.valueOf(gatewayPort));
    builder.environment().put("SHOP_OPS_PORT", String.valueOf(ClusterTest.freePort()));
    // The provider stand-in's default ports may be taken on a build machine; payments must follow it.
    builder.environment().put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    builder.environment().put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(ClusterTest.freePort()));
    builder.environment().put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
    builder.environment().remove("SHOP_DATA_DIR");
    builder.environment().remove("SHOP_JWT_PUBLIC_KEY");
    api = "http://127.0.0.1:" + gatewayPort;

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
      ready.get(180, TimeUnit.SECONDS);
      shop();
      process.toHandle().destroy(); // SIGTERM, as Ctrl-C would send, leaving our end of its output pipe open
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits after SIGTERM").isTrue();
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      synchronized (output) {
        Files.writeString(Path.of("target", "shop-walk-it-output.log"), output);
      }
    }
  }

  private void shop() throws Exception {
    String email = "walk-" + UUID.randomUUID() + "@example.com";
    String password = "correct horse battery";

    // 1. Register.
    HttpResponse<String> registered = send("POST", "/api/users", null,
        new JsonObject().put("email", email).put("password", password).put("name", "Ada Walker"));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    assertThat(registered.headers().firstValue("location")).contains("/api/users/me");
    String userId = new JsonObject(registered.body()).getString("id");

    // 2. Sign in.
    HttpResponse<String> login = send("POST", "/api/auth/login", null,
        new JsonObject().put("email", email).put("password", password));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    JsonObject signedIn = new JsonObject(login.body());
    assertThat(signedIn.getString("tokenType")).isEqualTo("Bearer");
    String token = signedIn.getString("token");
    HttpResponse<String> me = send("GET", "/api/users/me", token, null);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(me.body()).getString("id")).isEqualTo(userId);

    // 3. Browse: categories, then a page of one of them.
    HttpResponse<String> categories = send("GET", "/api/categories", null, null);
    assertThat(new JsonObject(categories.body()).getJsonArray("items")).isNotEmpty();
    HttpResponse<String> browse = send("GET", "/api/products?category=home-kitchen&size=5", null, null);
    assertThat(browse.statusCode()).isEqualTo(200);
    JsonObject product = firstInStock(new JsonObject(browse.body()).getJsonArray("items"));
    String productId = product.getString("id");
    long price = product.getJsonObject("price").getLong("amount");

    // 4. Search: the product is found by a word of its name.
    String[] words = product.getString("name").split(" ");
    String word = words[words.length - 1];
    HttpResponse<String> found = poll(() -> send("GET", "/api/search?q=" + word + "&category=home-kitchen&size=100", null, null),
        response -> response.statusCode() == 200 && ids(new JsonObject(response.body()).getJsonArray("items")).contains(productId));
    assertThat(new JsonObject(found.body()).getInteger("total")).isPositive();

    // 5. Add to the cart, 6. view it.
    HttpResponse<String> added = send("POST", "/api/cart/items", token,
        new JsonObject().put("productId", productId).put("quantity", 2));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    JsonObject cart = new JsonObject(send("GET", "/api/cart", token, null).body());
    assertThat(cart.getJsonArray("lines")).hasSize(1);
    assertThat(cart.getJsonObject("total")).isEqualTo(new JsonObject().put("amount", 2 * price).put("currency", "EUR"));

    // 7. Check out with an Idempotency-Key: CONFIRMED.
    String key = "walk-" + UUID.randomUUID();
    HttpResponse<String> checkout = checkout(token, key);
    assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(201);
    JsonObject order = new JsonObject(checkout.body());
    assertThat(order.getString("status")).isEqualTo("CONFIRMED");
    assertThat(order.getJsonObject("total").getLong("amount")).isEqualTo(2 * price);
    String orderId = order.getString("id");
    assertThat(checkout.headers().firstValue("location")).contains("/api/orders/" + orderId);

    // 8. The same key again: the same order, not a second one.
    HttpResponse<String> again = checkout(token, key);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(orderId);
    assertThat(new JsonObject(again.body()).getString("status")).isEqualTo("CONFIRMED");

    // 9. The orders, 10. the order.
    JsonObject orders = new JsonObject(send("GET", "/api/orders", token, null).body());
    assertThat(orders.getInteger("total")).isEqualTo(1);
    assertThat(ids(orders.getJsonArray("items"))).containsExactly(orderId);
    HttpResponse<String> one = send("GET", "/api/orders/" + orderId, token, null);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(one.body()).getString("status")).isEqualTo("CONFIRMED");

    // 11. The order-confirmed notification arrives (through Kafka).
    poll(() -> send("GET", "/api/notifications", token, null), response -> {
      for (Object item : new JsonObject(response.body()).getJsonArray("items")) {
        JsonObject notification = (JsonObject) item;
        if ("OrderConfirmed".equals(notification.getString("type")) && orderId.equals(notification.getString("orderId"))) {
          return true;
        }
      }
      return false;
    });

    // 12. The cart was emptied by the confirmed order.
    poll(() -> send("GET", "/api/cart", token, null),
        response -> new JsonObject(response.body()).getJsonArray("lines").isEmpty());
  }

  private static JsonObject firstInStock(JsonArray products) {
    for (Object item : products) {
      JsonObject product = (JsonObject) item;
      if (product.getInteger("stock") >= 2) {
        return product;
      }
    }
    throw new AssertionError("no product with stock in " + products.encode());
  }

  private static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  private HttpResponse<String> checkout(String token, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api + "/api/orders"))
        .header("authorization", "Bearer " + token)
        .header("idempotency-key", key)
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One HTTP call of a poll. */
  private interface Call {
    HttpResponse<String> send() throws Exception;
  }

  /** Repeats {@code call} until {@code done}, for at most {@link #ASYNC}: for what arrives through Kafka. */
  private static HttpResponse<String> poll(Call call, Predicate<HttpResponse<String>> done) throws Exception {
    long deadline = System.nanoTime() + ASYNC.toNanos();
    while (true) {
      HttpResponse<String> response = call.send();
      if (done.test(response)) {
        return response;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + ASYNC.toSeconds() + " s; last answer " + response.statusCode()
            + " " + response.body());
      }
      Thread.sleep(200);
    }
  }
}
