package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.checkout;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.eventually;
import static dev.vertxshop.orders.OrdersFixtures.userWithCart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("idempotency keys are pruned after their retention: old keys of decided orders go, recent ones and running orders' stay")
class IdempotencyRetentionTest {

  private static ShopNode node;
  private static Pool ordersDb;
  private static OrdersClient orders;
  private static CartClient cart;
  private static CatalogClient catalog;
  private static String category;

  @BeforeAll
  static void start() {
    // The default retention (7 days); keys are aged by the test. Only the pruning runs often.
    Env env = ShopTestEnv.shared(Map.of(
        "SHOP_ORDERS_IDEMPOTENCY_PRUNE_INTERVAL", "200ms",
        "SHOP_ORDERS_REPLY_BUDGET", "20s"));
    // Out-of-stock checkouts never reach payments: catalog, cart and orders are all it takes.
    node = await(ShopNode.start(env, ShopMain.select(List.of("catalog", "cart", OrdersService.NAME)), false));
    ordersDb = OrdersFixtures.pool(node.vertx(), env, "orders");
    Pool catalogDb = OrdersFixtures.pool(node.vertx(), env, "catalog");
    category = OrdersFixtures.insertCategory(catalogDb);
    await(catalogDb.close());
    orders = new OrdersClient(node.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(node.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(node.vertx(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (ordersDb != null) {
      await(ordersDb.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("a key older than the retention goes and then names no order (a new checkout), a recent one stays, a running order's old key stays")
  void oldKeysGo() {
    JsonObject soldOut = createProduct(catalog, category, 450, 0);
    String userId = userWithCart(cart, soldOut.getString("id"), 1);
    String oldKey = "old-" + UUID.randomUUID();
    String recentKey = "recent-" + UUID.randomUUID();
    JsonObject old = checkout(orders, userId, oldKey);
    JsonObject recent = checkout(orders, userId, recentKey);
    assertThat(old.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(recent.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    UUID running = plantRunningOrder(soldOut.getString("id"));
    try {
      double prunedBefore = metric("shop_orders_idempotency_keys_pruned_total");
      age(userId, oldKey, Duration.ofDays(8));
      age(running.toString(), "running", Duration.ofDays(8));

      eventually(Duration.ofSeconds(20), () -> keyExists(userId, oldKey) ? null : true);

      assertThat(keyExists(userId, recentKey)).as("a key younger than the retention").isTrue();
      assertThat(keyExists(running.toString(), "running")).as("the key of an order still running").isTrue();
      assertThat(metric("shop_orders_idempotency_keys_pruned_total")).isGreaterThan(prunedBefore);
      assertThat(await(orders.get(userId, old.getString("id")))).as("the order itself is kept").isEqualTo(old);
      JsonObject again = checkout(orders, userId, oldKey);
      assertThat(again.getString("id")).as("a pruned key is a new checkout").isNotEqualTo(old.getString("id"));
      assertThat(checkout(orders, userId, recentKey)).isEqualTo(recent);
    } finally {
      await(ordersDb.preparedQuery("DELETE FROM orders WHERE id = $1").execute(Tuple.of(running)));
    }
  }

  /** A PENDING order whose saga another live replica holds for the next ten minutes, with key "running". */
  private static UUID plantRunningOrder(String productId) {
    UUID orderId = UUID.randomUUID();
    // The user id is the order id: a unique user, and the test can name its key.
    await(ordersDb.withTransaction(tx -> tx.preparedQuery(
            "INSERT INTO orders (id, user_id, status, total_minor, currency) VALUES ($1, $1, 'PENDING', 450, 'EUR')")
        .execute(Tuple.of(orderId))
        .compose(v -> tx.preparedQuery("INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor) "
            + "VALUES ($1, 1, $2, 'Planted', 1, 450)").execute(Tuple.of(orderId, UUID.fromString(productId))))
        .compose(v -> tx.preparedQuery("INSERT INTO idempotency_keys (user_id, idem_key, order_id) VALUES ($1, 'running', $1)")
            .execute(Tuple.of(orderId)))
        .compose(v -> tx.preparedQuery("INSERT INTO sagas (order_id, state, owner, lease_until) "
            + "VALUES ($1, 'RESERVING', 'live-replica', now() + interval '10 minutes')").execute(Tuple.of(orderId)))));
    return orderId;
  }

  private static void age(String userId, String key, Duration by) {
    long updated = await(ordersDb.preparedQuery(
            "UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $3) WHERE user_id = $1 AND idem_key = $2")
        .execute(Tuple.of(UUID.fromString(userId), key, (double) by.toSeconds()))).rowCount();
    assertThat(updated).isEqualTo(1);
  }

  private static boolean keyExists(String userId, String key) {
    return await(ordersDb.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2")
        .execute(Tuple.of(UUID.fromString(userId), key))).iterator().next().getLong(0) == 1;
  }

  private static double metric(String name) {
    WebClient web = WebClient.create(node.vertx());
    try {
      String scrape = await(web.get(node.opsPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
      for (String line : scrape.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return 0;
    } finally {
      web.close();
    }
  }
}
