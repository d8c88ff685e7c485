package dev.vertxshop.catalog;

import static dev.vertxshop.catalog.CatalogFixtures.failure;
import static dev.vertxshop.catalog.CatalogFixtures.product;
import static dev.vertxshop.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.catalog.CatalogFixtures.Rejection;
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
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("catalog event-bus API against PostgreSQL")
@ExtendWith(VertxExtension.class)
class CatalogApiTest {

  private static ShopNode node;
  private static Pool db;
  private static CatalogJsonClient client;
  /** A category of this class, for tests that do not look at listings. */
  private static String category;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void startNode(VertxTestContext ctx) {
    Env env = ShopTestEnv.shared(Map.of());
    ShopNode.start(env, List.of(new CatalogService()), false)
        .compose(started -> {
          node = started;
          db = CatalogFixtures.pool(node.vertx(), env);
          client = new CatalogJsonClient(node.vertx(), Duration.ofSeconds(10));
          return CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "API tests");
        })
        .onComplete(ctx.succeeding(id -> {
          category = id;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stopNode(VertxTestContext ctx) {
    CatalogFixtures.stop(db, node, ctx);
  }

  private static Future<String> newCategory() {
    return CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "Listing tests");
  }

  @Test
  @DisplayName("create returns the product with id, version 1 and timestamps; get returns the same")
  void createThenGet(VertxTestContext ctx) {
    String sku = uniqueSku("CREATE");
    JsonObject fields = product(sku, "  Walnut Desk  ", category, 24_999, 7).put("description", "Solid walnut.");
    client.createProduct(fields)
        .compose(created -> client.getProduct(created.getString("id")).map(read -> List.of(created, read)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject created = both.get(0);
          assertThat(UUID.fromString(created.getString("id"))).isNotNull();
          assertThat(created.getString("sku")).isEqualTo(sku);
          assertThat(created.getString("name")).as("names are stored trimmed").isEqualTo("Walnut Desk");
          assertThat(created.getString("description")).isEqualTo("Solid walnut.");
          assertThat(created.getString("category")).isEqualTo(category);
          assertThat(created.getJsonObject("price")).isEqualTo(new JsonObject().put("amount", 24_999L).put("currency", "EUR"));
          assertThat(created.getInteger("stock")).isEqualTo(7);
          assertThat(created.getLong("version")).isEqualTo(1L);
          assertThat(Instant.parse(created.getString("createdAt"))).isEqualTo(Instant.parse(created.getString("updatedAt")));
          assertThat(created.fieldNames()).containsExactlyInAnyOrder(
              "id", "sku", "name", "description", "category", "price", "stock", "version", "createdAt", "updatedAt");
          assertThat(both.get(1)).isEqualTo(created);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("create writes exactly one ProductUpserted outbox row carrying the product")
  void createWritesOutboxRow(VertxTestContext ctx) {
    client.createProduct(product(uniqueSku("OUTBOX"), "Lamp", category, 1_500, 1))
        .compose(created -> CatalogFixtures.outboxFor(db, created.getString("id")).map(rows -> Map.entry(created, rows)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getValue()).hasSize(1);
          assertThat(result.getValue().get(0).type()).isEqualTo(CatalogContract.PRODUCT_UPSERTED);
          assertThat(result.getValue().get(0).payload()).isEqualTo(result.getKey());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("get of an unknown id fails NOT_FOUND; of a malformed id BAD_REQUEST")
  void getUnknownAndMalformed(VertxTestContext ctx) {
    Future.all(failure(client.getProduct(UUID.randomUUID().toString())), failure(client.getProduct("not-a-uuid")),
            failure(client.getProduct("1-1-1-1-1")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<ServiceException>resultAt(0).code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(all.<ServiceException>resultAt(1).code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(all.<ServiceException>resultAt(2).code()).isEqualTo(ErrorCode.BAD_REQUEST);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("getMany returns the existing products in the order asked, once each, leaving unknown ids out")
  void getMany(VertxTestContext ctx) {
    String unknown = UUID.randomUUID().toString();
    client.createProduct(product(uniqueSku("MANY"), "Many A", category, 100, 1))
        .compose(a -> client.createProduct(product(uniqueSku("MANY"), "Many B", category, 200, 2))
            .compose(b -> client.getProducts(List.of(b.getString("id"), unknown, a.getString("id"), b.getString("id")))
                .map(reply -> List.of(a, b, reply))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.get(2).getJsonArray("items").stream().map(JsonObject.class::cast).toList())
              .containsExactly(all.get(1), all.get(0));
          ctx.completeNow();
        })));
  }

  static Stream<Arguments> badGetManyBodies() {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) {
      tooMany.add(UUID.randomUUID().toString());
    }
    return Stream.of(
        Arguments.of("ids missing", new JsonObject()),
        Arguments.of("ids not an array", new JsonObject().put("ids", UUID.randomUUID().toString())),
        Arguments.of("ids empty", new JsonObject().put("ids", new JsonArray())),
        Arguments.of("more than 100 ids", new JsonObject().put("ids", tooMany)),
        Arguments.of("an id malformed", new JsonObject().put("ids", new JsonArray().add(UUID.randomUUID().toString()).add("x"))),
        Arguments.of("an id not text", new JsonObject().put("ids", new JsonArray().add(42))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badGetManyBodies")
  @DisplayName("an invalid getMany request fails BAD_REQUEST")
  void badGetMany(String label, JsonObject body, VertxTestContext ctx) {
    failure(Bus.request(node.vertx(), CatalogContract.GET_PRODUCTS.address(), body, Duration.ofSeconds(10)))
        .onComplete(ctx.succeeding(error -> ctx.verify(() -> {
          assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(error.getMessage()).contains("ids");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a body that is not a JSON object fails BAD_REQUEST on every address")
  void nonObjectBodies(VertxTestContext ctx) {
    Duration deadline = Duration.ofSeconds(10);
    Future.all(List.of(
            failure(Bus.request(node.vertx(), CatalogContract.GET_PRODUCT.address(), "x", deadline)),
            failure(Bus.request(node.vertx(), CatalogContract.GET_PRODUCTS.address(), "x", deadline)),
            failure(Bus.request(node.vertx(), CatalogContract.LIST_PRODUCTS.address(), new JsonArray(), deadline)),
            failure(Bus.request(node.vertx(), CatalogContract.CREATE_PRODUCT.address(), "{}", deadline)),
            failure(Bus.request(node.vertx(), CatalogContract.UPDATE_PRODUCT.address(), 42, deadline))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < all.size(); i++) {
            assertThat(all.<ServiceException>resultAt(i).code()).isEqualTo(ErrorCode.BAD_REQUEST);
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("update replaces every field, keeps createdAt and increments the version")
  void updateReplacesFields(VertxTestContext ctx) {
    String newSku = uniqueSku("UPD2");
    JsonObject replacement = product(newSku, "New name", null, 250, 9);
    replacement.remove("description");
    newCategory()
        .compose(otherCategory -> {
          replacement.put("category", otherCategory);
          return client.createProduct(product(uniqueSku("UPD"), "Old name", category, 100, 1).put("description", "old"));
        })
        .compose(created -> client.updateProduct(created.getString("id"), replacement, 1L)
            .compose(updated -> client.getProduct(created.getString("id")).map(read -> List.of(created, updated, read))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject created = all.get(0);
          JsonObject updated = all.get(1);
          assertThat(updated.getString("id")).isEqualTo(created.getString("id"));
          assertThat(updated.getString("sku")).isEqualTo(newSku);
          assertThat(updated.getString("name")).isEqualTo("New name");
          assertThat(updated.getString("description")).as("an absent description is replaced by empty").isEmpty();
          assertThat(updated.getString("category")).isEqualTo(replacement.getString("category"));
          assertThat(updated.getJsonObject("price").getLong("amount")).isEqualTo(250L);
          assertThat(updated.getInteger("stock")).isEqualTo(9);
          assertThat(updated.getLong("version")).isEqualTo(2L);
          assertThat(updated.getString("createdAt")).isEqualTo(created.getString("createdAt"));
          assertThat(Instant.parse(updated.getString("updatedAt"))).isAfter(Instant.parse(created.getString("updatedAt")));
          assertThat(all.get(2)).isEqualTo(updated);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("update with the current version succeeds; with a stale one fails PRECONDITION_FAILED and changes nothing")
  void optimisticVersion(VertxTestContext ctx) {
    String sku = uniqueSku("VER");
    client.createProduct(product(sku, "Versioned", category, 100, 1))
        .compose(v1 -> client.updateProduct(v1.getString("id"), product(sku, "Second", category, 100, 1), 1L))
        .compose(v2 -> rejection(v2.getString("id"),
            () -> client.updateProduct(v2.getString("id"), product(sku, "Stale", category, 1, 1), 1L)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.productBefore().getLong("version")).isEqualTo(2L);
          assertThat(r.productBefore().getString("name")).isEqualTo("Second");
          assertRejected(r, ErrorCode.PRECONDITION_FAILED, "version 2");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("update of an unknown product fails NOT_FOUND and writes nothing")
  void updateUnknown(VertxTestContext ctx) {
    String id = UUID.randomUUID().toString();
    rejection(null, () -> client.updateProduct(id, product(uniqueSku("GHOST"), "Ghost", category, 1, 1), 1L))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertRejected(r, ErrorCode.NOT_FOUND, id);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a sku already taken fails CONFLICT on create and on update, and writes nothing")
  void duplicateSku(VertxTestContext ctx) {
    String taken = uniqueSku("DUP");
    client.createProduct(product(taken, "First", category, 100, 1))
        .compose(first -> client.createProduct(product(uniqueSku("DUP"), "Second", category, 100, 1)))
        .compose(second -> rejection(null, () -> client.createProduct(product(taken, "Copy", category, 100, 1)))
            .compose(onCreate -> rejection(second.getString("id"),
                    () -> client.updateProduct(second.getString("id"), product(taken, "Renamed", category, 100, 1), 1L))
                .map(onUpdate -> List.of(onCreate, onUpdate))))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertRejected(both.get(0), ErrorCode.CONFLICT, taken);
          assertRejected(both.get(1), ErrorCode.CONFLICT, taken);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("categories list contains the categories, with id and name")
  void listCategories(VertxTestContext ctx) {
    client.listCategories().onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      assertThat(reply.getJsonArray("items").stream().map(JsonObject.class::cast))
          .contains(new JsonObject().put("id", category).put("name", "API tests"));
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("paging walks a category in pages of the asked size, with the total on every page")
  void paging(VertxTestContext ctx) {
    newCategory().compose(cat -> createAll(cat, List.of("P1", "P2", "P3", "P4", "P5", "P6", "P7"), List.of(7L, 6L, 5L, 4L, 3L, 2L, 1L))
            .compose(created -> Future.all(List.of(
                    client.listProducts(1, 3, cat, "name"),
                    client.listProducts(2, 3, cat, "name"),
                    client.listProducts(3, 3, cat, "name"),
                    client.listProducts(4, 3, cat, "name"),
                    client.listProducts(1, 100, cat, "name")))
                .map(pages -> Map.entry(created, pages))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          List<JsonObject> pages = r.getValue().list();
          assertThat(pages).allSatisfy(page -> assertThat(page.getLong("total")).isEqualTo(7L));
          assertThat(pages.get(0).getInteger("page")).isEqualTo(1);
          assertThat(pages.get(0).getInteger("size")).isEqualTo(3);
          assertThat(names(pages.get(0))).containsExactly("P1", "P2", "P3");
          assertThat(names(pages.get(1))).containsExactly("P4", "P5", "P6");
          assertThat(names(pages.get(2))).containsExactly("P7");
          assertThat(names(pages.get(3))).as("past the last page").isEmpty();
          assertThat(pages.get(4).getJsonArray("items").stream().map(JsonObject.class::cast).toList())
              .containsExactlyElementsOf(r.getKey().stream().sorted(Comparator.comparing(p -> p.getString("name"))).toList());
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "sort {0}")
  @ValueSource(strings = {"name", "-name", "price", "-price"})
  @DisplayName("each sort order is applied, ties broken by id in the same direction")
  void sortOrders(String sort, VertxTestContext ctx) {
    // Equal names and equal prices on purpose, so the tie-breaker decides part of the order.
    List<String> names = List.of("Bravo", "Alpha", "Bravo", "Delta", "Charlie", "Alpha");
    List<Long> prices = List.of(300L, 100L, 300L, 100L, 200L, 500L);
    newCategory().compose(cat -> createAll(cat, names, prices)
            .compose(created -> client.listProducts(1, 100, cat, sort).map(page -> Map.entry(created, page))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          // Canonical UUID text compares like PostgreSQL's uuid ordering (unsigned bytes).
          Comparator<JsonObject> byId = Comparator.comparing(p -> p.getString("id"));
          Comparator<JsonObject> order = switch (sort) {
            case "name" -> Comparator.<JsonObject, String>comparing(p -> p.getString("name")).thenComparing(byId);
            case "-name" -> Comparator.<JsonObject, String>comparing(p -> p.getString("name")).thenComparing(byId).reversed();
            case "price" -> Comparator.<JsonObject, Long>comparing(p -> p.getJsonObject("price").getLong("amount")).thenComparing(byId);
            default -> Comparator.<JsonObject, Long>comparing(p -> p.getJsonObject("price").getLong("amount")).thenComparing(byId).reversed();
          };
          List<JsonObject> expected = r.getKey().stream().sorted(order).toList();
          assertThat(r.getValue().getJsonArray("items").stream().map(JsonObject.class::cast).toList())
              .containsExactlyElementsOf(expected);
          assertThat(r.getValue().getLong("total")).isEqualTo(6L);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("without a category the list spans the catalog; defaults are page 1, size 20, by name")
  void listWithoutCategory(VertxTestContext ctx) {
    createAll(category, List.of("Unfiltered A", "Unfiltered B"), List.of(1L, 2L))
        .compose(created -> Future.all(client.listProducts(1, 2, null, null), client.listProducts(2, 2, null, null),
            client.send(CatalogContract.LIST_PRODUCTS, new JsonObject())))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject first = all.resultAt(0);
          JsonObject second = all.resultAt(1);
          JsonObject defaults = all.resultAt(2);
          assertThat(first.getLong("total")).isGreaterThanOrEqualTo(2L);
          assertThat(first.getJsonArray("items")).hasSize(2);
          assertThat(ids(first)).doesNotContainAnyElementsOf(ids(second));
          assertThat(defaults.getInteger("page")).isEqualTo(1);
          assertThat(defaults.getInteger("size")).isEqualTo(20);
          assertThat(defaults.getJsonArray("items").size()).isBetween(2, 20);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a category without products lists nothing, total 0")
  void unknownCategoryListsNothing(VertxTestContext ctx) {
    client.listProducts(1, 10, CatalogFixtures.uniqueCategoryId(), "price").onComplete(ctx.succeeding(page -> ctx.verify(() -> {
      assertThat(page.getJsonArray("items")).isEmpty();
      assertThat(page.getLong("total")).isZero();
      ctx.completeNow();
    })));
  }

  static Stream<Arguments> badListQueries() {
    return Stream.of(
        Arguments.of("page 0", new JsonObject().put("page", 0).put("size", 10)),
        Arguments.of("page too deep", new JsonObject().put("page", 100_001).put("size", 10)),
        Arguments.of("page as text", new JsonObject().put("page", "1").put("size", 10)),
        Arguments.of("size 0", new JsonObject().put("page", 1).put("size", 0)),
        Arguments.of("size 101", new JsonObject().put("page", 1).put("size", 101)),
        Arguments.of("size fractional", new JsonObject().put("page", 1).put("size", 2.5)),
        Arguments.of("unknown sort", new JsonObject().put("page", 1).put("size", 10).put("sort", "stock")),
        Arguments.of("sort not text", new JsonObject().put("page", 1).put("size", 10).put("sort", 1)),
        Arguments.of("malformed category", new JsonObject().put("page", 1).put("size", 10).put("category", "Not A Slug!")),
        Arguments.of("unknown field", new JsonObject().put("page", 1).put("size", 10).put("pageSize", 10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badListQueries")
  @DisplayName("an invalid list query fails BAD_REQUEST")
  void badListQuery(String label, JsonObject query, VertxTestContext ctx) {
    failure(Bus.request(node.vertx(), CatalogContract.LIST_PRODUCTS.address(), query, Duration.ofSeconds(10)))
        .onComplete(ctx.succeeding(error -> ctx.verify(() -> {
          assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          ctx.completeNow();
        })));
  }

  /** Ways to break a valid product, each with a word the error message must contain. */
  /** The invalid products of create, but for a missing stock: an update without one keeps the stock. */
  static Stream<Arguments> badUpdates() {
    return badProducts().filter(arguments -> !"stock missing".equals(arguments.get()[0]));
  }

  static Stream<Arguments> badProducts() {
    return Stream.of(
        bad("unknown field", p -> p.put("colour", "red"), "colour"),
        bad("id given", p -> p.put("id", UUID.randomUUID().toString()), "id"),
        bad("version given", p -> p.put("version", 3), "version"),
        bad("sku missing", p -> remove(p, "sku"), "sku"),
        bad("sku lower case", p -> p.put("sku", "abc-123"), "sku"),
        bad("sku too short", p -> p.put("sku", "AB"), "sku"),
        bad("sku too long", p -> p.put("sku", "A".repeat(41)), "sku"),
        bad("sku with a space", p -> p.put("sku", "AB C"), "sku"),
        bad("sku not text", p -> p.put("sku", 12345), "sku"),
        bad("name missing", p -> remove(p, "name"), "name"),
        bad("name blank", p -> p.put("name", "   "), "name"),
        bad("name too long", p -> p.put("name", "n".repeat(201)), "name"),
        bad("name with a control character", p -> p.put("name", "Bad\u0000name"), "name"),
        bad("name not text", p -> p.put("name", new JsonObject()), "name"),
        bad("description not text", p -> p.put("description", 5), "description"),
        bad("description with a NUL character", p -> p.put("description", "nul\u0000inside"), "description"),
        bad("description too long", p -> p.put("description", "d".repeat(4_001)), "description"),
        bad("category missing", p -> remove(p, "category"), "category"),
        bad("category malformed", p -> p.put("category", "Bad Category"), "category"),
        bad("category unknown", p -> p.put("category", CatalogFixtures.uniqueCategoryId()), "unknown category"),
        bad("price missing", p -> remove(p, "price"), "price"),
        bad("price not an object", p -> p.put("price", 100), "price"),
        bad("price negative", p -> price(p, "amount", -1), "price.amount"),
        bad("price absurd", p -> price(p, "amount", 1_000_000_001L), "price.amount"),
        bad("price fractional", p -> price(p, "amount", 12.5), "price.amount"),
        bad("price as text", p -> price(p, "amount", "100"), "price.amount"),
        bad("price amount missing", p -> {
          p.getJsonObject("price").remove("amount");
          return p;
        }, "price.amount"),
        bad("currency not EUR", p -> price(p, "currency", "USD"), "currency"),
        bad("price unknown field", p -> price(p, "tax", 20), "tax"),
        bad("stock missing", p -> remove(p, "stock"), "stock"),
        bad("stock negative", p -> p.put("stock", -1), "stock"),
        bad("stock absurd", p -> p.put("stock", 1_000_001), "stock"),
        bad("stock fractional", p -> p.put("stock", 1.5), "stock"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProducts")
  @DisplayName("create with an invalid product fails BAD_REQUEST and writes no product and no event")
  void createRejected(String label, UnaryOperator<JsonObject> breakIt, String mentioned, VertxTestContext ctx) {
    JsonObject body = breakIt.apply(product(uniqueSku("BAD"), "Valid name", category, 100, 1));
    rejection(null, () -> client.createProduct(body)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertRejected(r, ErrorCode.BAD_REQUEST, mentioned);
      ctx.completeNow();
    })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUpdates")
  @DisplayName("update with an invalid product fails BAD_REQUEST and leaves the product and the outbox as they were")
  void updateRejected(String label, UnaryOperator<JsonObject> breakIt, String mentioned, VertxTestContext ctx) {
    String sku = uniqueSku("BADUPD");
    client.createProduct(product(sku, "Valid name", category, 100, 1))
        .compose(created -> rejection(created.getString("id"), () -> client.updateProduct(created.getString("id"),
            breakIt.apply(product(sku, "Changed", category, 200, 2)), 1L)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertRejected(r, ErrorCode.BAD_REQUEST, mentioned);
          ctx.completeNow();
        })));
  }

  static Stream<Arguments> badUpdateEnvelopes() {
    String id = UUID.randomUUID().toString();
    return Stream.of(
        Arguments.of("unknown top-level field", (UnaryOperator<JsonObject>) b -> b.put("force", true), "force"),
        Arguments.of("version 0", (UnaryOperator<JsonObject>) b -> b.put("version", 0), "version"),
        Arguments.of("version as text", (UnaryOperator<JsonObject>) b -> b.put("version", "1"), "version"),
        Arguments.of("id malformed", (UnaryOperator<JsonObject>) b -> b.put("id", "123"), "id"),
        Arguments.of("id missing", (UnaryOperator<JsonObject>) b -> remove(b, "id"), "id"),
        Arguments.of("product missing", (UnaryOperator<JsonObject>) b -> remove(b, "product"), "product"),
        Arguments.of("product not an object", (UnaryOperator<JsonObject>) b -> b.put("product", "x"), "product"),
        Arguments.of("id of another product in the body", (UnaryOperator<JsonObject>) b -> {
          b.getJsonObject("product").put("id", id);
          return b;
        }, "product.id"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUpdateEnvelopes")
  @DisplayName("an update request of the wrong shape fails BAD_REQUEST and writes nothing")
  void badUpdateEnvelope(String label, UnaryOperator<JsonObject> breakIt, String mentioned, VertxTestContext ctx) {
    String sku = uniqueSku("ENV");
    client.createProduct(product(sku, "Envelope", category, 100, 1))
        .compose(created -> {
          JsonObject body = new JsonObject().put("id", created.getString("id"))
              .put("product", product(sku, "Changed", category, 100, 1)).put("version", 1);
          return rejection(created.getString("id"),
              () -> Bus.request(node.vertx(), CatalogContract.UPDATE_PRODUCT.address(), breakIt.apply(body), Duration.ofSeconds(10)));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertRejected(r, ErrorCode.BAD_REQUEST, mentioned);
          ctx.completeNow();
        })));
  }

  private static Future<Rejection> rejection(String productId, Supplier<Future<?>> request) {
    return CatalogFixtures.rejection(db, client::getProduct, productId, request);
  }

  /** The right code, a message naming the problem, and nothing written: no row, no event, no change. */
  private static void assertRejected(Rejection r, ErrorCode code, String mentioned) {
    assertThat(r.error().code()).isEqualTo(code);
    assertThat(r.error().getMessage()).contains(mentioned);
    assertThat(r.after()).as("products and outbox rows").isEqualTo(r.before());
    assertThat(r.productAfter()).as("the product").isEqualTo(r.productBefore());
  }

  private static Arguments bad(String label, UnaryOperator<JsonObject> breakIt, String mentioned) {
    return Arguments.of(label, breakIt, mentioned);
  }

  private static JsonObject price(JsonObject product, String field, Object value) {
    product.getJsonObject("price").put(field, value);
    return product;
  }

  private static JsonObject remove(JsonObject json, String field) {
    json.remove(field);
    return json;
  }

  /** Creates one product per name (with the price at the same index), in order. */
  private static Future<List<JsonObject>> createAll(String cat, List<String> names, List<Long> prices) {
    Future<List<JsonObject>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < names.size(); i++) {
      JsonObject fields = product(uniqueSku("LIST"), names.get(i), cat, prices.get(i), 1);
      chain = chain.compose(list -> client.createProduct(fields).map(created -> {
        list.add(created);
        return list;
      }));
    }
    return chain;
  }

  private static List<String> names(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("name")).toList();
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }
}
