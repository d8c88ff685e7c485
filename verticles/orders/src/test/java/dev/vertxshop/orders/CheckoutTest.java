package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;
import static dev.vertxshop.orders.OrdersFixtures.awaitFailure;
import static dev.vertxshop.orders.OrdersFixtures.checkout;
import static dev.vertxshop.orders.OrdersFixtures.createProduct;
import static dev.vertxshop.orders.OrdersFixtures.eventually;
import static dev.vertxshop.orders.OrdersFixtures.setStock;
import static dev.vertxshop.orders.OrdersFixtures.stockOf;
import static dev.vertxshop.orders.OrdersFixtures.userWithCart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.testing.TopicReader;
import dev.vertxshop.platform.testing.TopicReader.Event;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("checkout against the real catalog, cart, payments and payment provider")
class CheckoutTest {

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
        // Every checkout here answers with its outcome; the budget itself is tested in SagaResumeTest.
        "SHOP_ORDERS_REPLY_BUDGET", "20s")));
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
  @DisplayName("a checkout confirms: prices snapshotted, stock sold, one capture, cart emptied, OrderConfirmed on Kafka")
  void happyCheckout() {
    JsonObject desk = createProduct(catalog, category, 1_250, 10);
    JsonObject lamp = createProduct(catalog, category, 999, 5);
    String userId = userWithCart(cart, desk.getString("id"), 2);
    await(OrdersFixtures.addItem(cart, userId, lamp.getString("id"), 1));
    JsonObject statsBefore = provider.stats();

    JsonObject order = checkout(orders, userId, "happy-" + UUID.randomUUID());

    String orderId = order.getString("id");
    assertThat(order.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(order.getString("userId")).isEqualTo(userId);
    assertThat(order.getString("paymentId")).isNotBlank();
    assertThat(order.containsKey("cancelReason")).isFalse();
    assertThat(order.getJsonObject("total")).isEqualTo(new JsonObject().put("amount", 3_499L).put("currency", "EUR"));
    assertThat(order.getJsonArray("lines").stream().map(JsonObject.class::cast).toList())
        .extracting(line -> line.getString("productId"), line -> line.getInteger("quantity"),
            line -> line.getJsonObject("unitPrice").getLong("amount"), line -> line.getJsonObject("lineTotal").getLong("amount"))
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(desk.getString("id"), 2, 1_250L, 2_500L),
            org.assertj.core.groups.Tuple.tuple(lamp.getString("id"), 1, 999L, 999L));
    assertThat(await(orders.get(userId, orderId))).isEqualTo(order);

    assertThat(stockOf(catalog, desk.getString("id"))).isEqualTo(8);
    assertThat(stockOf(catalog, lamp.getString("id"))).isEqualTo(4);

    List<JsonObject> charges = provider.charges(orderId);
    assertThat(charges).hasSize(1);
    assertThat(charges.get(0).getString("status")).isEqualTo("captured");
    assertThat(charges.get(0).getLong("amount")).isEqualTo(3_499L);
    JsonObject statsAfter = provider.stats();
    assertThat(statsAfter.getLong("captures") - statsBefore.getLong("captures")).isEqualTo(1);
    assertThat(statsAfter.getLong("netCapturedAmount") - statsBefore.getLong("netCapturedAmount")).isEqualTo(3_499L);

    Cart emptied = eventually(Duration.ofSeconds(10), () -> {
      Cart view = OrdersFixtures.cartOf(cart, userId);
      return view.lines().isEmpty() ? view : null;
    });
    assertThat(emptied.lines()).isEmpty();

    List<Event> events = eventually(Duration.ofSeconds(20), () -> {
      List<Event> found = TopicReader.eventsFor(bootstrap(), OrdersContract.EVENTS_TOPIC, orderId);
      return found.size() >= 2 ? found : null;
    });
    assertThat(events).extracting(Event::type).containsExactly(OrdersContract.ORDER_PLACED, OrdersContract.ORDER_CONFIRMED);
    assertThat(events.get(0).data().getString("status")).isEqualTo(OrdersContract.PENDING);
    assertThat(events.get(1).data()).isEqualTo(order);
    assertThat(events).allSatisfy(e -> assertThat(e.eventIdHeader()).isEqualTo(e.envelope().getString("eventId")));
  }

  @Test
  @DisplayName("not enough stock cancels OUT_OF_STOCK: nothing charged, stock unchanged, the cart kept")
  void outOfStock() {
    JsonObject product = createProduct(catalog, category, 2_000, 5);
    String userId = userWithCart(cart, product.getString("id"), 2);
    setStock(catalog, OrdersFixtures.product(catalog, product.getString("id")), 1);
    JsonObject statsBefore = provider.stats();

    JsonObject order = checkout(orders, userId, "oos-" + UUID.randomUUID());

    assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
    assertThat(order.getString("cancelReason")).isEqualTo("OUT_OF_STOCK");
    assertThat(order.getString("cancelMessage")).isNotBlank();
    assertThat(order.containsKey("paymentId")).isFalse();
    assertThat(provider.stats()).as("the provider was never called").isEqualTo(statsBefore);
    assertThat(provider.charges(order.getString("id"))).isEmpty();
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(1);
    assertThat(OrdersFixtures.cartOf(cart, userId).lines()).hasSize(1);
    List<Event> events = eventually(Duration.ofSeconds(20), () -> {
      List<Event> found = TopicReader.eventsFor(bootstrap(), OrdersContract.EVENTS_TOPIC, order.getString("id"));
      return found.size() >= 2 ? found : null;
    });
    assertThat(events).extracting(Event::type).containsExactly(OrdersContract.ORDER_PLACED, OrdersContract.ORDER_CANCELLED);
    assertThat(events.get(1).data().getString("cancelReason")).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  @DisplayName("an empty cart fails BAD_REQUEST 'cart is empty' and writes nothing")
  void emptyCart() {
    OrdersFixtures.Counts before = OrdersFixtures.counts(ordersDb);
    ServiceException error = awaitFailure(orders.checkout(UUID.randomUUID().toString(), "empty", Duration.ofSeconds(10)));
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).isEqualTo("cart is empty");
    assertThat(OrdersFixtures.counts(ordersDb)).isEqualTo(before);
  }

  @Test
  @DisplayName("the same key twice gives the same order, also once the confirmed order emptied the cart")
  void sameKeyTwice() {
    JsonObject product = createProduct(catalog, category, 500, 10);
    String userId = userWithCart(cart, product.getString("id"), 1);
    String key = "twice-" + UUID.randomUUID();

    JsonObject first = checkout(orders, userId, key);
    eventually(Duration.ofSeconds(10), () -> OrdersFixtures.cartOf(cart, userId).lines().isEmpty() ? true : null);
    JsonObject second = checkout(orders, userId, key);

    assertThat(first.getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(second).isEqualTo(first);
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(1);
    assertThat(provider.charges(first.getString("id"))).hasSize(1);
  }

  @Test
  @DisplayName("the same key 10 times concurrently: exactly one order, one capture, the same answer every time")
  void sameKeyConcurrently() {
    JsonObject product = createProduct(catalog, category, 700, 10);
    String userId = userWithCart(cart, product.getString("id"), 3);
    String key = "race-" + UUID.randomUUID();

    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(orders.checkout(userId, key, OrdersFixtures.CHECKOUT_DEADLINE));
    }
    List<JsonObject> answers = replies.stream().map(OrdersFixtures::await).toList();

    assertThat(answers.get(0).getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    assertThat(answers).allSatisfy(answer -> assertThat(answer).isEqualTo(answers.get(0)));
    assertThat(OrdersFixtures.ordersOf(ordersDb, userId)).isEqualTo(1);
    assertThat(provider.charges(answers.get(0).getString("id"))).hasSize(1);
    assertThat(stockOf(catalog, product.getString("id"))).isEqualTo(7);
  }

  @Test
  @DisplayName("keys belong to their user: two users with the same key get two orders")
  void keysPerUser() {
    JsonObject product = createProduct(catalog, category, 300, 10);
    String alice = userWithCart(cart, product.getString("id"), 1);
    String bob = userWithCart(cart, product.getString("id"), 1);
    String key = "shared-" + UUID.randomUUID();

    JsonObject aliceOrder = checkout(orders, alice, key);
    JsonObject bobOrder = checkout(orders, bob, key);

    assertThat(aliceOrder.getString("id")).isNotEqualTo(bobOrder.getString("id"));
    assertThat(aliceOrder.getString("userId")).isEqualTo(alice);
    assertThat(bobOrder.getString("userId")).isEqualTo(bob);
  }

  @Test
  @DisplayName("a user cannot read another user's order (NOT_FOUND) and lists only their own, newest first")
  void ordersBelongToTheirUser() {
    // Out-of-stock checkouts end fast and leave the cart as it is, so one cart gives several orders.
    JsonObject product = createProduct(catalog, category, 100, 0);
    String alice = userWithCart(cart, product.getString("id"), 1);
    String bob = UUID.randomUUID().toString();
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      placed.add(checkout(orders, alice, "mine-" + i).getString("id"));
    }

    ServiceException foreign = awaitFailure(orders.get(bob, placed.get(0)));
    assertThat(foreign.code()).isEqualTo(ErrorCode.NOT_FOUND);
    ServiceException unknown = awaitFailure(orders.get(alice, UUID.randomUUID().toString()));
    assertThat(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND);
    JsonObject bobs = await(orders.list(bob, 1, 10));
    assertThat(bobs.getJsonArray("items")).isEmpty();
    assertThat(bobs.getLong("total")).isZero();

    JsonObject page1 = await(orders.list(alice, 1, 2));
    JsonObject page2 = await(orders.list(alice, 2, 2));
    assertThat(page1.getLong("total")).isEqualTo(3);
    assertThat(page1.getInteger("page")).isEqualTo(1);
    assertThat(page1.getInteger("size")).isEqualTo(2);
    List<String> listed = new ArrayList<>(ids(page1));
    listed.addAll(ids(page2));
    assertThat(listed).containsExactly(placed.get(2), placed.get(1), placed.get(0));
    assertThat(page1.getJsonArray("items").getJsonObject(0)).isEqualTo(await(orders.get(alice, placed.get(2))));
  }

  static Stream<Arguments> badRequests() {
    String user = UUID.randomUUID().toString();
    return Stream.of(
        Arguments.of("checkout: body not an object", OrdersContract.CHECKOUT.address(), "checkout", "JSON object"),
        Arguments.of("checkout: body an array", OrdersContract.CHECKOUT.address(), new JsonArray().add(user), "JSON object"),
        Arguments.of("checkout: userId missing", OrdersContract.CHECKOUT.address(), new JsonObject().put("idempotencyKey", "k"), "userId"),
        Arguments.of("checkout: userId not a UUID", OrdersContract.CHECKOUT.address(), body("nope", "k"), "userId"),
        Arguments.of("checkout: userId short UUID form", OrdersContract.CHECKOUT.address(), body("1-1-1-1-1", "k"), "userId"),
        Arguments.of("checkout: userId a number", OrdersContract.CHECKOUT.address(),
            new JsonObject().put("userId", 42).put("idempotencyKey", "k"), "userId"),
        Arguments.of("checkout: key missing", OrdersContract.CHECKOUT.address(), new JsonObject().put("userId", user), "idempotencyKey"),
        Arguments.of("checkout: key empty", OrdersContract.CHECKOUT.address(), body(user, ""), "idempotencyKey"),
        Arguments.of("checkout: key blank", OrdersContract.CHECKOUT.address(), body(user, "   "), "idempotencyKey"),
        Arguments.of("checkout: key over 64 characters", OrdersContract.CHECKOUT.address(), body(user, "k".repeat(65)), "idempotencyKey"),
        Arguments.of("checkout: key with a space", OrdersContract.CHECKOUT.address(), body(user, "a b"), "idempotencyKey"),
        Arguments.of("checkout: key not ASCII", OrdersContract.CHECKOUT.address(), body(user, "clé"), "idempotencyKey"),
        Arguments.of("checkout: key a number", OrdersContract.CHECKOUT.address(),
            new JsonObject().put("userId", user).put("idempotencyKey", 12), "idempotencyKey"),
        Arguments.of("checkout: unknown field", OrdersContract.CHECKOUT.address(), body(user, "k").put("total", 1), "total"),
        Arguments.of("get: orderId not a UUID", OrdersContract.GET.address(), new JsonObject().put("userId", user).put("orderId", "x"), "orderId"),
        Arguments.of("get: userId missing", OrdersContract.GET.address(),
            new JsonObject().put("orderId", UUID.randomUUID().toString()), "userId"),
        Arguments.of("list: size 0", OrdersContract.LIST.address(), list(user).put("size", 0), "size"),
        Arguments.of("list: size 101", OrdersContract.LIST.address(), list(user).put("size", 101), "size"),
        Arguments.of("list: page 0", OrdersContract.LIST.address(), list(user).put("page", 0), "page"),
        Arguments.of("list: page a string", OrdersContract.LIST.address(), list(user).put("page", "1"), "page"),
        Arguments.of("list: size a fraction", OrdersContract.LIST.address(), list(user).put("size", 1.5), "size"),
        Arguments.of("list: unknown field", OrdersContract.LIST.address(), list(user).put("sort", "-createdAt"), "sort"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  @DisplayName("an invalid request fails BAD_REQUEST naming what is wrong, and writes nothing")
  void badRequest(String label, String address, Object body, String named) {
    OrdersFixtures.Counts before = OrdersFixtures.counts(ordersDb);
    ServiceException error = awaitFailure(Bus.request(node.vertx(), address, body, Duration.ofSeconds(10)));
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(named);
    assertThat(OrdersFixtures.counts(ordersDb)).isEqualTo(before);
  }

  @Test
  @DisplayName("saga outcomes and durations are on the node's /metrics")
  void metrics() {
    JsonObject product = createProduct(catalog, category, 400, 3);
    String userId = userWithCart(cart, product.getString("id"), 1);
    assertThat(checkout(orders, userId, "metrics").getString("status")).isEqualTo(OrdersContract.CONFIRMED);
    WebClient web = WebClient.create(node.vertx());
    try {
      String scrape = await(web.get(node.opsPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
      assertThat(scrape).contains("shop_orders_saga_outcomes_total{reason=\"none\",status=\"CONFIRMED\"}");
      assertThat(scrape).contains("shop_orders_saga_duration_seconds_count{status=\"CONFIRMED\"}");
      assertThat(scrape).contains("shop_orders_saga_inflight");
    } finally {
      web.close();
    }
  }

  private static JsonObject body(String userId, String key) {
    return new JsonObject().put("userId", userId).put("idempotencyKey", key);
  }

  private static JsonObject list(String userId) {
    return new JsonObject().put("userId", userId).put("page", 1).put("size", 10);
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(JsonObject.class::cast).map(o -> o.getString("id")).toList();
  }

  private static String bootstrap() {
    return env.string("KAFKA_BOOTSTRAP_SERVERS", null);
  }
}
