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
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import dev.vertxshop.audit.InvariantReport;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("checkout under repeated provider failures: payments' breaker opens, checkouts cancel without calling the provider, then it closes")
class PaymentBreakerTest {

  /** Checkouts tried at most while waiting for the breaker to open: bounded, far above the threshold. */
  private static final int MAX_TRIES = 12;

  private static ShopNode node;
  private static Pool catalogDb;
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
    Env env = ShopTestEnv.shared(OrdersFixtures.merged(OrdersFixtures.providerVars(port, adminPort), Map.of(
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", "1s",
        // One provider request per charge attempt: the request count tells exactly when payments stops calling.
        "SHOP_PAYMENTS_RETRIES", "0",
        "SHOP_PAYMENTS_BREAKER_MAX_FAILURES", "3",
        // Long enough that no half-open trial (a retried payment cancel, say) falls in the open phase below.
        "SHOP_PAYMENTS_BREAKER_RESET_TIMEOUT", "3s",
        "SHOP_ORDERS_RETRY_LATER", "300ms",
        // Failing checkouts wait for their payment cancel, which needs the provider: they answer PENDING.
        "SHOP_ORDERS_REPLY_BUDGET", "2s")));
    List<String> services = new ArrayList<>(OrdersFixtures.BACKENDS);
    services.add(OrdersService.NAME);
    node = await(ShopNode.start(env, ShopMain.select(services), false));
    catalogDb = OrdersFixtures.pool(node.vertx(), env, "catalog");
    provider = new ProviderAdmin(node.vertx(), adminPort);
    orders = new OrdersClient(node.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(node.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(node.vertx(), Duration.ofSeconds(10));
    category = OrdersFixtures.insertCategory(catalogDb);
    checker = new InvariantChecker(node.vertx(), catalogDb, provider.url());
  }

  @AfterAll
  static void stop() {
    try {
      if (provider != null) {
        provider.heal();
        provider.close();
      }
      if (checker != null) {
        await(checker.close());
      }
      if (catalogDb != null) {
        await(catalogDb.close());
      }
    } finally {
      if (node != null) {
        await(node.stop());
      }
    }
  }

  @Test
  @DisplayName("failures open the breaker (no more provider requests), recovery closes it (a checkout confirms), invariants hold")
  void opensAndCloses() {
    JsonObject product = createProduct(catalog, category, 1_000, 100);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < MAX_TRIES + 4; i++) {
      users.add(userWithCart(cart, product.getString("id"), 1));
    }
    Baseline baseline = await(checker.baseline());
    provider.faults(new JsonObject().put("failureRate", 1.0));

    // Until the breaker opens, each checkout reaches the provider (and fails); then one does not.
    int tries = 0;
    boolean open = false;
    while (!open && tries < MAX_TRIES) {
      long before = provider.stats().getLong("requests");
      checkout(orders, users.get(tries), "failing-" + UUID.randomUUID());
      open = provider.stats().getLong("requests") == before;
      tries++;
    }
    assertThat(open).as("the breaker opened within " + MAX_TRIES + " failing checkouts").isTrue();

    // While open: checkouts are cancelled PAYMENT_UNAVAILABLE and the provider sees no request at all.
    long requestsWhileOpen = provider.stats().getLong("requests");
    List<JsonObject> rejected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rejected.add(checkout(orders, users.get(tries + i), "open-" + UUID.randomUUID()));
    }
    assertThat(rejected).allSatisfy(order -> {
      assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
      assertThat(order.getString("cancelReason")).isEqualTo("PAYMENT_UNAVAILABLE");
    });
    assertThat(provider.stats().getLong("requests")).isEqualTo(requestsWhileOpen);

    // Recovery: after the reset timeout a trial call goes through and the breaker closes.
    provider.heal();
    JsonObject confirmed = eventually(Duration.ofSeconds(20), () -> {
      String userId = userWithCart(cart, product.getString("id"), 1);
      JsonObject order = checkout(orders, userId, "healed-" + UUID.randomUUID());
      return OrdersContract.CONFIRMED.equals(order.getString("status")) ? order : null;
    });
    assertThat(provider.keptCaptures(confirmed.getString("id"))).isEqualTo(1);
    assertThat(provider.stats().getLong("requests")).isGreaterThan(requestsWhileOpen);

    // Sagas whose payment cancel had to wait for the provider finish now; nothing is left captured or held.
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(30)));
    InvariantReport report = await(checker.check(baseline));
    System.out.println("breaker run: " + report);
    assertThat(report.violations()).as(report.toString()).isEmpty();
    assertThat(report.orders(OrdersContract.CONFIRMED)).isGreaterThanOrEqualTo(1);
    assertThat(report.orders(OrdersContract.CANCELLED)).isGreaterThanOrEqualTo(tries + 3L);
  }
}
