package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.checkout;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.eventually;
import static dev.vertxshop.orders.OrdersFixtures.settled;
import static dev.vertxshop.orders.OrdersFixtures.stockOf;
import static dev.vertxshop.orders.OrdersFixtures.userWithCart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sagas whose step keeps failing, against the real catalog and cart, with a probe at the payments
 * addresses that answers what a stuck payments service would (an internal error on every cancel, for
 * instance "no record of charge" after a provider restart): each saga ends CANCELLED or NEEDS_ATTENTION
 * within its limits, never PENDING without end, and operators see it (admin list, gauge).
 */
@DisplayName("saga limits: runs per step and age, then CANCELLED with compensations or NEEDS_ATTENTION, never PENDING forever")
class SagaLimitsTest {

  private static final int STEP_RUNS = 3;
  private static final int STEP_ATTEMPTS = 2;
  private static final Duration ATTENTION_RETRY = Duration.ofSeconds(3);
  private static final String NO_RECORD = "the payment provider has no record of charge ch_probe; the payment is left as it is";

  private static ShopNode node;
  private static Pool ordersDb;
  private static Pool catalogDb;
  private static PaymentsProbe payments;
  private static OrdersClient orders;
  private static CartClient cart;
  private static CatalogClient catalog;
  private static WebClient web;
  private static String category;

