package dev.vertxshop.catalog;

import static dev.vertxshop.catalog.CatalogFixtures.product;
import static dev.vertxshop.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reserve, commit and release against PostgreSQL through the event bus, as the checkout saga calls
 * them. Each test makes its own products and order ids, so tests share nothing but the schema.
 */
@DisplayName("stock reservations (catalog.stock.reserve / release / commit)")
class ReservationTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static ShopNode node;
  private static Pool db;
  private static CatalogJsonClient client;
  private static String category;
  /** A product of this class for the validation cases; only ever read, since every request to it is refused. */
  private static JsonObject untouchable;

  @BeforeAll
  static void startNode() throws Exception {
    Env env = ShopTestEnv.shared(Map.of());
    node = await(ShopNode.start(env, List.of(new CatalogService()), false));
    db = CatalogFixtures.pool(node.vertx(), env);
    client = new CatalogJsonClient(node.vertx(), DEADLINE);
    category = await(CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "Reservation tests"));
    untouchable = newProduct("Untouchable", 100, 10);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (db != null) {
      await(db.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("reserve takes the units, merges duplicate lines, answers in product-id order with names and prices; a repeat answers the same")
  void reserveHoldsAndSnapshots() throws Exception {
    JsonObject lamp = newProduct("Desk Lamp", 1_250, 10);
    JsonObject bulb = newProduct("Bulb", 399, 5);
    String order = UUID.randomUUID().toString();

    JsonObject reply = await(client.reserveStock(order, lines(bulb, 2, lamp, 3, bulb, 1)));

    assertThat(reply.getString("orderId")).isEqualTo(order);
    assertThat(reply.getString("status")).isEqualTo("RESERVED");
    assertThat(reply.getString("state")).isEqualTo("HELD");
    List<JsonObject> expected = Stream.of(
            expectedLine(lamp, 3),
            expectedLine(bulb, 3))
        .sorted(Comparator.comparing(line -> line.getString("productId")))
        .toList();
    assertThat(reply.getJsonArray("lines")).isEqualTo(new JsonArray(new ArrayList<>(expected)));
    assertThat(stock(lamp)).isEqualTo(7);
    assertThat(stock(bulb)).isEqualTo(2);
    assertThat(statusOf(order)).isEqualTo("HELD");

    // The price changes after the reservation: the repeat still answers with the price at reservation time.
    JsonObject newPrice = product(lamp.getString("sku"), "Desk Lamp", category, 9_999, 7);
    newPrice.remove("stock");
    await(client.updateProduct(id(lamp), newPrice, null));
    JsonObject repeat = await(client.reserveStock(order, lines(lamp, 1)));
    assertThat(repeat).isEqualTo(reply);
    assertThat(stock(lamp)).as("a repeat takes nothing more").isEqualTo(7);
    assertThat(stock(bulb)).isEqualTo(2);
  }

  @Test
  @DisplayName("commit sells the held units and is idempotent; the committed reservation cannot be released")
  void commitIsIdempotent() throws Exception {
    JsonObject mug = newProduct("Mug", 800, 4);
    String order = UUID.randomUUID().toString();
    JsonObject reserved = await(client.reserveStock(order, lines(mug, 3)));

    assertThat(await(client.commitStock(order))).isEqualTo(reply(order, "COMMITTED"));
    assertThat(await(client.commitStock(order))).as("a repeated commit").isEqualTo(reply(order, "COMMITTED"));
    assertThat(statusOf(order)).isEqualTo("COMMITTED");

    JsonObject again = await(client.reserveStock(order, lines(mug, 3)));
    assertThat(again.getString("state")).isEqualTo("COMMITTED");
    assertThat(again.getString("status")).isEqualTo("RESERVED");
    assertThat(again.getJsonArray("lines")).isEqualTo(reserved.getJsonArray("lines"));

    ServiceException release = failure(client.releaseStock(order));
    assertThat(release.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(release.getMessage()).contains(order, "committed");
    assertThat(stock(mug)).as("sold units stay sold").isEqualTo(1);
    assertThat(statusOf(order)).isEqualTo("COMMITTED");
  }

  @Test
  @DisplayName("release puts the units back and is idempotent; a released reservation can neither commit nor reserve again")
  void releaseRestores() throws Exception {
    JsonObject pen = newProduct("Pen", 150, 9);
    JsonObject ink = newProduct("Ink", 450, 3);
    String order = UUID.randomUUID().toString();
    await(client.reserveStock(order, lines(pen, 4, ink, 3)));
    assertThat(stock(pen)).isEqualTo(5);
    assertThat(stock(ink)).isZero();

    assertThat(await(client.releaseStock(order))).isEqualTo(reply(order, "RELEASED"));
    assertThat(stock(pen)).isEqualTo(9);
    assertThat(stock(ink)).isEqualTo(3);
    assertThat(await(client.releaseStock(order))).as("a repeated release").isEqualTo(reply(order, "RELEASED"));
    assertThat(stock(pen)).as("a repeat gives nothing back twice").isEqualTo(9);

    ServiceException commit = failure(client.commitStock(order));
    assertThat(commit.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(commit.getMessage()).contains(order, "released");
    ServiceException reserve = failure(client.reserveStock(order, lines(pen, 1)));
    assertThat(reserve.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(reserve.getMessage()).contains(order, "released");
    assertThat(stock(pen)).isEqualTo(9);
    assertThat(statusOf(order)).isEqualTo("RELEASED");
  }

  @Test
  @DisplayName("release before any reserve answers NONE and leaves a tombstone: the late reserve is refused and takes nothing")
  void tombstoneRefusesLateReserve() throws Exception {
    JsonObject kite = newProduct("Kite", 2_000, 6);
    String order = UUID.randomUUID().toString();

    assertThat(await(client.releaseStock(order))).isEqualTo(reply(order, "NONE"));
    assertThat(statusOf(order)).isEqualTo("RELEASED");

    ServiceException late = failure(client.reserveStock(order, lines(kite, 2)));
    assertThat(late.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(late.getMessage()).contains(order);
    assertThat(stock(kite)).isEqualTo(6);
    assertThat(lineCount(order)).isZero();

    assertThat(await(client.releaseStock(order))).as("releasing the tombstone again").isEqualTo(reply(order, "RELEASED"));
    assertThat(failure(client.commitStock(order)).code()).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  @DisplayName("commit of an order never reserved fails NOT_FOUND and records nothing")
  void commitUnknown() throws Exception {
    String order = UUID.randomUUID().toString();
    ServiceException error = failure(client.commitStock(order));
    assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(error.getMessage()).contains(order);
    assertThat(statusOf(order)).isNull();
  }

  @Test
  @DisplayName("not enough of one product: CONFLICT naming it, every product's stock unchanged, no reservation; the order may try again")
  void insufficientStockHoldsNothing() throws Exception {
    JsonObject a = newProduct("Plenty A", 100, 10);
    JsonObject b = newProduct("Scarce B", 200, 1);
    JsonObject c = newProduct("Plenty C", 300, 5);
    String order = UUID.randomUUID().toString();

    ServiceException error = failure(client.reserveStock(order, lines(a, 5, b, 2, c, 1)));

    assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(error.getMessage()).contains(id(b), "Scarce B", "2 asked", "1 available");
    assertThat(stock(a)).isEqualTo(10);
    assertThat(stock(b)).isEqualTo(1);
    assertThat(stock(c)).isEqualTo(5);
    assertThat(statusOf(order)).as("a refused reserve leaves no claim on the order id").isNull();

    JsonObject retry = await(client.reserveStock(order, lines(a, 5, b, 1, c, 1)));
    assertThat(retry.getString("state")).isEqualTo("HELD");
    assertThat(stock(b)).isZero();
  }

  @Test
  @DisplayName("an unknown product fails NOT_FOUND naming it and holds nothing")
  void unknownProduct() throws Exception {
    JsonObject real = newProduct("Real", 100, 3);
    String ghost = UUID.randomUUID().toString();
    String order = UUID.randomUUID().toString();
    JsonArray lines = lines(real, 1).add(new JsonObject().put("productId", ghost).put("quantity", 1));

    ServiceException error = failure(client.reserveStock(order, lines));

    assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(error.getMessage()).contains(ghost);
    assertThat(stock(real)).isEqualTo(3);
    assertThat(statusOf(order)).isNull();
  }

  @Test
  @DisplayName("200 concurrent reservations of 1 unit over a stock of 37: exactly 37 succeed, the rest CONFLICT, stock ends at 0")
  void concurrentReservationsNeverOversell() throws Exception {
    JsonObject hot = newProduct("Hot Item", 4_999, 37);
    List<String> orders = Stream.generate(() -> UUID.randomUUID().toString()).limit(200).toList();

    List<Future<JsonObject>> attempts = orders.stream().map(order -> client.reserveStock(order, lines(hot, 1))).toList();
    List<Object> outcomes = await(Future.join(attempts).transform(done -> Future.succeededFuture(attempts.stream()
        .map(f -> f.succeeded() ? (Object) f.result() : ServiceException.from(f.cause()).code())
        .toList())));

    Map<Object, Long> byOutcome = outcomes.stream()
        .collect(Collectors.groupingBy(o -> o instanceof JsonObject ? "RESERVED" : o, Collectors.counting()));
    assertThat(byOutcome).isEqualTo(Map.of("RESERVED", 37L, ErrorCode.CONFLICT, 163L));
    assertThat(stock(hot)).isZero();
    Row held = await(db.preparedQuery("SELECT count(*), coalesce(sum(quantity), 0) FROM reservation_lines WHERE product_id = $1")
        .execute(Tuple.of(UUID.fromString(id(hot))))).iterator().next();
    assertThat(held.getLong(0)).as("reservations holding the product").isEqualTo(37L);
    assertThat(held.getLong(1)).as("units held").isEqualTo(37L);
  }

  @Test
  @DisplayName("concurrent reserves of one order id make one reservation: every caller gets it, the units are taken once")
  void concurrentReservesOfOneOrder() throws Exception {
    JsonObject chair = newProduct("Chair", 5_900, 10);
    String order = UUID.randomUUID().toString();

    List<Future<JsonObject>> attempts = Stream.generate(() -> client.reserveStock(order, lines(chair, 2))).limit(20).toList();
    await(Future.all(attempts));

    JsonObject first = attempts.get(0).result();
    assertThat(attempts).allSatisfy(attempt -> assertThat(attempt.result()).isEqualTo(first));
    assertThat(stock(chair)).isEqualTo(8);
    assertThat(lineCount(order)).isEqualTo(1);
  }

  @Test
  @DisplayName("reservations publish no product event, yet bump the version so that a stale admin update is refused")
  void noProductEvents() throws Exception {
    JsonObject sofa = newProduct("Sofa", 49_900, 3);
    int eventsBefore = await(CatalogFixtures.outboxFor(db, id(sofa))).size();
    String order = UUID.randomUUID().toString();

    await(client.reserveStock(order, lines(sofa, 1)));
    await(client.releaseStock(order));

    assertThat(await(CatalogFixtures.outboxFor(db, id(sofa)))).hasSize(eventsBefore);
    JsonObject now = await(client.getProduct(id(sofa)));
    assertThat(now.getInteger("stock")).isEqualTo(3);
    assertThat(now.getLong("version")).as("one bump for the take, one for the return").isEqualTo(3L);
    ServiceException stale = failure(client.updateProduct(id(sofa), product(sofa.getString("sku"), "Sofa", category, 1, 0), 1L));
    assertThat(stale.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
  }

  static Stream<Arguments> badReserveBodies() {
    String product = id(untouchable);
    String order = UUID.randomUUID().toString();
    Function<Object, JsonObject> withQuantity = quantity -> new JsonObject().put("orderId", order)
        .put("lines", new JsonArray().add(new JsonObject().put("productId", product).put("quantity", quantity)));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 51; i++) {
      tooMany.add(new JsonObject().put("productId", product).put("quantity", 1));
    }
    JsonArray one = new JsonArray().add(new JsonObject().put("productId", product).put("quantity", 1));
    return Stream.of(
        Arguments.of("not an object", "reserve", "JSON object"),
        Arguments.of("orderId missing", new JsonObject().put("lines", one), "orderId"),
        Arguments.of("orderId not a UUID", new JsonObject().put("orderId", "order-1").put("lines", one), "orderId"),
        Arguments.of("orderId a number", new JsonObject().put("orderId", 42).put("lines", one), "orderId"),
        Arguments.of("orderId in short UUID form", new JsonObject().put("orderId", "1-1-1-1-1").put("lines", one), "orderId"),
        Arguments.of("lines missing", new JsonObject().put("orderId", order), "lines"),
        Arguments.of("lines not an array", new JsonObject().put("orderId", order).put("lines", "all"), "lines"),
        Arguments.of("lines empty", new JsonObject().put("orderId", order).put("lines", new JsonArray()), "lines"),
        Arguments.of("51 lines", new JsonObject().put("orderId", order).put("lines", tooMany), "lines"),
        Arguments.of("a line not an object", new JsonObject().put("orderId", order).put("lines", new JsonArray().add(product)), "lines[0]"),
        Arguments.of("quantity 0", withQuantity.apply(0), "lines[0].quantity"),
        Arguments.of("quantity 100", withQuantity.apply(100), "lines[0].quantity"),
        Arguments.of("quantity negative", withQuantity.apply(-1), "lines[0].quantity"),
        Arguments.of("quantity a fraction", withQuantity.apply(1.5), "lines[0].quantity"),
        Arguments.of("quantity as text", withQuantity.apply("1"), "lines[0].quantity"),
        Arguments.of("quantity missing", new JsonObject().put("orderId", order)
            .put("lines", new JsonArray().add(new JsonObject().put("productId", product))), "lines[0].quantity"),
        Arguments.of("productId malformed", new JsonObject().put("orderId", order)
            .put("lines", new JsonArray().add(new JsonObject().put("productId", "p-1").put("quantity", 1))), "lines[0].productId"),
        Arguments.of("productId missing", new JsonObject().put("orderId", order)
            .put("lines", new JsonArray().add(new JsonObject().put("quantity", 1))), "lines[0].productId"),
        Arguments.of("unknown field in a line", new JsonObject().put("orderId", order)
            .put("lines", new JsonArray().add(new JsonObject().put("productId", product).put("quantity", 1).put("price", 1))),
            "lines[0].price"),
        Arguments.of("unknown top-level field", new JsonObject().put("orderId", order).put("lines", one).put("userId", "u"), "userId"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badReserveBodies")
  @DisplayName("an invalid reserve fails BAD_REQUEST naming the field, and writes nothing")
  void badReserve(String label, Object body, String mentioned) throws Exception {
    assertRefusedWritingNothing(CatalogContract.RESERVE_STOCK.address(), body, mentioned);
  }

  static Stream<Arguments> badOrderIdBodies() {
    List<Arguments> cases = new ArrayList<>();
    for (String address : List.of(CatalogContract.RELEASE_STOCK.address(), CatalogContract.COMMIT_STOCK.address())) {
      cases.add(Arguments.of(address + ": not an object", address, new JsonArray(), "JSON object"));
      cases.add(Arguments.of(address + ": orderId missing", address, new JsonObject(), "orderId"));
      cases.add(Arguments.of(address + ": orderId not a UUID", address, new JsonObject().put("orderId", "x"), "orderId"));
      cases.add(Arguments.of(address + ": orderId not text", address, new JsonObject().put("orderId", true), "orderId"));
      cases.add(Arguments.of(address + ": unknown field", address,
          new JsonObject().put("orderId", UUID.randomUUID().toString()).put("force", true), "force"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badOrderIdBodies")
  @DisplayName("an invalid release or commit fails BAD_REQUEST naming the field, and writes nothing (no tombstone either)")
  void badReleaseOrCommit(String label, String address, Object body, String mentioned) throws Exception {
    assertRefusedWritingNothing(address, body, mentioned);
  }

  private static void assertRefusedWritingNothing(String address, Object body, String mentioned) throws Exception {
    Map<String, Long> before = counts();
    int stockBefore = stock(untouchable);

    ServiceException error = failure(Bus.request(node.vertx(), address, body, DEADLINE));

    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(mentioned);
    assertThat(counts()).as("reservations and their lines").isEqualTo(before);
    assertThat(stock(untouchable)).isEqualTo(stockBefore);
  }

  // Helpers.

  private static JsonObject newProduct(String name, long price, int stock) throws Exception {
    return await(client.createProduct(product(uniqueSku("RSV"), name, category, price, stock)));
  }

  private static String id(JsonObject product) {
    return product.getString("id");
  }

  /** Lines from pairs of (product, quantity). */
  private static JsonArray lines(Object... productsAndQuantities) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < productsAndQuantities.length; i += 2) {
      lines.add(new JsonObject()
          .put("productId", id((JsonObject) productsAndQuantities[i]))
          .put("quantity", productsAndQuantities[i + 1]));
    }
    return lines;
  }

  private static JsonObject expectedLine(JsonObject product, int quantity) {
    return new JsonObject()
        .put("productId", id(product))
        .put("name", product.getString("name"))
        .put("quantity", quantity)
        .put("unitPrice", product.getJsonObject("price"));
  }

  private static JsonObject reply(String order, String status) {
    return new JsonObject().put("orderId", order).put("status", status);
  }

  private static int stock(JsonObject product) throws Exception {
    return await(client.getProduct(id(product))).getInteger("stock");
  }

  /** The reservation's status in the table, or null when the order has none. */
  private static String statusOf(String order) throws Exception {
    return await(db.preparedQuery("SELECT status FROM reservations WHERE order_id = $1").execute(Tuple.of(UUID.fromString(order))))
        .stream().findFirst().map(row -> row.getString(0)).orElse(null);
  }

  private static long lineCount(String order) throws Exception {
    return await(db.preparedQuery("SELECT count(*) FROM reservation_lines WHERE order_id = $1")
        .execute(Tuple.of(UUID.fromString(order)))).iterator().next().getLong(0);
  }

  /** Rows of both reservation tables, per status: a refused request must change none of them. */
  private static Map<String, Long> counts() throws Exception {
    Map<String, Long> counts = new HashMap<>();
    await(db.query("SELECT status, count(*) FROM reservations GROUP BY status").execute())
        .forEach(row -> counts.put(row.getString(0), row.getLong(1)));
    counts.put("lines", await(db.query("SELECT count(*) FROM reservation_lines").execute()).iterator().next().getLong(0));
    return counts;
  }

  private static ServiceException failure(Future<?> future) throws Exception {
    return await(CatalogFixtures.failure(future));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
