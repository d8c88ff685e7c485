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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Relative, version-checked stock changes ({@code catalog.stock.adjust}, the product update's stock rule) and the stock
 * ledger, against PostgreSQL through the event bus.
 */
@DisplayName("stock changes: relative adjustments, version-checked updates, and a ledger that explains every level")
class StockAdjustTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int CHECKOUTS = 20;
  private static final int ADJUSTS = 20;

  private static ShopNode node;
  private static Pool db;
  private static CatalogJsonClient client;
  private static String category;

  @BeforeAll
  static void startNode() throws Exception {
    Env env = ShopTestEnv.shared(Map.of());
    node = await(ShopNode.start(env, List.of(new CatalogService()), false));
    db = CatalogFixtures.pool(node.vertx(), env);
    client = new CatalogJsonClient(node.vertx(), DEADLINE);
    category = await(CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "Stock tests"));
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
  @DisplayName("an adjustment moves the stock relatively, answers the new level and writes a ledger row with its reason")
  void adjustAnswersLevel() throws Exception {
    JsonObject chair = newProduct("Chair", 5_000, 10);
    JsonObject up = await(client.adjustStock(id(chair), 5, "delivery 42", null));
    assertThat(up.getInteger("stock")).isEqualTo(15);
    assertThat(up.getLong("held")).isZero();
    assertThat(up.getLong("version")).isEqualTo(2L);
    JsonObject down = await(client.adjustStock(id(chair), -4, "broken in the warehouse", 2L));
    assertThat(down.getInteger("stock")).isEqualTo(11);
    assertThat(await(client.getProduct(id(chair))).getInteger("stock")).isEqualTo(11);
    assertThat(ledger(chair)).containsExactly("10 created", "5 adjusted: delivery 42", "-4 adjusted: broken in the warehouse");
  }

  @Test
  @DisplayName("an adjustment below the units reservations hold is CONFLICT naming them, and changes nothing")
  void belowReserved() throws Exception {
    JsonObject desk = newProduct("Desk", 20_000, 5);
    await(client.reserveStock(UUID.randomUUID().toString(), lines(desk, 3)));
    JsonObject before = await(client.getProduct(id(desk)));
    ServiceException refused = failure(client.adjustStock(id(desk), -3, "stocktake", null));
    assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(refused.getMessage()).contains("2 units available").contains("3 held by reservations").contains("at most 2");
    assertThat(await(client.getProduct(id(desk)))).isEqualTo(before);
    assertThat(await(client.adjustStock(id(desk), -2, "stocktake", null)).getInteger("stock")).as("down to what is available")
        .isZero();
  }

  @Test
  @DisplayName("a stale version is PRECONDITION_FAILED for an update and for an adjustment, and changes nothing")
  void staleVersion() throws Exception {
    JsonObject sofa = newProduct("Sofa", 49_900, 8);
    await(client.reserveStock(UUID.randomUUID().toString(), lines(sofa, 2)));
    JsonObject before = await(client.getProduct(id(sofa)));
    assertThat(before.getLong("version")).isEqualTo(2L);

    ServiceException update = failure(client.updateProduct(id(sofa), product(sofa.getString("sku"), "Sofa", category, 1, 8), 1L));
    assertThat(update.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
    assertThat(update.getMessage()).contains("version 2, not 1");
    ServiceException adjust = failure(client.adjustStock(id(sofa), 1, "late", 1L));
    assertThat(adjust.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
    assertThat(await(client.getProduct(id(sofa)))).isEqualTo(before);
  }

  @Test
  @DisplayName("an update sets no stock without a version (400, nothing changed), keeps it when 'stock' is left out, sets it with the current version")
  void updateStockRule() throws Exception {
    JsonObject lamp = newProduct("Lamp", 3_000, 10);
    await(client.reserveStock(UUID.randomUUID().toString(), lines(lamp, 4)));
    JsonObject before = await(client.getProduct(id(lamp)));

    // The old race: an admin form read at stock 10 writes 10 back after a checkout took 4.
    ServiceException blind = failure(client.updateProduct(id(lamp), product(lamp.getString("sku"), "Lamp", category, 3_000, 10), null));
    assertThat(blind.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(blind.getMessage()).contains("product.stock").contains(CatalogContract.ADJUST_STOCK.address());
    assertThat(await(client.getProduct(id(lamp)))).isEqualTo(before);

    JsonObject renamed = product(lamp.getString("sku"), "Lamp, renamed", category, 3_100, 0);
    renamed.remove("stock");
    JsonObject kept = await(client.updateProduct(id(lamp), renamed, null));
    assertThat(kept.getInteger("stock")).as("no stock in the update: kept").isEqualTo(6);
    assertThat(kept.getString("name")).isEqualTo("Lamp, renamed");

    JsonObject set = await(client.updateProduct(id(lamp), product(lamp.getString("sku"), "Lamp", category, 3_100, 9),
        kept.getLong("version")));
    assertThat(set.getInteger("stock")).isEqualTo(9);
    assertThat(ledger(lamp)).containsExactly("10 created", "-4 reserved for order " + orderOf(lamp),
        "3 product update (version " + kept.getLong("version") + ")");
  }

  @Test
  @DisplayName(CHECKOUTS + " checkouts (reserve, then commit or release) racing " + ADJUSTS + " adjustments and stale updates: stock is conserved, never negative, and the ledger sums to it")
  void racingCheckoutsAndAdjustments() throws Exception {
    int initial = 30;
    JsonObject bike = newProduct("Bike", 99_000, initial);
    long staleVersion = bike.getLong("version");
    List<Future<Integer>> sold = new ArrayList<>();
    List<Future<Integer>> deltas = new ArrayList<>();
    List<Future<ErrorCode>> updates = new ArrayList<>();
    for (int i = 0; i < Math.max(CHECKOUTS, ADJUSTS); i++) {
      if (i < CHECKOUTS) {
        String order = UUID.randomUUID().toString();
        int quantity = 1 + i % 3;
        boolean commit = i % 4 != 3;
        sold.add(client.reserveStock(order, lines(bike, quantity))
            .compose(reserved -> commit
                ? client.commitStock(order).map(quantity)
                : client.releaseStock(order).map(0))
            // Out of stock at that moment: nothing held, nothing sold.
            .recover(failure -> ServiceException.from(failure).code() == ErrorCode.CONFLICT
                ? Future.succeededFuture(0) : Future.failedFuture(failure)));
      }
      if (i < ADJUSTS) {
        int delta = i % 2 == 0 ? 3 : -4;
        deltas.add(client.adjustStock(id(bike), delta, "race " + i, null).map(delta)
            .recover(failure -> ServiceException.from(failure).code() == ErrorCode.CONFLICT
                ? Future.succeededFuture(0) : Future.failedFuture(failure)));
        // An admin form read before the race writes back the stock it saw: always stale once anything moved.
        updates.add(client.updateProduct(id(bike), product(bike.getString("sku"), "Bike", category, 99_000, initial), staleVersion)
            .map((ErrorCode) null)
            .recover(failure -> Future.succeededFuture(ServiceException.from(failure).code())));
      }
    }
    await(Future.all(sold));
    await(Future.all(deltas));
    await(Future.all(updates));

    int soldUnits = sold.stream().mapToInt(Future::result).sum();
    int adjusted = deltas.stream().mapToInt(Future::result).sum();
    long refusedAdjusts = deltas.stream().filter(f -> f.result() == 0).count();
    List<ErrorCode> updateOutcomes = updates.stream().map(Future::result).toList();
    int level = await(client.getProduct(id(bike))).getInteger("stock");
    System.out.printf("stock race: initial %d, adjusted %+d (%d refused), sold %d, level %d, updates %s%n",
        initial, adjusted, refusedAdjusts, soldUnits, level, updateOutcomes.stream().distinct().toList());

    assertThat(level).as("initial + adjustments - sold").isEqualTo(initial + adjusted - soldUnits);
    assertThat(level).isNotNegative();
    assertThat(soldUnits).as("some checkouts went through").isPositive();
    assertThat(updateOutcomes).as("every stale update refused, at most the very first could have run before any move")
        .filteredOn(code -> code != ErrorCode.PRECONDITION_FAILED).hasSizeLessThanOrEqualTo(1);
    Row sums = await(db.preparedQuery("SELECT coalesce(sum(delta), 0), min(stock_after), count(*) FROM stock_movements WHERE product_id = $1")
        .execute(Tuple.of(UUID.fromString(id(bike))))).iterator().next();
    assertThat(sums.getLong(0)).as("the ledger sums to the level").isEqualTo(level);
    assertThat(sums.getInteger(1)).as("no level in the ledger below 0").isNotNegative();
    Row held = await(db.preparedQuery("SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l JOIN reservations r "
        + "ON r.order_id = l.order_id WHERE l.product_id = $1 AND r.status = 'HELD'").execute(Tuple.of(UUID.fromString(id(bike)))))
        .iterator().next();
    assertThat(held.getLong(0)).as("every checkout settled").isZero();
  }

  @Test
  @DisplayName("invalid adjustments are BAD_REQUEST naming the field (zero delta, fraction, blank or long reason, unknown field) and change nothing")
  void invalidAdjustments() throws Exception {
    JsonObject vase = newProduct("Vase", 1_000, 5);
    JsonObject valid = new JsonObject().put("productId", id(vase)).put("delta", 1).put("reason", "ok");
    List<JsonObject> bodies = List.of(
        valid.copy().put("delta", 0), valid.copy().put("delta", 1.5), valid.copy().put("delta", "2"),
        valid.copy().put("delta", 1_000_001), valid.copy().put("reason", " "), valid.copy().put("reason", "x".repeat(201)),
        valid.copy().put("reason", "tab\there"), valid.copy().put("color", "red"), valid.copy().put("productId", "1-1-1-1-1"),
        valid.copy().put("version", 0));
    for (JsonObject body : bodies) {
      ServiceException refused = failure(Bus.request(node.vertx(), CatalogContract.ADJUST_STOCK.address(), body, DEADLINE));
      assertThat(refused.code()).as(body.encode()).isEqualTo(ErrorCode.BAD_REQUEST);
    }
    assertThat(failure(client.adjustStock(id(vase), 999_996, "too many", null)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(client.adjustStock(UUID.randomUUID().toString(), 1, "ghost", null)).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(await(client.getProduct(id(vase))).getLong("version")).isEqualTo(1L);
    assertThat(ledger(vase)).containsExactly("5 created");
  }

  /** The product's ledger rows, oldest first, as "delta reason". */
  private static List<String> ledger(JsonObject product) throws Exception {
    List<String> rows = new ArrayList<>();
    await(db.preparedQuery("SELECT delta, reason FROM stock_movements WHERE product_id = $1 ORDER BY id")
        .execute(Tuple.of(UUID.fromString(id(product))))).forEach(row -> rows.add(row.getInteger(0) + " " + row.getString(1)));
    return rows;
  }

  private static String orderOf(JsonObject product) throws Exception {
    return await(db.preparedQuery("SELECT order_id FROM reservation_lines WHERE product_id = $1")
        .execute(Tuple.of(UUID.fromString(id(product))))).iterator().next().getUUID(0).toString();
  }

  private static JsonObject newProduct(String name, long price, int stock) throws Exception {
    return await(client.createProduct(product(uniqueSku("STK"), name, category, price, stock)));
  }

  private static String id(JsonObject product) {
    return product.getString("id");
  }

  private static JsonArray lines(JsonObject product, int quantity) {
    return new JsonArray().add(new JsonObject().put("productId", id(product)).put("quantity", quantity));
  }

  private static ServiceException failure(Future<?> future) throws Exception {
    return await(CatalogFixtures.failure(future));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
