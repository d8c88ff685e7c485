package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.awaitFailure;
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
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One cart, one unsettled order, and one order per key, on two orders replicas: two separate nodes on
 * the same database, each running catalog, cart, payments and orders (the first also the provider), so
 * that concurrent checkouts race in PostgreSQL exactly as they do between replicas in production.
 */
@DisplayName("one unsettled order per cart and one order per key, with checkouts racing on two orders nodes")
class OneOrderPerCartTest {

  private static final Duration BUDGET = Duration.ofSeconds(2);
  /** Longer than the reply budget: the first order is still PENDING while the others arrive. */
  private static final int SLOW_PROVIDER_MS = 4_000;

  private static ShopNode nodeA;
  private static ShopNode nodeB;
  private static Pool ordersDb;
  private static ProviderAdmin provider;
  private static OrdersClient ordersA;
  private static OrdersClient ordersB;
  private static CartClient cart;
  private static CatalogClient catalog;
  private static String category;

  @BeforeAll
  static void start() {
    int port = OrdersFixtures.freePort();
    int adminPort = OrdersFixtures.freePort();
    Map<String, String> vars = OrdersFixtures.merged(OrdersFixtures.providerVars(port, adminPort), Map.of(
        "SHOP_ORDERS_REPLY_BUDGET", BUDGET.toMillis() + "ms",
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", "10s",
        "SHOP_ORDERS_PAYMENT_DEADLINE", "30s"));
    List<String> first = new ArrayList<>(OrdersFixtures.BACKENDS);
    first.add(OrdersService.NAME);
    nodeA = await(ShopNode.start(ShopTestEnv.shared(vars), ShopMain.select(first), false));
    nodeB = await(ShopNode.start(ShopTestEnv.shared(vars),
        ShopMain.select(List.of("catalog", "cart", "payments", OrdersService.NAME)), false));
    ordersDb = OrdersFixtures.pool(nodeA.vertx(), ShopTestEnv.shared(Map.of()), "orders");
    Pool catalogDb = OrdersFixtures.pool(nodeA.vertx(), ShopTestEnv.shared(Map.of()), "catalog");
    category = OrdersFixtures.insertCategory(catalogDb);
    await(catalogDb.close());
    provider = new ProviderAdmin(nodeA.vertx(), adminPort);
    // Two nodes without a shared event bus: each client reaches its own node's orders service only.
    ordersA = new OrdersClient(nodeA.vertx(), Duration.ofSeconds(10));
    ordersB = new OrdersClient(nodeB.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(nodeA.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(nodeA.vertx(), Duration.ofSeconds(10));
  }

  @AfterEach
  void heal() {
    provider.heal();
  }

  @AfterAll
  static void stop() {
    if (provider != null) {
      provider.close();
    }
    if (ordersDb != null) {
      await(ordersDb.close());
    }
    if (nodeB != null) {
      await(nodeB.stop());
    }
    if (nodeA != null) {
      await(nodeA.stop());
    }
  }

  @Test
  @DisplayName("while the cart's order is PENDING another key is CONFLICT naming it, the same key still answers it; once settled a new key checks out")
  void anotherKeyWhilePending() {
    JsonObject product = createProduct(catalog, category, 1_200, 10);
    String userId = userWithCart(cart, product.getString("id"), 1);
    provider.faults(new JsonObject().put("latencyMs", SLOW_PROVIDER_MS).put("declineRate", 1.0));

    JsonObject first = checkout(ordersA, userId, "first-" + UUID.randomUUID().toString().substring(0, 8));
    String orderId = first.getString("id");
    assertThat(first.getString("status")).isEqualTo(OrdersContract.PENDING);

    ServiceException onA = awaitFailure(ordersA.checkout(userId, "second-a", OrdersFixtures.CHECKOUT_DEADLINE));
    ServiceException onB = awaitFailure(ordersB.checkout(userId, "second-b", OrdersFixtures.CHECKOUT_DEADLINE));
    for (ServiceException conflict : List.of(onA, onB)) {
      assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
      assertThat(conflict.getMessage()).contains(orderId);
      assertThat(OrdersContract.unsettledOrderId(conflict)).contains(orderId);
    }
    JsonObject again = await(ordersB.checkout(userId, keyOf(orderId), OrdersFixtures.CHECKOUT_DEADLINE));
    assertThat(again.getString("id")).as("the same key is the same order, never a conflict").isEqualTo(orderId);
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(1);
    assertThat(keysOf(userId)).as("the refused keys were not kept").isEqualTo(1);

    JsonObject declined = settled(ordersA, userId, orderId);
    assertThat(declined.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    provider.heal();
    JsonObject next = checkout(ordersB, userId, "second-b");
    assertThat(next.getString("id")).isNotEqualTo(orderId);
    assertThat(settled(ordersB, userId, next.getString("id")).getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(2);
  }

  @Test
  @DisplayName("8 checkouts of one cart with 8 keys at once, split over two orders nodes: exactly one order, 7 CONFLICTs naming it")
  void differentKeysRaceOnTwoNodes() {
    JsonObject product = createProduct(catalog, category, 900, 10);
    String userId = userWithCart(cart, product.getString("id"), 2);
    provider.faults(new JsonObject().put("latencyMs", SLOW_PROVIDER_MS));

    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      OrdersClient node = i % 2 == 0 ? ordersA : ordersB;
      replies.add(node.checkout(userId, "race-" + i + "-" + UUID.randomUUID().toString().substring(0, 8), OrdersFixtures.CHECKOUT_DEADLINE));
    }
    List<JsonObject> placed = new ArrayList<>();
    List<ServiceException> refused = new ArrayList<>();
    for (Future<JsonObject> reply : replies) {
      try {
        placed.add(await(reply));
      } catch (AssertionError e) {
        refused.add(ServiceException.from(e.getCause()));
      }
    }
    System.out.printf("8 racing checkouts on two nodes: %d placed, %d refused %s%n", placed.size(), refused.size(),
        refused.stream().map(ServiceException::code).toList());

    assertThat(placed).hasSize(1);
    String orderId = placed.get(0).getString("id");
    assertThat(refused).hasSize(7).allSatisfy(conflict -> {
      assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
      assertThat(OrdersContract.unsettledOrderId(conflict)).contains(orderId);
    });
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(1);
    assertThat(keysOf(userId)).isEqualTo(1);
    provider.heal();
    assertThat(settled(ordersA, userId, orderId).getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(provider.charges(orderId)).hasSize(1);
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(8);
  }

  @Test
  @DisplayName("the same key 10 times at once, split over two orders nodes: one order, one capture, every answer that order")
  void sameKeyConcurrentlyOnTwoNodes() {
    JsonObject product = createProduct(catalog, category, 700, 10);
    String userId = userWithCart(cart, product.getString("id"), 3);
    String key = "race-" + UUID.randomUUID();

    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add((i % 2 == 0 ? ordersA : ordersB).checkout(userId, key, OrdersFixtures.CHECKOUT_DEADLINE));
    }
    List<JsonObject> answers = replies.stream().map(OrdersFixtures::await).toList();

    Set<String> ids = new HashSet<>();
    answers.forEach(answer -> ids.add(answer.getString("id")));
    assertThat(ids).hasSize(1);
    String orderId = ids.iterator().next();
    // A node that only follows the saga answers as it reads the order: PENDING, until it is settled.
    assertThat(answers).extracting(answer -> answer.getString("status"))
        .allSatisfy(status -> assertThat(status).isIn(OrdersContract.PENDING, OrdersContract.CONFIRMED));
    assertThat(settled(ordersB, userId, orderId).getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(1);
    assertThat(provider.charges(orderId)).hasSize(1);
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(7);
  }

  private static long keysOf(String userId) {
    return await(ordersDb.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE user_id = $1")
        .execute(Tuple.of(UUID.fromString(userId)))).iterator().next().getLong(0);
  }

  private static String keyOf(String orderId) {
    return await(ordersDb.preparedQuery("SELECT idem_key FROM idempotency_keys WHERE order_id = $1")
        .execute(Tuple.of(UUID.fromString(orderId)))).iterator().next().getString(0);
  }
}