  @BeforeAll
  static void start() {
    Env env = ShopTestEnv.shared(Map.ofEntries(
        Map.entry("SHOP_ORDERS_REPLY_BUDGET", "1s"),
        Map.entry("SHOP_ORDERS_STEP_RUNS", String.valueOf(STEP_RUNS)),
        Map.entry("SHOP_ORDERS_STEP_ATTEMPTS", String.valueOf(STEP_ATTEMPTS)),
        Map.entry("SHOP_ORDERS_STEP_BACKOFF", "20ms"),
        Map.entry("SHOP_ORDERS_RETRY_LATER", "200ms"),
        Map.entry("SHOP_ORDERS_SWEEP_INTERVAL", "100ms"),
        Map.entry("SHOP_ORDERS_SAGA_LEASE", "2s"),
        Map.entry("SHOP_ORDERS_ATTENTION_RETRY", ATTENTION_RETRY.toMillis() + "ms"),
        Map.entry("SHOP_ORDERS_ATTENTION_SAMPLE", "100ms")));
    node = await(ShopNode.start(env, ShopMain.select(List.of("catalog", "cart", OrdersService.NAME)), false));
    payments = new PaymentsProbe();
    await(payments.start(node.vertx()));
    ordersDb = OrdersFixtures.pool(node.vertx(), env, "orders");
    catalogDb = OrdersFixtures.pool(node.vertx(), env, "catalog");
    orders = new OrdersClient(node.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(node.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(node.vertx(), Duration.ofSeconds(10));
    web = WebClient.create(node.vertx());
    category = OrdersFixtures.insertCategory(catalogDb);
  }

  @AfterEach
  void heal() {
    payments.onCharge(PaymentsProbe.declined());
    payments.onCancel(PaymentsProbe.nothingCaptured());
  }

  @AfterAll
  static void stop() {
    if (web != null) {
      web.close();
    }
    if (ordersDb != null) {
      await(ordersDb.close());
      await(catalogDb.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("a payment cancel that keeps failing INTERNAL: NEEDS_ATTENTION after its runs (listed, gauge, PENDING to its owner), then CANCELLED once payments answers")
  void stuckCompensationNeedsAttention() {
    JsonObject product = createProduct(catalog, category, 1_500, 5);
    String userId = userWithCart(cart, product.getString("id"), 1);
    String key = "stuck-" + UUID.randomUUID();
    payments.onCharge(PaymentsProbe.failing(ErrorCode.UNAVAILABLE, "probe: the provider is down"));
    payments.onCancel(PaymentsProbe.failing(ErrorCode.INTERNAL, NO_RECORD));

    long started = System.nanoTime();
    JsonObject reply = checkout(orders, userId, key);
    String orderId = reply.getString("id");
    assertThat(reply.getString("status")).isEqualTo(OrdersContract.PENDING);

    JsonObject listed = eventually(Duration.ofSeconds(30), () -> listed(OrdersContract.NEEDS_ATTENTION, orderId));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    int cancels = payments.cancels(orderId);
    System.out.printf("stuck compensation: NEEDS_ATTENTION after %d ms and %d payment cancels%n", tookMs, cancels);
    assertThat(listed.getString("status")).isEqualTo(OrdersContract.NEEDS_ATTENTION);
    JsonObject saga = listed.getJsonObject("saga");
    assertThat(saga.getString("state")).isEqualTo("COMPENSATING");
    assertThat(saga.getInteger("stepRuns")).isEqualTo(STEP_RUNS);
    assertThat(saga.getString("lastError")).contains("no record of charge").contains("SHOP_ORDERS_STEP_RUNS");
    assertThat(saga.getString("attentionSince")).isNotBlank();
    assertThat(cancels).as("%d runs of %d attempts, and at most one slow retry since", STEP_RUNS, STEP_ATTEMPTS)
        .isBetween(STEP_RUNS * STEP_ATTEMPTS, (STEP_RUNS + 1) * STEP_ATTEMPTS);
    assertThat(stockOf(catalog, product.getString("id"))).as("the release went through before the cancel").isEqualTo(5);

    assertThat(await(orders.get(userId, orderId)).getString("status")).as("its owner sees it undecided").isEqualTo(OrdersContract.PENDING);
    assertThat(await(orders.list(userId, 1, 10)).getJsonArray("items").getJsonObject(0).getString("status"))
        .isEqualTo(OrdersContract.PENDING);
    JsonObject retried = checkout(orders, userId, key);
    assertThat(retried.getString("id")).isEqualTo(orderId);
    assertThat(retried.getString("status")).isEqualTo(OrdersContract.PENDING);
    ServiceException another = OrdersFixtures.awaitFailure(orders.checkout(userId, "another-" + key, OrdersFixtures.CHECKOUT_DEADLINE));
    assertThat(OrdersContract.unsettledOrderId(another)).as("the cart stays in its unsettled order").contains(orderId);

    assertThat(eventually(Duration.ofSeconds(10), () -> metric("shop_orders_sagas_needing_attention") >= 1 ? true : null)).isTrue();
    assertThat(metric("shop_orders_saga_attention_total", "step=\"COMPENSATING\"")).isGreaterThanOrEqualTo(1);

    payments.onCancel(PaymentsProbe.nothingCaptured());
    JsonObject order = settled(orders, userId, orderId);
    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo(OrdersContract.CANCEL_PAYMENT_UNAVAILABLE);
    assertThat(eventually(Duration.ofSeconds(10), () -> metric("shop_orders_sagas_needing_attention") == 0 ? true : null)).isTrue();
    assertThat(listed(OrdersContract.NEEDS_ATTENTION, orderId)).isNull();
    JsonObject history = listed(OrdersContract.CANCELLED, orderId);
    assertThat(history.getJsonObject("saga").getString("attentionSince")).as("kept as the record").isNotBlank();
  }

  @Test
  @DisplayName("a charge resumed past the saga's age is not sent: CANCELLED CHECKOUT_EXPIRED, stock released, payment cancelled")
  void tooOldToCharge() {
    JsonObject product = createProduct(catalog, category, 800, 4);
    Planted old = plant(product.getString("id"), "CHARGING", true, 1, null, Duration.ofHours(1));

    JsonObject order = settled(orders, old.userId(), old.orderId());

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo(OrdersContract.CANCEL_CHECKOUT_EXPIRED);
    assertThat(order.getString("cancelMessage")).contains("SHOP_ORDERS_SAGA_MAX_AGE");
    assertThat(payments.charges(old.orderId())).as("no charge past the age limit").isZero();
    assertThat(payments.cancels(old.orderId())).as("whatever an earlier charge did is cancelled").isGreaterThanOrEqualTo(1);
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(4);
  }

  @Test
  @DisplayName("a reserve claimed more often than its runs allow (runs that crashed) is not run again: CANCELLED CHECKOUT_EXPIRED")
  void reserveRunsExhausted() {
    JsonObject product = createProduct(catalog, category, 700, 4);
    Planted looping = plant(product.getString("id"), "RESERVING", false, STEP_RUNS, null, Duration.ZERO);

    JsonObject order = settled(orders, looping.userId(), looping.orderId());

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo(OrdersContract.CANCEL_CHECKOUT_EXPIRED);
    assertThat(order.getString("cancelMessage")).contains("RESERVING ran " + (STEP_RUNS + 1) + " times");
    assertThat(payments.charges(looping.orderId())).isZero();
    assertThat(payments.cancels(looping.orderId())).as("never charged: nothing to cancel").isZero();
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(4);
  }

  @Test
  @DisplayName("a compensation claimed more often than its runs allow goes to NEEDS_ATTENTION without running, and is settled by a slow retry")
  void compensationRunsExhausted() {
    JsonObject product = createProduct(catalog, category, 600, 4);
    payments.onCancel(PaymentsProbe.failing(ErrorCode.INTERNAL, NO_RECORD));
    Planted looping = plant(product.getString("id"), "COMPENSATING", true, STEP_RUNS, "PAYMENT_TIMEOUT", Duration.ZERO);

    JsonObject listed = eventually(Duration.ofSeconds(20), () -> listed(OrdersContract.NEEDS_ATTENTION, looping.orderId()));
    assertThat(listed.getJsonObject("saga").getInteger("stepRuns")).isGreaterThan(STEP_RUNS);
    assertThat(await(orders.get(looping.userId(), looping.orderId())).getString("status")).isEqualTo(OrdersContract.PENDING);

    payments.onCancel(PaymentsProbe.nothingCaptured());
    JsonObject order = settled(orders, looping.userId(), looping.orderId());
    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo("PAYMENT_TIMEOUT");
  }

  @Test
  @DisplayName("the admin list refuses an unknown status and unknown fields")
  void adminListValidation() {
    assertThat(OrdersFixtures.awaitFailure(orders.adminList("LOST", 1, 10)).getMessage()).contains("status");
    assertThat(OrdersFixtures.awaitFailure(dev.vertxshop.platform.bus.Bus.request(node.vertx(), OrdersContract.ADMIN_LIST.address(),
        new JsonObject().put("status", "PENDING").put("userId", UUID.randomUUID().toString()), Duration.ofSeconds(5)))
        .code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  /** The order {@code orderId} in the admin list of {@code status} (first pages), or null. */
  private static JsonObject listed(String status, String orderId) {
    for (int page = 1; page <= 5; page++) {
      JsonObject result = await(orders.adminList(status, page, 100));
      for (Object item : result.getJsonArray("items")) {
        JsonObject order = (JsonObject) item;
        if (orderId.equals(order.getString("id"))) {
          return order;
        }
      }
      if (result.getJsonArray("items").size() < 100) {
        return null;
      }
    }
    return null;
  }

  private static double metric(String name, String... labels) {
    String scrape = await(web.get(node.opsPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        boolean all = true;
        for (String label : labels) {
          all &= line.contains(label);
        }
        if (all) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return Double.NaN;
  }

  /** An order and its saga as a replica that vanished left them: PENDING, at {@code state}, lease expired. */
  private record Planted(String orderId, String userId) {
  }

  private static Planted plant(String productId, String state, boolean chargeAttempted, int stepRuns, String cancelReason,
      Duration age) {
    UUID orderId = UUID.randomUUID();
    UUID userId = UUID.randomUUID();
    double ageSeconds = age.toMillis() / 1000.0;
    await(ordersDb.withTransaction(tx -> tx.preparedQuery(
            "INSERT INTO orders (id, user_id, status, total_minor, currency, created_at, updated_at) "
                + "VALUES ($1, $2, 'PENDING', 1000, 'EUR', now() - make_interval(secs => $3), now())")
        .execute(Tuple.of(orderId, userId, ageSeconds))
        .compose(v -> tx.preparedQuery("INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor) "
            + "VALUES ($1, 1, $2, 'Planted', 1, 1000)").execute(Tuple.of(orderId, UUID.fromString(productId))))
        .compose(v -> tx.preparedQuery("INSERT INTO sagas (order_id, state, charge_attempted, cancel_reason, cancel_message, "
                + "step_runs, owner, lease_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'gone-replica', now() - interval '1 second', "
                + "now() - make_interval(secs => $7))")
            .execute(Tuple.of(orderId, state, chargeAttempted, cancelReason, cancelReason == null ? null : "planted",
                stepRuns, ageSeconds)))));
    return new Planted(orderId.toString(), userId.toString());
  }
}
