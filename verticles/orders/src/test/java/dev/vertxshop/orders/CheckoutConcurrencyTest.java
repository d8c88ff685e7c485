package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.stockOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import dev.vertxshop.audit.InvariantReport;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("200 checkouts racing for 60 units: no oversell, nothing left pending, every invariant holds")
class CheckoutConcurrencyTest {

  private static final int USERS = 200;
  private static final int STOCK = 60;

  private static ShopNode node;
  private static Pool catalogDb;
  private static Pool ordersDb;
  private static ProviderAdmin provider;
  private static OrdersClient orders;
  private static CartClient cart;
  private static CatalogClient catalog;
  private static InvariantChecker checker;
  private static String category;

  @BeforeAll
  static void start() {
    int port = OrdersFixtures.freePort();
    int adminPort = OrdersFixtures.freePort();
    Env env = ShopTestEnv.shared(OrdersFixtures.providerVars(port, adminPort));
    List<String> services = new ArrayList<>(OrdersFixtures.BACKENDS);
    services.add(OrdersService.NAME);
    node = await(ShopNode.start(env, ShopMain.select(services), false));
    catalogDb = OrdersFixtures.pool(node.vertx(), env, "catalog");
    ordersDb = OrdersFixtures.pool(node.vertx(), env, "orders");
    provider = new ProviderAdmin(node.vertx(), adminPort);
    orders = new OrdersClient(node.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(node.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(node.vertx(), Duration.ofSeconds(10));
    checker = new InvariantChecker(node.vertx(), catalogDb, provider.url());
    category = OrdersFixtures.insertCategory(catalogDb);
  }

  @AfterAll
  static void stop() {
    try {
      if (checker != null) {
        await(checker.close());
      }
      if (provider != null) {
        provider.close();
      }
      if (catalogDb != null) {
        await(catalogDb.close());
        await(ordersDb.close());
      }
    } finally {
      if (node != null) {
        await(node.stop());
      }
    }
  }

  @Test
  @DisplayName("every order ends CONFIRMED or CANCELLED, units sold = stock taken <= 60, captures = confirmed totals")
  void scarceStock() {
    JsonObject product = createProduct(catalog, category, 1_999, STOCK);
    String productId = product.getString("id");
    List<String> users = new ArrayList<>();
    List<Future<?>> filled = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      String userId = UUID.randomUUID().toString();
      users.add(userId);
      filled.add(OrdersFixtures.addItem(cart, userId, productId, 1 + i % 2));
    }
    await(Future.all(filled));
    Baseline baseline = await(checker.baseline());

    long start = System.nanoTime();
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (String userId : users) {
      replies.add(orders.checkout(userId, "race", OrdersFixtures.CHECKOUT_DEADLINE));
    }
    await(Future.join(replies), Duration.ofSeconds(90));
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(90)));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    InvariantReport report = await(checker.check(baseline));
    Map<String, Long> outcomes = outcomes(productId);
    long unitsSold = unitsConfirmed(productId);
    int stockLeft = stockOf(catalog, productId);
    System.out.printf("%d checkouts for %d units in %d ms: %s; units sold %d, stock left %d; replies failed: %d%n",
        USERS, STOCK, tookMs, outcomes, unitsSold, stockLeft, replies.stream().filter(Future::failed).count());

    assertThat(report.violations()).as(report.toString()).isEmpty();
    assertThat(report.orders(OrdersContract.CONFIRMED) + report.orders(OrdersContract.CANCELLED)).isEqualTo(USERS);
    assertThat(report.orders(OrdersContract.PENDING)).isZero();
    assertThat(unitsSold).isLessThanOrEqualTo(STOCK).isEqualTo(STOCK - stockLeft);
    assertThat(stockLeft).isGreaterThanOrEqualTo(0);
    assertThat(report.confirmedTotal()).isEqualTo(unitsSold * 1_999).isEqualTo(report.providerNetCaptured());
    // Demand (300 units) is five times the stock: some sold, and many refused for stock, never oversold.
    assertThat(unitsSold).isPositive();
    assertThat(outcomes).containsKey("CANCELLED/OUT_OF_STOCK");
    assertThat(replies).allSatisfy(reply -> assertThat(reply.succeeded()).as(String.valueOf(reply.cause())).isTrue());
  }

  /** Orders of the product by status and cancel reason. */
  private static Map<String, Long> outcomes(String productId) {
    Map<String, Long> out = new TreeMap<>();
    for (Row row : await(ordersDb.preparedQuery("SELECT o.status, o.cancel_reason, count(*) FROM orders o "
        + "WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.product_id = $1) "
        + "GROUP BY o.status, o.cancel_reason").execute(Tuple.of(UUID.fromString(productId))))) {
      String reason = row.getString(1);
      out.put(row.getString(0) + (reason == null ? "" : "/" + reason), row.getLong(2));
    }
    return out;
  }

  private static long unitsConfirmed(String productId) {
    return await(ordersDb.preparedQuery("SELECT COALESCE(sum(l.quantity), 0)::bigint FROM order_lines l "
        + "JOIN orders o ON o.id = l.order_id WHERE o.status = 'CONFIRMED' AND l.product_id = $1")
        .execute(Tuple.of(UUID.fromString(productId)))).iterator().next().getLong(0);
  }
}
