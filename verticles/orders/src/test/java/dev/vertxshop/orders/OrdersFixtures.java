package dev.vertxshop.orders;

import dev.vertxshop.contracts.cart.AddItem;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.cart.GetCart;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.AdjustStock;
import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.GetProduct;
import dev.vertxshop.contracts.catalog.ProductFields;
import dev.vertxshop.contracts.catalog.UpdateProduct;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shared helpers of the orders tests: the environment of a shop with a real provider on free ports,
 * products and carts, blocking waits from the test thread (never an event loop), and polling.
 */
final class OrdersFixtures {

  /** Every service a checkout touches, besides orders itself. */
  static final java.util.List<String> BACKENDS = java.util.List.of("payment-provider", "catalog", "cart", "payments");
  static final Duration WAIT = Duration.ofSeconds(60);
  /** Long enough for any saga of these tests: the reply budget is what makes a checkout answer early. */
  static final Duration CHECKOUT_DEADLINE = Duration.ofSeconds(40);

  private OrdersFixtures() {
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() {
    return dev.vertxshop.embedded.LoopbackPorts.reserve();
  }

  /** The provider on fixed free ports (its ports are not readable once bound to 0), payments pointed at it. */
  static Map<String, String> providerVars(int port, int adminPort) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    vars.put("SHOP_PROVIDER_PORT", String.valueOf(port));
    vars.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(adminPort));
    vars.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + port);
    return vars;
  }

  static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new HashMap<>(a);
    out.putAll(b);
    return out;
  }

  /** A pool on one service's schema, for checking what the services wrote. */
  static Pool pool(Vertx vertx, Env env, String schema) {
    return Databases.pool(vertx, DatabaseConfig.from(env), schema);
  }

  static <T> T await(Future<T> future) {
    return await(future, WAIT);
  }

  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no result in " + timeout, e);
    }
  }

  /** The service failure of {@code future}; a success fails the test. */
  static ServiceException awaitFailure(Future<?> future) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return ServiceException.from(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result in " + WAIT, e);
    }
  }

  /**
   * Polls {@code probe} until it returns non-null, failing after {@code timeout}: a wait for a
   * condition that goes on as soon as it holds, not a sleep standing in for an assertion.
   */
  static <T> T eventually(Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    AssertionError last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (AssertionError e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("condition not met in " + timeout + (last == null ? "" : ": " + last.getMessage()), last);
  }

  /** A category of the catalog for this test class (the catalog has no endpoint to create one). */
  static String insertCategory(Pool catalogDb) {
    String id = "o-" + UUID.randomUUID().toString().substring(0, 13);
    await(catalogDb.preparedQuery("INSERT INTO categories (id, name) VALUES ($1, $2)").execute(Tuple.of(id, "Orders tests")));
    return id;
  }

  /** A new product through the catalog's API; returns it. */
  static JsonObject createProduct(CatalogClient catalog, String category, long price, int stock) {
    String sku = "ORD-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase(Locale.ROOT);
    return await(catalog.createProduct(new CreateProduct(
        new ProductFields(sku, "Orders test " + sku, null, category, Money.eur(price), stock)))).toJson();
  }

  /** The product as the catalog has it now. */
  static JsonObject product(CatalogClient catalog, String productId) {
    return await(catalog.getProduct(new GetProduct(UUID.fromString(productId)))).toJson();
  }

  static int stockOf(CatalogClient catalog, String productId) {
    return await(catalog.getProduct(new GetProduct(UUID.fromString(productId)))).stock();
  }

  /** Moves a product's stock by {@code delta} through the catalog's API, as an operator does. */
  static void adjustStock(CatalogClient catalog, String productId, int delta, String reason) {
    await(catalog.adjustStock(new AdjustStock(UUID.fromString(productId), delta, reason, null)));
  }

  /** Sets a product's stock through the catalog's API, keeping its other fields, at the version it is at now. */
  static JsonObject setStock(CatalogClient catalog, JsonObject product, int stock) {
    long version = product(catalog, product.getString("id")).getLong("version");
    JsonObject fields = new JsonObject()
        .put("sku", product.getString("sku"))
        .put("name", product.getString("name"))
        .put("description", product.getString("description"))
        .put("category", product.getString("category"))
        .put("price", product.getJsonObject("price"))
        .put("stock", stock);
    return await(catalog.updateProduct(UpdateProduct.fromJson(
        new JsonObject().put("id", product.getString("id")).put("product", fields).put("version", version)))).toJson();
  }

  /** A new user id with {@code quantity} units of {@code productId} in their cart. */
  static String userWithCart(CartClient cart, String productId, int quantity) {
    String userId = UUID.randomUUID().toString();
    await(addItem(cart, userId, productId, quantity));
    return userId;
  }

  /** Adds {@code quantity} units of {@code productId} to the cart of {@code userId} (no idempotency key). */
  static Future<Cart> addItem(CartClient cart, String userId, String productId, int quantity) {
    return cart.addItem(new AddItem(UUID.fromString(userId), UUID.fromString(productId), quantity));
  }

  /** The cart of {@code userId}, priced now. */
  static Cart cartOf(CartClient cart, String userId) {
    return await(cart.get(new GetCart(UUID.fromString(userId))));
  }

  static JsonObject checkout(OrdersClient orders, String userId, String key) {
    return await(orders.checkout(userId, key, CHECKOUT_DEADLINE));
  }

  /** The order once its saga ended (polling orders.get), whatever the checkout replied. */
  static JsonObject settled(OrdersClient orders, String userId, String orderId) {
    return eventually(WAIT, () -> {
      JsonObject order = await(orders.get(userId, orderId));
      return OrdersContract.PENDING.equals(order.getString("status")) ? null : order;
    });
  }

  /** Orders and idempotency keys in the whole schema: a rejected checkout must change neither. */
  record Counts(long orders, long keys, long sagas) {
  }

  static Counts counts(Pool ordersDb) {
    Row row = await(ordersDb.query(
        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM idempotency_keys), (SELECT count(*) FROM sagas)")
        .execute()).iterator().next();
    return new Counts(row.getLong(0), row.getLong(1), row.getLong(2));
  }

  /** Orders of one user in the database (all of them, whatever their status). */
  static long ordersOf(Pool ordersDb, String userId) {
    return await(ordersDb.preparedQuery("SELECT count(*) FROM orders WHERE user_id = $1")
        .execute(Tuple.of(UUID.fromString(userId)))).iterator().next().getLong(0);
  }
}
