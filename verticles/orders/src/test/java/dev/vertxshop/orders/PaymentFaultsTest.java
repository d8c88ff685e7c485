package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.checkout;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.settled;
import static dev.vertxshop.orders.OrdersFixtures.stockOf;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("checkout when the payment provider declines, is slow or is down: cancelled, stock back, no capture left")
class PaymentFaultsTest {

  private static ShopNode node;
  private static Pool catalogDb;
  private static ProviderAdmin provider;
  private static OrdersClient orders;
  private static CartClient cart;
  private static CatalogClient catalog;
  private static InvariantChecker checker;
  private Baseline baseline;
  private static String category;

  @BeforeAll
  static void start() {
    int port = OrdersFixtures.freePort();
    int adminPort = OrdersFixtures.freePort();
    Env env = ShopTestEnv.shared(OrdersFixtures.merged(OrdersFixtures.providerVars(port, adminPort), Map.of(
        // Payments gives up on a silent provider after 2 x 600 ms (plus a short pause).
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", "600ms",
        "SHOP_PAYMENTS_RETRIES", "1",
        "SHOP_PAYMENTS_RETRY_BACKOFF", "50ms",
        // The breaker has its own class (PaymentBreakerTest); here every fault must reach the provider.
        "SHOP_PAYMENTS_BREAKER_MAX_FAILURES", "1000",
        // A saga whose compensation waits for the provider retries quickly once it is healed.
        "SHOP_ORDERS_RETRY_LATER", "300ms",
        "SHOP_ORDERS_REPLY_BUDGET", "4s",
        // A cancel that found no capture looks again soon and for a while (captureAfterLookup).
        "SHOP_PAYMENTS_REFUND_SWEEP_INTERVAL", "200ms",
        "SHOP_PAYMENTS_REFUND_BACKOFF", "500ms",
        "SHOP_PAYMENTS_REFUND_BACKOFF_MAX", "2s",
        "SHOP_PAYMENTS_CANCEL_RECHECKS", "20")));
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

  /** Whatever a fault did, once healed and quiet every order is decided and every invariant holds. */
  @AfterEach
  void healAndCheckInvariants() {
    provider.heal();
    // Taken by each test once its products and carts exist, so that their stock is compared too.
    assertThat(baseline).as("the test took a baseline").isNotNull();
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(30)));
    InvariantReport report = await(checker.check(baseline));
    assertThat(report.violations()).as(report.toString()).isEmpty();
    assertThat(report.orders(OrdersContract.PENDING)).isZero();
    baseline = null;
  }

  @AfterAll
  static void stop() {
    try {
      if (checker != null) {
        await(checker.close());
      }
    } finally {
      if (provider != null) {
        provider.close();
      }
      if (catalogDb != null) {
        await(catalogDb.close());
      }
      if (node != null) {
        await(node.stop());
      }
    }
  }

  @Test
  @DisplayName("a declined charge cancels PAYMENT_DECLINED; the stock comes back and nothing is captured")
  void declined() {
    JsonObject product = createProduct(catalog, category, 4_200, 6);
    String userId = userWithCart(cart, product.getString("id"), 2);
    long netBefore = provider.stats().getLong("netCapturedAmount");
    baseline = await(checker.baseline());
    provider.faults(new JsonObject().put("declineRate", 1.0));

    JsonObject order = checkout(orders, userId, "declined-" + UUID.randomUUID());

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo("PAYMENT_DECLINED");
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(6);
    List<JsonObject> charges = provider.charges(order.getString("id"));
    assertThat(charges).extracting(c -> c.getString("status")).containsExactly("declined");
    assertThat(provider.stats().getLong("netCapturedAmount")).isEqualTo(netBefore);
    assertThat(OrdersFixtures.cartOf(cart, userId).lines()).as("a cancelled checkout keeps the cart").hasSize(1);
  }

  @Test
  @DisplayName("a provider slower than payments' deadline cancels PAYMENT_TIMEOUT; the capture it made is refunded")
  void providerTooSlow() {
    JsonObject product = createProduct(catalog, category, 1_500, 4);
    String userId = userWithCart(cart, product.getString("id"), 1);
    long netBefore = provider.stats().getLong("netCapturedAmount");
    baseline = await(checker.baseline());
    // The stand-in records a charge when it arrives and only delays the answer: a capture payments never hears of.
    provider.faults(new JsonObject().put("latencyMs", 1_500));

    JsonObject reply = checkout(orders, userId, "slow-" + UUID.randomUUID());
    // The refund needs the provider too: heal it so that compensation can finish.
    provider.heal();
    JsonObject order = settled(orders, userId, reply.getString("id"));

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo("PAYMENT_TIMEOUT");
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(4);
    assertThat(provider.charges(order.getString("id"))).as("the charge happened at the provider").isNotEmpty();
    assertThat(provider.keptCaptures(order.getString("id"))).isZero();
    assertThat(provider.stats().getLong("netCapturedAmount")).isEqualTo(netBefore);
  }

  @Test
  @DisplayName("capture after lookup: the provider processes the timed-out charge only after the cancel looked and found nothing; the late capture is refunded")
  void captureAfterLookup() {
    JsonObject product = createProduct(catalog, category, 1_700, 4);
    String userId = userWithCart(cart, product.getString("id"), 1);
    long netBefore = provider.stats().getLong("netCapturedAmount");
    baseline = await(checker.baseline());
    // Unlike providerTooSlow, the charge is not recorded on arrival: it sits 5 s in the provider's queue,
    // well past payments' 2 x 600 ms, so the saga's cancel asks the provider before the capture exists.
    provider.faults(new JsonObject().put("processingDelayMs", 5_000));

    JsonObject reply = checkout(orders, userId, "queued-" + UUID.randomUUID());
    JsonObject order = settled(orders, userId, reply.getString("id"));
    String orderId = order.getString("id");
    int chargesWhenCancelled = provider.charges(orderId).size();
    provider.heal();
    // The queued request is processed after the order was cancelled: payments' recheck must find and refund it.
    List<JsonObject> charges = OrdersFixtures.eventually(Duration.ofSeconds(40), () -> {
      // One snapshot decides: asking twice races the refund (seen charged-not-refunded, then none kept).
      List<JsonObject> now = provider.charges(orderId);
      return !now.isEmpty() && ProviderAdmin.kept(now) == 0 ? now : null;
    });

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo("PAYMENT_TIMEOUT");
    assertThat(chargesWhenCancelled).as("the order was cancelled before the provider recorded the capture").isZero();
    assertThat(charges).extracting(c -> c.getString("status")).containsExactly("captured");
    assertThat(charges.get(0).getBoolean("refunded")).isTrue();
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(4);
    assertThat(provider.stats().getLong("netCapturedAmount")).isEqualTo(netBefore);
  }

  @Test
  @DisplayName("a provider that is down cancels PAYMENT_UNAVAILABLE; stock back, no capture")
  void providerDown() {
    JsonObject product = createProduct(catalog, category, 2_500, 3);
    String userId = userWithCart(cart, product.getString("id"), 3);
    long netBefore = provider.stats().getLong("netCapturedAmount");
    baseline = await(checker.baseline());
    provider.faults(new JsonObject().put("outage", true));

    JsonObject reply = checkout(orders, userId, "down-" + UUID.randomUUID());
    provider.heal();
    JsonObject order = settled(orders, userId, reply.getString("id"));

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo("PAYMENT_UNAVAILABLE");
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(3);
    assertThat(provider.keptCaptures(order.getString("id"))).isZero();
    assertThat(provider.stats().getLong("netCapturedAmount")).isEqualTo(netBefore);
  }

  @Test
  @DisplayName("once the provider is healthy again, checkouts confirm")
  void recovers() {
    provider.faults(new JsonObject().put("outage", true));
    provider.heal();
    JsonObject product = createProduct(catalog, category, 800, 2);
    String userId = userWithCart(cart, product.getString("id"), 1);
    baseline = await(checker.baseline());

    JsonObject order = checkout(orders, userId, "healed-" + UUID.randomUUID());

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(provider.keptCaptures(order.getString("id"))).isEqualTo(1);
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(1);
  }
}
