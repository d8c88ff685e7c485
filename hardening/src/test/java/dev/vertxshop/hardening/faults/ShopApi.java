package dev.vertxshop.hardening.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The shop's public HTTP API as the scenarios use it (through the gateway, like any client), plus the
 * provider stand-in's admin knobs. Asynchronous calls feed the load generator; the blocking ones
 * (suffix-free, returning values) are for setting a scenario up from the test thread.
 */
final class ShopApi {

  /** A registered shopper with a bearer token. */
  record User(String id, String email, String token) {
  }

  /** Longer than any gateway deadline, so that the gateway's own answer (504) is what a client sees. */
  static final long CLIENT_TIMEOUT_MS = 15_000;
  /** How long an idle pooled connection is kept: well under the gateway's idle timeout of 60 s. */
  static final int KEEP_ALIVE_SECONDS = 20;
  private static final String HOST = "127.0.0.1";
  private static final String PASSWORD = "fault-scenario-password";

  private final WebClient client;
  private final int gatewayPort;
  private final int providerAdminPort;
  private final String adminToken;

  ShopApi(Vertx vertx, int gatewayPort, int providerAdminPort, String adminToken) {
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost(HOST)
        .setConnectTimeout(2_000)
        .setKeepAlive(true)
        // The gateway closes a connection idle for 60 s. The scenarios share this client, so connections
        // opened by one scenario's load sit idle through its aftermath: with the client's default of 60 s as
        // well, the next scenario could pick one the gateway is closing at that moment and see it cut
        // (status 0). Giving them up well before the gateway does closes that race.
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS), new PoolOptions().setHttp1MaxSize(128));
    this.gatewayPort = gatewayPort;
    this.providerAdminPort = providerAdminPort;
    this.adminToken = adminToken;
  }

  // ---- asynchronous: what the load generator sends ----

  Future<HttpResponse<Buffer>> getProduct(String id) {
    return request(client.get(gatewayPort, HOST, "/api/products/" + id)).send();
  }

  Future<HttpResponse<Buffer>> setCartItem(User user, String productId, int quantity) {
    return request(client.put(gatewayPort, HOST, "/api/cart/items/" + productId)).bearerTokenAuthentication(user.token())
        .sendJsonObject(new JsonObject().put("quantity", quantity));
  }

  Future<HttpResponse<Buffer>> checkout(User user, String idempotencyKey) {
    return request(client.post(gatewayPort, HOST, "/api/orders")).bearerTokenAuthentication(user.token())
        .putHeader("Idempotency-Key", idempotencyKey).send();
  }

  private static HttpRequest<Buffer> request(HttpRequest<Buffer> request) {
    return request.timeout(CLIENT_TIMEOUT_MS);
  }

  // ---- blocking: setting a scenario up ----

  /** Registers and signs in {@code count} new shoppers, a few at a time. */
  List<User> registerUsers(int count, String prefix) {
    List<User> users = new ArrayList<>();
    int batch = 6;
    for (int from = 0; from < count; from += batch) {
      List<Future<User>> round = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + batch); i++) {
        round.add(register(prefix + "-" + UUID.randomUUID() + "@faults.example.com"));
      }
      round.forEach(f -> users.add(await(f)));
    }
    return users;
  }

  private Future<User> register(String email) {
    JsonObject body = new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Fault Shopper");
    return client.post(gatewayPort, HOST, "/api/users").timeout(CLIENT_TIMEOUT_MS).sendJsonObject(body)
        .compose(created -> created.statusCode() == 201
            ? client.post(gatewayPort, HOST, "/api/auth/login").timeout(CLIENT_TIMEOUT_MS)
                .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD))
                .map(login -> {
                  if (login.statusCode() != 200) {
                    throw new IllegalStateException("login answered " + login.statusCode() + ": " + login.bodyAsString());
                  }
                  return new User(created.bodyAsJsonObject().getString("id"), email,
                      login.bodyAsJsonObject().getString("token"));
                })
            : Future.failedFuture("registration answered " + created.statusCode() + ": " + created.bodyAsString()));
  }

  /** A new product in a demo category, created through the admin API. */
  JsonObject createProduct(String name, long priceMinor, int stock) {
    String sku = "FLT-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase().replace("-", "");
    JsonObject body = new JsonObject().put("sku", sku).put("name", name).put("description", "fault scenario product")
        .put("category", "books").put("price", new JsonObject().put("amount", priceMinor).put("currency", "EUR"))
        .put("stock", stock);
    HttpResponse<Buffer> response = await(client.post(gatewayPort, HOST, "/api/products").timeout(CLIENT_TIMEOUT_MS)
        .bearerTokenAuthentication(adminToken).sendJsonObject(body));
    if (response.statusCode() != 201) {
      throw new IllegalStateException("product creation answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Ids of up to 100 catalog products (the demo catalog), to read under load. */
  List<String> productIds() {
    HttpResponse<Buffer> response = await(client.get(gatewayPort, HOST, "/api/products?size=100").timeout(CLIENT_TIMEOUT_MS).send());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("product list answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    JsonArray items = response.bodyAsJsonObject().getJsonArray("items");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ids.add(items.getJsonObject(i).getString("id"));
    }
    return ids;
  }

  /**
   * Null when every route the scenarios use answers 200 through the gateway (each downstream is reachable
   * and its breaker closed); otherwise what failed.
   */
  String probe(User user) {
    List<String> failures = new ArrayList<>();
    List<String[]> routes = List.of(
        new String[] {"/api/products?size=1", null},
        new String[] {"/api/users/me", user.token()},
        new String[] {"/api/cart", user.token()},
        new String[] {"/api/orders?size=1", user.token()},
        new String[] {"/api/notifications?size=1", user.token()});
    for (String[] route : routes) {
      try {
        HttpRequest<Buffer> request = client.get(gatewayPort, HOST, route[0]).timeout(5_000);
        if (route[1] != null) {
          request.bearerTokenAuthentication(route[1]);
        }
        HttpResponse<Buffer> response = await(request.send());
        if (response.statusCode() != 200) {
          failures.add(route[0] + " " + response.statusCode());
        }
      } catch (RuntimeException e) {
        failures.add(route[0] + " " + e.getMessage());
      }
    }
    return failures.isEmpty() ? null : String.join(", ", failures);
  }

  /** Sets the provider stand-in's fault knobs (partial JSON); answers the knobs in force. */
  JsonObject providerFaults(JsonObject knobs) {
    HttpResponse<Buffer> response = await(client.put(providerAdminPort, HOST, "/admin/faults").timeout(CLIENT_TIMEOUT_MS)
        .sendJsonObject(knobs));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("provider knobs answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Makes the provider forget every charge and idempotency key (its stats are kept); answers how many charges it forgot. */
  long providerForget() {
    HttpResponse<Buffer> response = await(client.post(providerAdminPort, HOST, "/admin/forget").timeout(CLIENT_TIMEOUT_MS).send());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("provider forget answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getLong("forgotten");
  }

  /** The first page (up to 100, oldest first) of every user's orders in {@code status}, with their sagas: the operators' list. */
  JsonObject adminOrders(String status) {
    HttpResponse<Buffer> response = await(client.get(gatewayPort, HOST, "/api/admin/orders?status=" + status + "&size=100")
        .timeout(CLIENT_TIMEOUT_MS).bearerTokenAuthentication(adminToken).send());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("admin orders answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** The provider's counters since its start. */
  JsonObject providerStats() {
    return await(client.get(providerAdminPort, HOST, "/admin/stats").timeout(CLIENT_TIMEOUT_MS).send()).bodyAsJsonObject();
  }

  /** Every charge the provider made since it started. */
  JsonArray providerChargesAll() {
    return await(client.get(providerAdminPort, HOST, "/admin/charges").timeout(CLIENT_TIMEOUT_MS).send())
        .bodyAsJsonObject().getJsonArray("items");
  }

  static <T> T await(Future<T> future) {
    return await(future, Duration.ofSeconds(60));
  }

  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
