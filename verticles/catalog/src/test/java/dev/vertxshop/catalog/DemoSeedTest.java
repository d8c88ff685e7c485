package dev.vertxshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seeding only happens into an empty catalog, so every test here starts by emptying it. Test classes
 * of this JVM share the schema but run one after the other, and the others only ever look at their
 * own products, so emptying it under them is safe; what this class leaves behind is the demo catalog.
 */
@DisplayName("demo catalog seed")
@ExtendWith(VertxExtension.class)
class DemoSeedTest {

  private static final Map<UUID, DemoCatalog.Product> DEMO = DemoCatalog.products().stream()
      .collect(Collectors.toMap(DemoCatalog.Product::id, p -> p));

  private static Env env;
  private static Vertx vertx;
  private static Pool db;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void migrate(VertxTestContext ctx) {
    env = ShopTestEnv.shared(Map.of("SHOP_CATALOG_SEED_DEMO", "true"));
    vertx = Vertx.vertx();
    Databases.migrate(vertx, DatabaseConfig.from(env), CatalogService.NAME)
        .onComplete(ctx.succeeding(v -> {
          db = CatalogFixtures.pool(vertx, env);
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void closeVertx(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a node started with SHOP_CATALOG_SEED_DEMO=true fills an empty catalog once; a second node leaves it alone")
  void nodeSeedsOnce() throws Exception {
    // Nodes are whole Vert.x instances: started from the test thread, not from inside another's event loop.
    await(emptyCatalog());
    long watermark = await(outboxWatermark());
    ShopNode first = await(ShopNode.start(env, List.of(new CatalogService()), false));
    try {
      Snapshot afterFirst = await(snapshot());
      Map<UUID, JsonObject> events = await(eventsSince(watermark));
      assertThat(afterFirst.categories()).isEqualTo(DemoCatalog.categories().size()).isEqualTo(10);
      assertThat(afterFirst.products()).hasSize(300);
      assertThat(afterFirst.products().keySet()).isEqualTo(DEMO.keySet());
      afterFirst.products().values().forEach(DemoSeedTest::assertMatchesDemo);
      assertThat(events).as("one ProductUpserted event per product, carrying it").isEqualTo(afterFirst.products());

      ShopNode second = await(ShopNode.start(env, List.of(new CatalogService()), false));
      await(second.stop());
      Snapshot afterSecond = await(snapshot());
      assertThat(afterSecond).as("the second start changed nothing").isEqualTo(afterFirst);
      assertThat(await(eventsSince(watermark))).as("no second round of events").hasSize(300);
    } finally {
      await(first.stop());
    }
  }

  @Test
  @DisplayName("seeding twice into an empty catalog produces the same ids and the same products, in well under a few seconds")
  void deterministic(VertxTestContext ctx) {
    long[] took = new long[1];
    emptyCatalog()
        .compose(v -> timedSeed(took))
        .compose(count -> snapshot())
        .compose(first -> emptyCatalog().compose(v -> DemoSeed.seed(db)).compose(count -> snapshot())
            .map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          Map<UUID, JsonObject> first = both.get(0).products();
          Map<UUID, JsonObject> second = both.get(1).products();
          assertThat(second.keySet()).isEqualTo(first.keySet()).isEqualTo(DEMO.keySet());
          second.values().forEach(DemoSeedTest::assertMatchesDemo);
          first.forEach((id, product) -> assertThat(withoutTimestamps(second.get(id))).isEqualTo(withoutTimestamps(product)));
          // Generous for a loaded two-core machine; a batch insert of 300 rows takes a fraction of this.
          assertThat(took[0]).as("seed duration in ms").isLessThan(3_000);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("replicas seeding at the same time insert the demo catalog exactly once")
  void concurrentSeeders(VertxTestContext ctx) {
    long[] watermark = new long[1];
    emptyCatalog()
        .compose(v -> outboxWatermark())
        .compose(mark -> {
          watermark[0] = mark;
          return Future.all(DemoSeed.seed(db), DemoSeed.seed(db), DemoSeed.seed(db));
        })
        .compose(results -> snapshot().compose(snapshot -> eventsSince(watermark[0])
            .map(events -> Map.entry(results.<Integer>list(), Map.entry(snapshot, events)))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.getKey()).as("products inserted by each seeder").containsExactlyInAnyOrder(300, 0, 0);
          assertThat(r.getValue().getKey().products()).hasSize(300);
          assertThat(r.getValue().getValue()).as("events").hasSize(300);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a catalog that already has a product is not seeded")
  void nonEmptyCatalogIsLeftAlone(VertxTestContext ctx) {
    UUID id = UUID.randomUUID();
    emptyCatalog()
        .compose(v -> CatalogFixtures.insertCategory(db, "own", "Our own"))
        .compose(v -> db.preparedQuery("INSERT INTO products (id, sku, name, category_id, price_minor, currency, stock) "
            + "VALUES ($1, 'OWN-1', 'Our product', 'own', 100, 'EUR', 1)").execute(Tuple.of(id)))
        .compose(v -> DemoSeed.seed(db))
        .compose(count -> snapshot().map(snapshot -> Map.entry(count, snapshot)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.getKey()).isZero();
          assertThat(r.getValue().products().keySet()).containsExactly(id);
          assertThat(r.getValue().categories()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  /** Categories count and every product by id, as the service would return them. */
  private record Snapshot(long categories, Map<UUID, JsonObject> products) {
  }

  private static Future<Snapshot> snapshot() {
    return db.query("SELECT count(*) FROM categories").execute().compose(categories ->
        db.query("SELECT " + CatalogQueries.PRODUCT_COLUMNS + " FROM products").execute().map(rows -> {
          Map<UUID, JsonObject> products = new HashMap<>();
          rows.forEach(row -> products.put(row.getUUID("id"), ProductStore.product(row).toJson()));
          return new Snapshot(categories.iterator().next().getLong(0), products);
        }));
  }

  private static Future<Void> emptyCatalog() {
    // Reservation lines reference products; the reservations go with them (their lines cascade).
    return db.query("DELETE FROM reservations").execute()
        .compose(v -> db.query("DELETE FROM products").execute())
        .compose(v -> db.query("DELETE FROM categories").execute())
        .mapEmpty();
  }

  private static Future<Long> outboxWatermark() {
    return db.query("SELECT coalesce(max(id), 0) FROM outbox").execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Payloads of the ProductUpserted events written after {@code watermark}, by product id. */
  private static Future<Map<UUID, JsonObject>> eventsSince(long watermark) {
    return db.preparedQuery("SELECT event_key, payload FROM outbox WHERE id > $1 AND event_type = 'ProductUpserted'")
        .execute(Tuple.of(watermark))
        .map(rows -> {
          Map<UUID, JsonObject> events = new HashMap<>();
          for (Row row : rows) {
            JsonObject previous = events.put(UUID.fromString(row.getString("event_key")), row.getJsonObject("payload"));
            if (previous != null) {
              throw new AssertionError("two events for " + row.getString("event_key"));
            }
          }
          return events;
        });
  }

  private static Future<Integer> timedSeed(long[] took) {
    long start = System.nanoTime();
    return DemoSeed.seed(db).onSuccess(count -> took[0] = (System.nanoTime() - start) / 1_000_000);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void assertMatchesDemo(JsonObject product) {
    DemoCatalog.Product demo = DEMO.get(UUID.fromString(product.getString("id")));
    assertThat(demo).as("a demo product").isNotNull();
    assertThat(product.getString("sku")).isEqualTo(demo.sku());
    assertThat(product.getString("name")).isEqualTo(demo.name());
    assertThat(product.getString("description")).isEqualTo(demo.description());
    assertThat(product.getString("category")).isEqualTo(demo.category());
    assertThat(product.getJsonObject("price").getLong("amount")).isEqualTo(demo.priceMinor());
    assertThat(product.getInteger("stock")).isEqualTo(demo.stock());
    assertThat(product.getLong("version")).isEqualTo(1L);
  }

  private static JsonObject withoutTimestamps(JsonObject product) {
    JsonObject copy = product.copy();
    copy.remove("createdAt");
    copy.remove("updatedAt");
    return copy;
  }
}
