package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.eventually;
import static dev.vertxshop.orders.OrdersFixtures.userWithCart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.platform.testing.TopicReader;
import dev.vertxshop.platform.testing.TopicReader.Event;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checkout price: the order is charged at the prices the catalog records with its stock reservation, not at the
 * cart's, against the real catalog, cart, payments and provider. The price changes after the checkout read the cart
 * and before the catalog reserves: the test holds the products' rows locked in the catalog's database while the
 * checkout places its order, so that the reservation waits for the change and takes the new prices.
 */
@DisplayName("checkout price: the order and its charge take the reservation's prices when they changed since the cart was read")
class CheckoutPriceTest {

  private static Env env;
  private static ShopNode node;
  private static Pool ordersDb;
  private static Pool catalogDb;
  private static ProviderAdmin provider;
  private static OrdersClient orders;
  private static CartClient cart;
  private static CatalogClient catalog;
  private static String category;

  @BeforeAll
  static void start() {
    int port = OrdersFixtures.freePort();
    int adminPort = OrdersFixtures.freePort();
    env = ShopTestEnv.shared(OrdersFixtures.merged(OrdersFixtures.providerVars(port, adminPort), Map.of(
        // The reserve waits for the test's lock: the checkout answers with its outcome all the same.
        "SHOP_ORDERS_REPLY_BUDGET", "30s")));
    List<String> services = new ArrayList<>(OrdersFixtures.BACKENDS);
    services.add(OrdersService.NAME);
    node = await(ShopNode.start(env, ShopMain.select(services), false));
    ordersDb = OrdersFixtures.pool(node.vertx(), env, "orders");
    catalogDb = OrdersFixtures.pool(node.vertx(), env, "catalog");
    provider = new ProviderAdmin(node.vertx(), adminPort);
    orders = new OrdersClient(node.vertx(), Duration.ofSeconds(10));
    cart = new CartClient(node.vertx(), Duration.ofSeconds(10));
    catalog = new CatalogClient(node.vertx(), Duration.ofSeconds(10));
    category = OrdersFixtures.insertCategory(catalogDb);
  }

  @AfterAll
  static void stop() {
    if (provider != null) {
      provider.close();
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
  @DisplayName("prices raised and lowered between the cart's read and the reserve: lines, total, charge and OrderConfirmed at the new prices")
  void chargedAtReservedPrices() throws Exception {
    JsonObject desk = createProduct(catalog, category, 1_000, 10);
    JsonObject lamp = createProduct(catalog, category, 800, 10);
    String deskId = desk.getString("id");
    String lampId = lamp.getString("id");
    String userId = userWithCart(cart, deskId, 2);
    await(OrdersFixtures.addItem(cart, userId, lampId, 1));
    Cart seen = OrdersFixtures.cartOf(cart, userId);
    assertThat(seen.total()).as("what the user saw").isEqualTo(Money.eur(2 * 1_000 + 800));

    // Lock both products: the cart's read (a plain SELECT) goes through, the reserve's stock update waits.
    SqlConnection lock = await(catalogDb.getConnection());
    Transaction tx = await(lock.begin());
    await(lock.preparedQuery("SELECT id FROM products WHERE id = ANY($1) FOR UPDATE")
        .execute(Tuple.of((Object) new UUID[] {UUID.fromString(deskId), UUID.fromString(lampId)})));
    Future<JsonObject> checkout = orders.checkout(userId, "price-" + UUID.randomUUID(), OrdersFixtures.CHECKOUT_DEADLINE);
    try {
      // The order is placed at the cart's prices, and its saga is at the reserve, behind the lock.
      eventually(Duration.ofSeconds(20), () -> OrdersFixtures.ordersOf(ordersDb, userId) == 1 ? true : null);
      await(lock.preparedQuery("UPDATE products SET price_minor = CASE WHEN id = $1 THEN 1500 ELSE 600 END, "
              + "version = version + 1, updated_at = now() WHERE id = ANY($2)")
          .execute(Tuple.of(UUID.fromString(deskId), (Object) new UUID[] {UUID.fromString(deskId), UUID.fromString(lampId)})));
      await(tx.commit());
    } finally {
      await(lock.close());
    }

    JsonObject order = await(checkout);
    String orderId = order.getString("id");
    long charged = 2 * 1_500 + 600;
    assertThat(order.getString("status")).as(order.encode()).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(order.getJsonObject("total")).isEqualTo(Money.eur(charged).toJson());
    Map<String, Long> unitPrices = order.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(line -> line.getString("productId"), line -> line.getJsonObject("unitPrice").getLong("amount")));
    assertThat(unitPrices).isEqualTo(Map.of(deskId, 1_500L, lampId, 600L));
    assertThat(order.getJsonArray("lines").stream().map(JsonObject.class::cast)
        .filter(line -> line.getString("productId").equals(deskId)).findFirst().orElseThrow()
        .getJsonObject("lineTotal")).isEqualTo(Money.eur(3_000).toJson());
    assertThat(await(orders.get(userId, orderId))).isEqualTo(order);

    List<JsonObject> charges = provider.charges(orderId);
    assertThat(charges).hasSize(1);
    assertThat(charges.get(0).getLong("amount")).as("the provider charged the reservation's total").isEqualTo(charged);

    List<Event> events = eventually(Duration.ofSeconds(20), () -> {
      List<Event> found = TopicReader.eventsFor(env.string("KAFKA_BOOTSTRAP_SERVERS", null), OrdersContract.EVENTS_TOPIC, orderId);
      return found.size() >= 2 ? found : null;
    });
    assertThat(events).extracting(Event::type).containsExactly(OrdersContract.ORDER_PLACED, OrdersContract.ORDER_CONFIRMED);
    assertThat(events.get(0).data().getJsonObject("total")).as("placed at the cart's prices").isEqualTo(seen.total().toJson());
    assertThat(events.get(1).data()).as("confirmed as charged").isEqualTo(order);
  }
}
