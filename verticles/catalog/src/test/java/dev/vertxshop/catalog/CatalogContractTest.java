package dev.vertxshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.AdjustStock;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.Categories;
import dev.vertxshop.contracts.catalog.Category;
import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.GetProduct;
import dev.vertxshop.contracts.catalog.GetProducts;
import dev.vertxshop.contracts.catalog.ListCategories;
import dev.vertxshop.contracts.catalog.ListProducts;
import dev.vertxshop.contracts.catalog.Product;
import dev.vertxshop.contracts.catalog.ProductFields;
import dev.vertxshop.contracts.catalog.ProductList;
import dev.vertxshop.contracts.catalog.ProductPage;
import dev.vertxshop.contracts.catalog.ProductUpserted;
import dev.vertxshop.contracts.catalog.Reservation;
import dev.vertxshop.contracts.catalog.ReservationOf;
import dev.vertxshop.contracts.catalog.ReservationStatus;
import dev.vertxshop.contracts.catalog.ReserveStock;
import dev.vertxshop.contracts.catalog.StockAdjusted;
import dev.vertxshop.contracts.catalog.UpdateProduct;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.bus.Route;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The catalog's contract from the client's side, against the real handlers over PostgreSQL: every route
 * accepts what the typed {@link CatalogClient} sends, its replies read back with the client's records, and
 * the same request sent as its JSON (as it is on the wire, or from a client without the records) is served
 * the same way.
 */
