package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.checkout;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.setStock;
import static dev.vertxshop.orders.OrdersFixtures.userWithCart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import dev.vertxshop.audit.InvariantReport;
import dev.vertxshop.audit.Violation;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * The checker passes on a consistent shop and catches each kind of planted inconsistency (so that a
 * passing check elsewhere means something). Every plant is undone in the same test.
 */
@DisplayName("invariant checker: passes on a consistent run, detects planted violations")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InvariantCheckerTest {

  private static CatalogClient catalog;
  private static Env env;
  private static ShopNode node;
  private static Pool shopDb;
  private static ProviderAdmin provider;
  private static InvariantChecker checker;
  private static Baseline baseline;
  private static JsonObject confirmed;
  private static JsonObject cancelled;
  private static String productId;
  private static int providerPort;

  @BeforeAll
  static void start() {
    int port = OrdersFixtures.freePort();
    int adminPort = OrdersFixtures.freePort();
    providerPort = port;
    env = ShopTestEnv.shared(OrdersFixtures.providerVars(port, adminPort));
    List<String> services = new ArrayList<>(OrdersFixtures.BACKENDS);
    services.add(OrdersService.NAME);
    node = await(ShopNode.start(env, ShopMain.select(services), false));
    shopDb = OrdersFixtures.pool(node.vertx(), env, "orders");
    provider = new ProviderAdmin(node.vertx(), adminPort);
    OrdersClient orders = new OrdersClient(node.vertx(), Duration.ofSeconds(10));
    CartClient cart = new CartClient(node.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(node.vertx(), Duration.ofSeconds(10));
    Pool catalogDb = OrdersFixtures.pool(node.vertx(), env, "catalog");
    String category = OrdersFixtures.insertCategory(catalogDb);
    await(catalogDb.close());
    checker = new InvariantChecker(node.vertx(), shopDb, provider.url());

    JsonObject product = createProduct(catalog, category, 1_234, 4);
    JsonObject scarce = createProduct(catalog, category, 50, 3);
    productId = product.getString("id");
    String buyer = userWithCart(cart, productId, 3);
    String unlucky = userWithCart(cart, scarce.getString("id"), 2);
    setStock(catalog, OrdersFixtures.product(catalog, scarce.getString("id")), 1);
    baseline = await(checker.baseline());
    confirmed = checkout(orders, buyer, "audit");
    cancelled = checkout(orders, unlucky, "audit");
    assertThat(confirmed.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(cancelled.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(30)));
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
      if (shopDb != null) {
        await(shopDb.close());
      }
    } finally {
      if (node != null) {
        await(node.stop());
      }
    }
  }

  @Test
  @DisplayName("a consistent run: no violation, counts by status, confirmed total = what the provider kept")
  void consistentRun() {
    InvariantReport report = await(checker.check(baseline));

    assertThat(report.violations()).as(report.toString()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(report.orders(OrdersContract.CONFIRMED)).isEqualTo(1);
    assertThat(report.orders(OrdersContract.CANCELLED)).isEqualTo(1);
    assertThat(report.confirmedTotal()).isEqualTo(3 * 1_234L);
    assertThat(report.providerNetCaptured()).isEqualTo(3 * 1_234L);
    assertThat(report.providerCaptures()).isEqualTo(1);
    JsonObject json = report.toJson();
    assertThat(json.getBoolean("ok")).isTrue();
    assertThat(json.getJsonObject("orders").getLong("CONFIRMED")).isEqualTo(1L);
  }

  @Test
  @DisplayName("a PENDING order is reported with its id")
  void pendingOrder() {
    UUID fake = UUID.randomUUID();
    await(shopDb.preparedQuery("INSERT INTO orders.orders (id, user_id, status, total_minor, currency) "
        + "VALUES ($1, $2, 'PENDING', 100, 'EUR')").execute(Tuple.of(fake, UUID.randomUUID())));
    try {
      InvariantReport report = await(checker.check(baseline));
      assertThat(report.violations()).contains(new Violation("no-pending-order", fake.toString(), "the order is still PENDING"));
      assertThat(report.orders(OrdersContract.PENDING)).isEqualTo(1);
      assertThat(report.ok()).isFalse();
    } finally {
      await(shopDb.preparedQuery("DELETE FROM orders.orders WHERE id = $1").execute(Tuple.of(fake)));
    }
  }

  @Test
  @DisplayName("a CONFIRMED order whose reservation is RELEASED is reported, as is the stock that no longer adds up")
  void confirmedWithReleasedStock() {
    UUID orderId = UUID.fromString(confirmed.getString("id"));
    await(shopDb.preparedQuery("UPDATE catalog.reservations SET status = 'RELEASED' WHERE order_id = $1").execute(Tuple.of(orderId)));
    try {
      InvariantReport report = await(checker.check(baseline));
      assertThat(report.violations()).extracting(Violation::rule, Violation::orderId)
          .contains(org.assertj.core.groups.Tuple.tuple("confirmed-reservation-committed", orderId.toString()));
      assertThat(report.violations()).extracting(Violation::rule).contains("stock-conserved");
    } finally {
      await(shopDb.preparedQuery("UPDATE catalog.reservations SET status = 'COMMITTED' WHERE order_id = $1").execute(Tuple.of(orderId)));
    }
    assertThat(await(checker.check(baseline)).violations()).isEmpty();
  }

  @Test
  @DisplayName("a CONFIRMED order without a capture breaks the provider total and the one-capture rule")
  void confirmedWithoutCapture() {
    UUID fake = UUID.randomUUID();
    await(shopDb.preparedQuery("INSERT INTO orders.orders (id, user_id, status, total_minor, currency, payment_id) "
        + "VALUES ($1, $2, 'CONFIRMED', 500, 'EUR', 'forged')").execute(Tuple.of(fake, UUID.randomUUID())));
    try {
      InvariantReport report = await(checker.check(baseline));
      assertThat(report.violations()).extracting(Violation::rule, Violation::orderId).contains(
          org.assertj.core.groups.Tuple.tuple("confirmed-one-capture", fake.toString()),
          org.assertj.core.groups.Tuple.tuple("confirmed-payment-captured", fake.toString()),
          org.assertj.core.groups.Tuple.tuple("confirmed-reservation-committed", fake.toString()),
          org.assertj.core.groups.Tuple.tuple("provider-net-captured", null));
    } finally {
      await(shopDb.preparedQuery("DELETE FROM orders.orders WHERE id = $1").execute(Tuple.of(fake)));
    }
  }

  @Test
  @DisplayName("a CANCELLED order whose reservation still holds units is reported twice: not released, and held")
  void cancelledWithHeldStock() {
    UUID fake = UUID.randomUUID();
    await(shopDb.withTransaction(tx -> tx.preparedQuery("INSERT INTO orders.orders (id, user_id, status, total_minor, currency, "
            + "cancel_reason) VALUES ($1, $2, 'CANCELLED', 1234, 'EUR', 'OUT_OF_STOCK')").execute(Tuple.of(fake, UUID.randomUUID()))
        .compose(v -> tx.preparedQuery("INSERT INTO catalog.reservations (order_id, status) VALUES ($1, 'HELD')").execute(Tuple.of(fake)))));
    try {
      InvariantReport report = await(checker.check(baseline));
      assertThat(report.violations()).extracting(Violation::rule, Violation::orderId).contains(
          org.assertj.core.groups.Tuple.tuple("cancelled-stock-released", fake.toString()),
          org.assertj.core.groups.Tuple.tuple("no-held-reservation", fake.toString()));
    } finally {
      await(shopDb.withTransaction(tx -> tx.preparedQuery("DELETE FROM catalog.reservations WHERE order_id = $1").execute(Tuple.of(fake))
          .compose(v -> tx.preparedQuery("DELETE FROM orders.orders WHERE id = $1").execute(Tuple.of(fake)))));
    }
  }

  @Test
  @DisplayName("an admin's stock adjustment since the baseline keeps stock conserved; a ledger that does not sum to the stock is reported")
  void adjustmentsAndLedger() {
    OrdersFixtures.adjustStock(catalog, productId, 2, "audit test delivery");
    try {
      assertThat(await(checker.check(baseline)).violations()).as("an adjustment is an explained move").isEmpty();
      await(shopDb.preparedQuery("UPDATE catalog.stock_movements SET delta = delta + 1 WHERE id = "
          + "(SELECT max(id) FROM catalog.stock_movements WHERE product_id = $1)").execute(Tuple.of(UUID.fromString(productId))));
      try {
        InvariantReport report = await(checker.check(baseline));
        assertThat(report.violations()).extracting(Violation::rule).contains("stock-ledger-balanced");
        assertThat(report.violations()).filteredOn(v -> v.rule().equals("stock-ledger-balanced")).singleElement()
            .satisfies(v -> assertThat(v.detail()).contains(productId));
      } finally {
        await(shopDb.preparedQuery("UPDATE catalog.stock_movements SET delta = delta - 1 WHERE id = "
            + "(SELECT max(id) FROM catalog.stock_movements WHERE product_id = $1)").execute(Tuple.of(UUID.fromString(productId))));
      }
    } finally {
      OrdersFixtures.adjustStock(catalog, productId, -2, "audit test return");
    }
    assertThat(await(checker.check(baseline)).violations()).isEmpty();
  }

  @Test
  // Last: the refunded charge it makes moves the provider's capture count, which consistentRun checks.
  @Order(Integer.MAX_VALUE)
  @DisplayName("a CAPTURED payment without a CONFIRMED order is reported; with its charge refunded at the provider it is not")
  void capturedWithoutConfirmedOrder() {
    UUID stray = UUID.randomUUID();
    UUID refundedStray = UUID.randomUUID();
    UUID cancelledId = UUID.fromString(cancelled.getString("id"));
    String refundedCharge = refundedCharge(refundedStray);
    String insert = "INSERT INTO payments.payments (id, order_id, user_id, amount_minor, currency, status, provider_charge_id, "
        + "attempted) VALUES ($1, $2, $3, 700, 'EUR', 'CAPTURED', $4, true)";
    await(shopDb.withTransaction(tx -> tx.preparedQuery(insert).execute(Tuple.of(UUID.randomUUID(), stray, UUID.randomUUID(), "ch_forged"))
        .compose(v -> tx.preparedQuery(insert).execute(Tuple.of(UUID.randomUUID(), refundedStray, UUID.randomUUID(), refundedCharge)))
        .compose(v -> tx.preparedQuery(insert).execute(Tuple.of(UUID.randomUUID(), cancelledId, UUID.randomUUID(), "ch_forged_too")))));
    try {
      InvariantReport report = await(checker.check(baseline));
      List<Violation> captured = report.violations().stream()
          .filter(v -> v.rule().equals("captured-payment-confirmed-or-refunded")).toList();
      assertThat(captured).extracting(Violation::orderId)
          .containsExactlyInAnyOrder(stray.toString(), cancelledId.toString());
      assertThat(captured).filteredOn(v -> v.orderId().equals(stray.toString())).singleElement()
          .satisfies(v -> assertThat(v.detail()).contains("no such order").contains("ch_forged"));
      assertThat(captured).filteredOn(v -> v.orderId().equals(cancelledId.toString())).singleElement()
          .satisfies(v -> assertThat(v.detail()).contains("the order is CANCELLED"));
    } finally {
      await(shopDb.preparedQuery("DELETE FROM payments.payments WHERE order_id = ANY($1)")
          .execute(Tuple.of(new UUID[] {stray, refundedStray, cancelledId})));
    }
    assertThat(await(checker.check(baseline)).violations()).isEmpty();
  }

  /** A charge made and refunded at the provider for {@code reference}: its id. Net captured 0. */
  private static String refundedCharge(UUID reference) {
    WebClient web = WebClient.create(node.vertx());
    try {
      String key = "audit-" + reference;
      JsonObject charge = await(web.post(providerPort, "127.0.0.1", "/v1/charges").putHeader("Idempotency-Key", key)
          .timeout(10_000).sendJsonObject(new JsonObject().put("amount", 700).put("currency", "EUR")
              .put("reference", reference.toString()))).bodyAsJsonObject();
      String chargeId = charge.getString("id");
      int refunded = await(web.post(providerPort, "127.0.0.1", "/v1/charges/" + chargeId + "/refunds")
          .putHeader("Idempotency-Key", "refund-" + key).timeout(10_000).send()).statusCode();
      assertThat(refunded).isEqualTo(201);
      return chargeId;
    } finally {
      web.close();
    }
  }

  @Test
  @DisplayName("stock changed behind the reservations' back breaks conservation for that product")
  void stockNotConserved() {
    UUID product = UUID.fromString(productId);
    await(shopDb.preparedQuery("UPDATE catalog.products SET stock = stock - 1 WHERE id = $1").execute(Tuple.of(product)));
    try {
      InvariantReport report = await(checker.check(baseline));
      assertThat(report.violations()).extracting(Violation::rule).containsExactly("stock-conserved");
      assertThat(report.violations().get(0).detail()).contains(productId);
    } finally {
      await(shopDb.preparedQuery("UPDATE catalog.products SET stock = stock + 1 WHERE id = $1").execute(Tuple.of(product)));
    }
  }

  @Test
  @DisplayName("the command-line run, as the read-only audit role, prints a JSON report; a database it cannot reach exits 2")
  void commandLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Env unreachable = env.with(Map.of("SHOP_DB_PORT", String.valueOf(OrdersFixtures.freePort()),
        "SHOP_DB_CONNECT_TIMEOUT", "500ms", "SHOP_AUDIT_PROVIDER_ADMIN_URL", provider.url(), "SHOP_AUDIT_TIMEOUT", "10s"));
    int status = InvariantChecker.run(unreachable, print(out), print(err));
    assertThat(status).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the check could not run");

    // As an operator runs it: the read-only audit role that the shop's database set-up creates (here
    // made the same way), not the services' owner role.
    await(shopDb.query("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + InvariantChecker.AUDIT_ROLE
        + "') THEN CREATE ROLE " + InvariantChecker.AUDIT_ROLE + " LOGIN PASSWORD 'audit'; END IF; END $$").execute());
    await(shopDb.query("GRANT pg_read_all_data TO " + InvariantChecker.AUDIT_ROLE).execute());
    await(shopDb.query("ALTER ROLE " + InvariantChecker.AUDIT_ROLE + " SET default_transaction_read_only = on").execute());
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    int whole = InvariantChecker.run(env.with(Map.of("SHOP_DB_USER", InvariantChecker.AUDIT_ROLE, "SHOP_DB_PASSWORD", "audit",
        "SHOP_AUDIT_PROVIDER_ADMIN_URL", provider.url())), print(report), print(err));
    JsonObject printed = new JsonObject(report.toString(StandardCharsets.UTF_8));
    // The whole history of the shared test database may hold other test classes' orders, paid at
    // other providers: only the report's shape and its agreement with the status are certain here.
    assertThat(printed.getBoolean("ok")).isEqualTo(whole == 0);
    assertThat(printed.getJsonObject("orders").getLong("CONFIRMED")).isGreaterThanOrEqualTo(1L);
    assertThat(printed.getString("since")).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  @DisplayName("an unusable provider admin URL is a configuration error naming the variable")
  void badProviderUrl() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = InvariantChecker.run(env.with(Map.of("SHOP_AUDIT_PROVIDER_ADMIN_URL", "ftp://nowhere")),
        print(new ByteArrayOutputStream()), print(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("SHOP_AUDIT_PROVIDER_ADMIN_URL");
  }

  private static PrintStream print(ByteArrayOutputStream sink) {
    return new PrintStream(sink, true, StandardCharsets.UTF_8);
  }
}
