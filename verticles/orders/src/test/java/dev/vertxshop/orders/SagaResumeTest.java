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
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Orders alone on one clustered node, everything it calls on another (two non-clustered Vert.x
 * instances would not share an event bus): the orders node can then be stopped mid-saga and replaced.
 */
@DisplayName("saga resumption: reply budget, a stopped orders node replaced mid-saga, leases of dead replicas")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SagaResumeTest {

  private static final Duration BUDGET = Duration.ofMillis(1_500);

  private static Map<String, String> common;
  private static int ordersHazelcastPort;
  private static ShopNode backends;
  private static ShopNode ordersNode;
  private static Pool ordersDb;
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
    int backendsHazelcastPort = OrdersFixtures.freePort();
    ordersHazelcastPort = OrdersFixtures.freePort();
    common = OrdersFixtures.merged(OrdersFixtures.merged(OrdersFixtures.providerVars(port, adminPort),
        dev.vertxshop.platform.testing.ClusterKeys.shared().env()), Map.of(
        "SHOP_CLUSTER_NAME", "orders-resume-" + UUID.randomUUID(),
        "SHOP_CLUSTER_MEMBERS", "127.0.0.1:" + backendsHazelcastPort + ",127.0.0.1:" + ordersHazelcastPort,
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", "10s",
        "SHOP_ORDERS_REPLY_BUDGET", BUDGET.toMillis() + "ms",
        "SHOP_ORDERS_SAGA_LEASE", "2s",
        "SHOP_ORDERS_SWEEP_INTERVAL", "200ms",
        "SHOP_ORDERS_PAYMENT_DEADLINE", "20s"));
    backends = await(ShopNode.start(ShopTestEnv.shared(OrdersFixtures.merged(common, Map.of(
        "SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(backendsHazelcastPort),
        "SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(OrdersFixtures.freePort())))),
        ShopMain.select(OrdersFixtures.BACKENDS), true));
    ordersNode = startOrdersNode();
    ordersDb = OrdersFixtures.pool(backends.vertx(), ShopTestEnv.shared(Map.of()), "orders");
    catalogDb = OrdersFixtures.pool(backends.vertx(), ShopTestEnv.shared(Map.of()), "catalog");
    provider = new ProviderAdmin(backends.vertx(), adminPort);
    // Clients on the other node: every orders.* request crosses the cluster.
    orders = new OrdersClient(backends.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(backends.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(backends.vertx(), Duration.ofSeconds(10));
    checker = new InvariantChecker(backends.vertx(), catalogDb, provider.url());
    category = OrdersFixtures.insertCategory(catalogDb);
  }

  private static ShopNode startOrdersNode() {
    return await(ShopNode.start(ShopTestEnv.shared(OrdersFixtures.merged(common, Map.of(
        "SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(ordersHazelcastPort),
        "SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(OrdersFixtures.freePort())))),
        ShopMain.select(List.of(OrdersService.NAME)), true), Duration.ofMinutes(2));
  }

  @AfterEach
  void heal() {
    provider.heal();
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
      if (ordersDb != null) {
        await(ordersDb.close());
        await(catalogDb.close());
      }
    } finally {
      if (ordersNode != null) {
        await(ordersNode.stop());
      }
      if (backends != null) {
        await(backends.stop());
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("a saga longer than the reply budget answers PENDING; a retry with the same key waits on the same saga's outcome")
  void budgetThenSameOutcome() {
    JsonObject product = createProduct(catalog, category, 990, 5);
    String userId = userWithCart(cart, product.getString("id"), 1);
    String key = "budget-" + UUID.randomUUID();
    provider.faults(new JsonObject().put("latencyMs", 1_800));

    JsonObject first = checkout(orders, userId, key);
    JsonObject retry = checkout(orders, userId, key);

    assertThat(first.getString("status")).isEqualTo(OrdersContract.PENDING);
    assertThat(retry.getString("id")).isEqualTo(first.getString("id"));
    assertThat(retry.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(1);
    assertThat(provider.charges(first.getString("id"))).hasSize(1);
  }

  @Test
  @Order(2)
  @DisplayName("the orders node stopped while the charge is in flight: a new orders node resumes the saga to CONFIRMED, invariants hold")
  void stoppedMidSagaResumesElsewhere() {
    JsonObject product = createProduct(catalog, category, 3_000, 5);
    String userId = userWithCart(cart, product.getString("id"), 2);
    Baseline baseline = await(checker.baseline());
    provider.faults(new JsonObject().put("latencyMs", 3_000));

    JsonObject pending = checkout(orders, userId, "crash-" + UUID.randomUUID());
    String orderId = pending.getString("id");
    assertThat(pending.getString("status")).isEqualTo(OrdersContract.PENDING);
    assertThat(sagaRow(orderId).getString("state")).isEqualTo("CHARGING");

    await(ordersNode.stop());
    ordersNode = null;
    Row left = sagaRow(orderId);
    assertThat(left.getString("state")).as("the stop ended no saga").isEqualTo("CHARGING");
    assertThat(left.getString("owner")).as("the stop released the saga for others").isNull();

    ordersNode = startOrdersNode();
    JsonObject order = settled(orders, userId, orderId);

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(sagaRow(orderId).getInteger("resumes")).isGreaterThanOrEqualTo(1);
    assertThat(provider.charges(orderId)).as("the resumed charge was the same charge").hasSize(1);
    assertThat(provider.keptCaptures(orderId)).isEqualTo(1);
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(3);
    provider.heal();
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(30)));
    InvariantReport report = await(checker.check(baseline));
    assertThat(report.violations()).as(report.toString()).isEmpty();
    assertThat(report.orders(OrdersContract.CONFIRMED)).isEqualTo(1);
  }

  @Test
  @Order(3)
  @DisplayName("a saga whose replica died (lease expired) is resumed by a sweep; a live lease of another replica is waited for")
  void leasesOfOtherReplicas() {
    JsonObject product = createProduct(catalog, category, 650, 10);
    Baseline baseline = await(checker.baseline());

    Planted dead = plant(product.getString("id"), 2, 650, "dead-replica", Duration.ofSeconds(-1));
    Planted slow = plant(product.getString("id"), 1, 650, "slow-replica", Duration.ofSeconds(2));

    JsonObject resumed = settled(orders, dead.userId(), dead.orderId());
    JsonObject waited = settled(orders, slow.userId(), slow.orderId());

    assertThat(resumed.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(waited.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(sagaRow(dead.orderId()).getInteger("resumes")).isEqualTo(1);
    assertThat(OffsetDateTime.parse(waited.getString("updatedAt")))
        .as("taken over only once the other replica's lease ran out")
        .isAfterOrEqualTo(slow.leaseUntil());
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(7);
    assertThat(provider.keptCaptures(dead.orderId())).isEqualTo(1);
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(30)));
    InvariantReport report = await(checker.check(baseline));
    assertThat(report.violations()).as(report.toString()).isEmpty();
  }

  /** An order and its saga as a replica that then vanished left them: PENDING, RESERVING, leased. */
  private record Planted(String orderId, String userId, OffsetDateTime leaseUntil) {
  }

  private static Planted plant(String productId, int quantity, long price, String owner, Duration leaseFromNow) {
    UUID orderId = UUID.randomUUID();
    UUID userId = UUID.randomUUID();
    double leaseSeconds = leaseFromNow.toMillis() / 1000.0;
    OffsetDateTime leaseUntil = await(ordersDb.withTransaction(tx -> tx.preparedQuery(
            "INSERT INTO orders (id, user_id, status, total_minor, currency) VALUES ($1, $2, 'PENDING', $3, 'EUR')")
        .execute(Tuple.of(orderId, userId, price * quantity))
        .compose(v -> tx.preparedQuery("INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor) "
            + "VALUES ($1, 1, $2, 'Planted', $3, $4)").execute(Tuple.of(orderId, UUID.fromString(productId), quantity, price)))
        .compose(v -> tx.preparedQuery("INSERT INTO sagas (order_id, state, owner, lease_until) "
            + "VALUES ($1, 'RESERVING', $2, now() + make_interval(secs => $3)) RETURNING lease_until")
            .execute(Tuple.of(orderId, owner, leaseSeconds)))
        .map(rows -> rows.iterator().next().getOffsetDateTime("lease_until"))));
    return new Planted(orderId.toString(), userId.toString(), leaseUntil);
  }

  private static Row sagaRow(String orderId) {
    return await(ordersDb.preparedQuery("SELECT state, owner, resumes FROM sagas WHERE order_id = $1")
        .execute(Tuple.of(UUID.fromString(orderId)))).iterator().next();
  }

}