@DisplayName("catalog contract: the handlers take what the typed client sends, and the replies read with its records")
class CatalogContractTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static ShopNode node;
  private static Pool db;
  private static CatalogClient client;
  private static String category;

  @BeforeAll
  static void startNode() throws Exception {
    Env env = ShopTestEnv.shared(Map.of());
    node = await(ShopNode.start(env, List.of(new CatalogService()), false));
    db = CatalogFixtures.pool(node.vertx(), env);
    client = new CatalogClient(node.vertx(), DEADLINE);
    category = await(CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "Contract tests"));
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
  @DisplayName("products: create, get, getMany, list and update through the typed client, each reply a record that reads back equal")
  void products() throws Exception {
    ProductFields fields = fields(CatalogFixtures.uniqueSku("CONTRACT"), "  Contract lamp ", 1_999, 7);
    Product created = await(client.createProduct(new CreateProduct(fields)));
    assertThat(created.name()).isEqualTo("Contract lamp");
    assertThat(created.price()).isEqualTo(Money.eur(1_999));
    assertThat(created.stock()).isEqualTo(7);
    assertThat(created.version()).isEqualTo(1L);
    readsBack(CatalogContract.CREATE_PRODUCT, created);

    Product got = await(client.getProduct(new GetProduct(created.id())));
    assertThat(got).isEqualTo(created);
    readsBack(CatalogContract.GET_PRODUCT, got);

    ProductList many = await(client.getProducts(new GetProducts(List.of(UUID.randomUUID(), created.id(), created.id()))));
    assertThat(many.items()).containsExactly(created);
    readsBack(CatalogContract.GET_PRODUCTS, many);

    ProductPage page = await(client.listProducts(new ListProducts(1, 10, category, "-price")));
    assertThat(page.items()).contains(created);
    assertThat(page.size()).isEqualTo(10);
    readsBack(CatalogContract.LIST_PRODUCTS, page);

    ProductFields renamed = fields(created.sku(), "Contract lamp, renamed", 2_499, null);
    Product updated = await(client.updateProduct(new UpdateProduct(created.id(), renamed, created.version())));
    assertThat(updated.name()).isEqualTo("Contract lamp, renamed");
    assertThat(updated.price()).isEqualTo(Money.eur(2_499));
    assertThat(updated.stock()).as("stock left out: kept").isEqualTo(7);
    assertThat(updated.version()).isEqualTo(2L);
    readsBack(CatalogContract.UPDATE_PRODUCT, updated);

    // The event published for the change is the product as the routes answer it.
    List<CatalogFixtures.OutboxRow> events = await(CatalogFixtures.outboxFor(db, created.id().toString()));
    assertThat(events).extracting(CatalogFixtures.OutboxRow::type).containsOnly(ProductUpserted.TYPE);
    assertThat(ProductUpserted.fromJson(events.get(events.size() - 1).payload()).product()).isEqualTo(updated);
  }

  @Test
  @DisplayName("stock and categories: adjust, reserve, commit, release and the category list through the typed client")
  void stockAndCategories() throws Exception {
    Product product = await(client.createProduct(new CreateProduct(fields(CatalogFixtures.uniqueSku("CSTOCK"), "Contract desk", 10_000, 10))));
    StockAdjusted adjusted = await(client.adjustStock(new AdjustStock(product.id(), 5, " delivery 7 ", product.version())));
    assertThat(adjusted).isEqualTo(new StockAdjusted(product.id(), 5, "delivery 7", 15, 0, 2));
    readsBack(CatalogContract.ADJUST_STOCK, adjusted);

    UUID order = UUID.randomUUID();
    ReserveStock reserve = new ReserveStock(order, List.of(new ReserveStock.Line(product.id(), 2), new ReserveStock.Line(product.id(), 3)));
    Reservation reserved = await(client.reserveStock(reserve));
    assertThat(reserved).isEqualTo(Reservation.of(order, Reservation.HELD,
        List.of(new Reservation.Line(product.id(), "Contract desk", 5, Money.eur(10_000)))));
    readsBack(CatalogContract.RESERVE_STOCK, reserved);

    ReservationStatus committed = await(client.commitStock(new ReservationOf(order)));
    assertThat(committed).isEqualTo(new ReservationStatus(order, ReservationStatus.COMMITTED));
    readsBack(CatalogContract.COMMIT_STOCK, committed);
    assertThat(await(client.reserveStock(reserve)).state()).isEqualTo(Reservation.COMMITTED);

    UUID never = UUID.randomUUID();
    ReservationStatus none = await(client.releaseStock(new ReservationOf(never)));
    assertThat(none).isEqualTo(new ReservationStatus(never, ReservationStatus.NONE));
    readsBack(CatalogContract.RELEASE_STOCK, none);

    Categories categories = await(client.listCategories());
    assertThat(categories.items()).contains(new Category(category, "Contract tests"));
    readsBack(CatalogContract.LIST_CATEGORIES, categories);
  }

  @Test
  @DisplayName("a request sent as its JSON is served as the record: the same reply for every read, a product for a create")
  void jsonIsTheSameRequest() throws Exception {
    Product created = await(client.createProduct(new CreateProduct(fields(CatalogFixtures.uniqueSku("CJSON"), "Contract chair", 4_999, 3))));
    assertSameAsJson(CatalogContract.GET_PRODUCT, new GetProduct(created.id()));
    assertSameAsJson(CatalogContract.GET_PRODUCTS, new GetProducts(List.of(created.id())));
    assertSameAsJson(CatalogContract.LIST_PRODUCTS, new ListProducts(1, 5, category, null));
    assertSameAsJson(CatalogContract.LIST_CATEGORIES, new ListCategories());

    CreateProduct another = new CreateProduct(fields(CatalogFixtures.uniqueSku("CJSON"), "Contract stool", 999, 1));
    Product fromJson = CatalogContract.CREATE_PRODUCT.readReply().apply(CatalogJsonClient.json(
        await(Bus.request(node.vertx(), CatalogContract.CREATE_PRODUCT.address(), another.toJson(), DEADLINE))));
    assertThat(fromJson.sku()).isEqualTo(another.product().sku());
    assertThat(fromJson.price()).isEqualTo(another.product().price());
  }

  /** The reply of {@code route} from {@code request} as a record equals that of its JSON, read with the route's reader. */
  private static <Q extends BusMessage, R> void assertSameAsJson(Route<Q, R> route, Q request) throws Exception {
    R typed = await(Bus.call(node.vertx(), route, request, DEADLINE));
    Object reply = await(Bus.request(node.vertx(), route.address(), request.toJson(), DEADLINE));
    assertThat(route.readReply().apply(CatalogJsonClient.json(reply))).as(route.address()).isEqualTo(typed);
  }

  /** What the handler answered, written as JSON and read with the route's reply reader, is the same record. */
  private static <R> void readsBack(Route<?, R> route, R reply) {
    JsonObject json = new JsonObject(((BusMessage) reply).toJson().encode());
    assertThat(route.readReply().apply(json)).as(route.address()).isEqualTo(reply);
  }

  private static ProductFields fields(String sku, String name, long price, Integer stock) {
    return new ProductFields(sku, name, "Contract test product", category, Money.eur(price), stock);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
