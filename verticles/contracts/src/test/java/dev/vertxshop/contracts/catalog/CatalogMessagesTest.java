package dev.vertxshop.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("catalog messages: what toJson writes, fromJson reads back equal, through the wire's text; what the contract refuses, both sides refuse")
class CatalogMessagesTest {

  @Property(tries = 200)
  @Label("Product, and the ProductUpserted event that carries it")
  void product(@ForAll("products") Product product) {
    assertThat(Product.fromJson(wire(product.toJson()))).isEqualTo(product);
    ProductUpserted event = new ProductUpserted(product);
    assertThat(ProductUpserted.fromJson(wire(event.toJson()))).isEqualTo(event);
    assertThat(event.key()).isEqualTo(product.id().toString());
  }

  @Property(tries = 200)
  @Label("Money")
  void money(@ForAll("money") Money money) {
    assertThat(Money.fromJson(wire(money.toJson()))).isEqualTo(money);
  }

  @Property(tries = 200)
  @Label("CreateProduct and UpdateProduct, with the product's fields")
  void writes(@ForAll("fields") ProductFields fields, @ForAll("versions") Long version) {
    if (fields.stock() != null) {
      CreateProduct create = new CreateProduct(fields);
      assertThat(CreateProduct.fromJson(wire(create.toJson()))).isEqualTo(create);
    }
    UpdateProduct update = new UpdateProduct(UUID.randomUUID(), fields, version);
    assertThat(UpdateProduct.fromJson(wire(update.toJson()))).isEqualTo(update);
  }

  @Property(tries = 200)
  @Label("GetProduct, GetProducts, ProductList")
  void reads(@ForAll("uuidLists") List<UUID> ids, @ForAll("productLists") List<Product> products) {
    GetProduct get = new GetProduct(ids.get(0));
    assertThat(GetProduct.fromJson(wire(get.toJson()))).isEqualTo(get);
    GetProducts many = new GetProducts(ids);
    assertThat(GetProducts.fromJson(wire(many.toJson()))).isEqualTo(many);
    ProductList list = new ProductList(products);
    assertThat(ProductList.fromJson(wire(list.toJson()))).isEqualTo(list);
  }

  @Property(tries = 200)
  @Label("ListProducts and ProductPage")
  void pages(@ForAll("listRequests") ListProducts request, @ForAll("productLists") List<Product> products,
      @ForAll("totals") long total) {
    assertThat(ListProducts.fromJson(wire(request.toJson()))).isEqualTo(request);
    ProductPage page = new ProductPage(products, request.page(), request.size(), total);
    assertThat(ProductPage.fromJson(wire(page.toJson()))).isEqualTo(page);
  }

  @Property(tries = 200)
  @Label("AdjustStock and StockAdjusted")
  void adjust(@ForAll("adjustments") AdjustStock request, @ForAll("totals") long held) {
    assertThat(AdjustStock.fromJson(wire(request.toJson()))).isEqualTo(request);
    StockAdjusted reply = new StockAdjusted(request.productId(), request.delta(), request.reason(), 12, held,
        request.version() == null ? 1 : request.version());
    assertThat(StockAdjusted.fromJson(wire(reply.toJson()))).isEqualTo(reply);
  }

  @Property(tries = 200)
  @Label("ReserveStock, Reservation, ReservationOf and ReservationStatus")
  void reservations(@ForAll("reserves") ReserveStock request, @ForAll("products") Product product) {
    assertThat(ReserveStock.fromJson(wire(request.toJson()))).isEqualTo(request);
    List<Reservation.Line> lines = request.lines().stream()
        .map(line -> new Reservation.Line(line.productId(), product.name(), line.quantity(), product.price())).toList();
    for (String state : List.of(Reservation.HELD, Reservation.COMMITTED)) {
      Reservation reservation = Reservation.of(request.orderId(), state, lines);
      assertThat(Reservation.fromJson(wire(reservation.toJson()))).isEqualTo(reservation);
    }
    ReservationOf of = new ReservationOf(request.orderId());
    assertThat(ReservationOf.fromJson(wire(of.toJson()))).isEqualTo(of);
    for (String status : ReservationStatus.STATUSES) {
      ReservationStatus reply = new ReservationStatus(request.orderId(), status);
      assertThat(ReservationStatus.fromJson(wire(reply.toJson()))).isEqualTo(reply);
    }
  }

  @Property(tries = 100)
  @Label("ListCategories and Categories")
  void categories(@ForAll("categoryLists") List<Category> items) {
    assertThat(ListCategories.fromJson(wire(new ListCategories().toJson()))).isEqualTo(new ListCategories());
    Categories categories = new Categories(items);
    assertThat(Categories.fromJson(wire(categories.toJson()))).isEqualTo(categories);
  }

  @Example
  @Label("defaults: a list is page 1, size 20, by name; a create's description may be absent (empty), names are trimmed")
  void defaults() {
    assertThat(ListProducts.fromJson(new JsonObject())).isEqualTo(new ListProducts(1, 20, null, "name"));
    ProductFields fields = CreateProduct.fromJson(validProduct().put("name", "  Lamp ")).product();
    assertThat(fields.name()).isEqualTo("Lamp");
    assertThat(CreateProduct.fromJson(without(validProduct(), "description")).product().description()).isEmpty();
  }

  @Example
  @Label("the service's refusals, each BAD_REQUEST naming the field by its path")
  void refusals() {
    assertRefused(CreateProduct::fromJson, validProduct().put("colour", "red"), "unknown field 'colour'");
    assertRefused(CreateProduct::fromJson, validProduct().put("id", UUID.randomUUID().toString()), "unknown field 'id'");
    assertRefused(CreateProduct::fromJson, without(validProduct(), "stock"), "'stock' is required");
    assertRefused(CreateProduct::fromJson, validProduct().put("sku", "ab"), "'sku' must be 3 to 40 upper-case letters");
    assertRefused(CreateProduct::fromJson, validProduct().put("name", " "), "'name' must not be blank");
    assertRefused(CreateProduct::fromJson, validProduct().put("price", Money.eur(1).toJson().put("currency", "USD")),
        "'price.currency' must be EUR");
    assertRefused(CreateProduct::fromJson, validProduct().put("price", new JsonObject().put("amount", 1.5).put("currency", "EUR")),
        "'price.amount' must be an integer, not a fraction");
    assertRefused(CreateProduct::fromJson, validProduct().put("price", Money.eur(1).toJson().put("vat", 0)), "unknown field 'price.vat'");
    assertRefused(CreateProduct::fromJson, "{}", "must be a JSON object");
    JsonObject update = new JsonObject().put("id", UUID.randomUUID().toString()).put("product", validProduct());
    assertRefused(UpdateProduct::fromJson, update.copy().put("force", true), "unknown field 'force'");
    assertRefused(UpdateProduct::fromJson, update.copy().put("version", 0), "'version' must be an integer between 1");
    assertRefused(UpdateProduct::fromJson, update.copy().put("product", validProduct().put("sku", "x")), "'product.sku'");
    assertRefused(UpdateProduct::fromJson, update.copy().put("id", "1-1-1-1-1"), "'id' is not a UUID");
    assertRefused(GetProducts::fromJson, new JsonObject().put("ids", new JsonArray()), "'ids' must be an array of 1 to 100 product ids");
    assertRefused(GetProducts::fromJson, new JsonObject().put("ids", new JsonArray().add(42)), "'ids[0]' is not a UUID");
    assertRefused(ListProducts::fromJson, new JsonObject().put("sort", "stock"), "'sort' must be one of name, -name, price, -price");
    assertRefused(ListProducts::fromJson, new JsonObject().put("size", 101), "'size' must be an integer between 1 and 100");
    assertRefused(ListProducts::fromJson, new JsonObject().put("pages", 1), "unknown field 'pages'");
    JsonObject adjust = new JsonObject().put("productId", UUID.randomUUID().toString()).put("delta", 0).put("reason", "x");
    assertRefused(AdjustStock::fromJson, adjust, "'delta' must not be 0");
    assertRefused(AdjustStock::fromJson, adjust.copy().put("delta", 1).put("reason", "  "), "'reason' must be 1 to 200 printable");
    JsonObject reserve = new JsonObject().put("orderId", UUID.randomUUID().toString())
        .put("lines", new JsonArray().add(new JsonObject().put("productId", UUID.randomUUID().toString()).put("quantity", 100)));
    assertRefused(ReserveStock::fromJson, reserve, "'lines[0].quantity' must be an integer between 1 and 99");
    assertRefused(ReserveStock::fromJson, reserve.copy().put("lines", new JsonArray().add("x")), "'lines[0]' must be an object");
    assertRefused(ReserveStock::fromJson, reserve.copy().put("lines", new JsonArray()), "'lines' must be an array of 1 to 50 lines");
    assertRefused(ReservationOf::fromJson, new JsonObject().put("orderId", UUID.randomUUID().toString()).put("x", 1), "unknown field 'x'");
    assertRefused(ListCategories::fromJson, new JsonObject().put("all", true), "unknown field 'all'");
  }

  @Example
  @Label("the records hold the same rules: a client cannot build what the catalog would refuse")
  void recordsCheck() {
    assertBad(() -> new ProductFields("ok-sku", "Lamp", "", "lamps", Money.eur(1), 1));
    assertBad(() -> new ProductFields("SKU-1", "Lamp", "", "lamps", new Money(1, "USD"), 1));
    assertBad(() -> new ProductFields("SKU-1", "Lamp", "", "lamps", Money.eur(ProductFields.MAX_PRICE + 1), 1));
    assertBad(() -> new CreateProduct(new ProductFields("SKU-1", "Lamp", "", "lamps", Money.eur(1), null)));
    assertBad(() -> new ListProducts(0, 20, null, null));
    assertBad(() -> new AdjustStock(UUID.randomUUID(), 0, "none", null));
    assertBad(() -> new ReserveStock(UUID.randomUUID(), List.of()));
    assertBad(() -> new ReserveStock.Line(UUID.randomUUID(), 100));
    assertBad(() -> new GetProducts(List.of()));
  }

  @Provide
  Arbitrary<Product> products() {
    Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_000_000_000_000_000L)
        .map(micros -> Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000));
    return Combinators.combine(uuids(), fields(), Arbitraries.integers().between(0, ProductFields.MAX_STOCK),
            Arbitraries.longs().between(1, Long.MAX_VALUE), instants, instants)
        .as((id, f, stock, version, created, updated) ->
            new Product(id, f.sku(), f.name(), f.description(), f.category(), f.price(), stock, version, created, updated));
  }

  @Provide
  Arbitrary<List<Product>> productLists() {
    return products().list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<Money> money() {
    return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of("EUR", "USD", "CHF", "JPY"))
        .as(Money::new);
  }

  @Provide
  Arbitrary<ProductFields> fields() {
    Arbitrary<String> sku = Combinators.combine(
            Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(1),
            Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').withChars('-').ofMinLength(1).ofMaxLength(38),
            Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(1))
        .as((a, b, c) -> a + b + c);
    Arbitrary<String> name = Arbitraries.strings().withCharRange('!', '~').withChars('é', '€', '中').ofMinLength(1).ofMaxLength(200);
    Arbitrary<String> description = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', 'ü').ofMaxLength(300);
    Arbitrary<String> category = Arbitraries.strings().withCharRange('a', 'z').withChars('-').ofMaxLength(30).map(s -> "c" + s);
    Arbitrary<Money> price = Arbitraries.longs().between(0, ProductFields.MAX_PRICE).map(Money::eur);
    Arbitrary<Integer> stock = Arbitraries.integers().between(0, ProductFields.MAX_STOCK).injectNull(0.3);
    return Combinators.combine(sku, name, description, category, price, stock).as(ProductFields::new);
  }

  @Provide
  Arbitrary<Long> versions() {
    return Arbitraries.longs().between(1, Long.MAX_VALUE).injectNull(0.3);
  }

  @Provide
  Arbitrary<List<UUID>> uuidLists() {
    return uuids().list().ofMinSize(1).ofMaxSize(GetProducts.MAX_IDS);
  }

  @Provide
  Arbitrary<ListProducts> listRequests() {
    return Combinators.combine(Arbitraries.integers().between(1, ListProducts.MAX_PAGE), Arbitraries.integers().between(1, ListProducts.MAX_SIZE),
            Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(20).map(s -> "k" + s).injectNull(0.5),
            Arbitraries.of(ListProducts.SORTS).injectNull(0.2))
        .as(ListProducts::new);
  }

  @Provide
  Arbitrary<Long> totals() {
    return Arbitraries.longs().between(0, Long.MAX_VALUE);
  }

  @Provide
  Arbitrary<AdjustStock> adjustments() {
    Arbitrary<Integer> delta = Arbitraries.integers().between(-AdjustStock.MAX_DELTA, AdjustStock.MAX_DELTA).filter(d -> d != 0);
    Arbitrary<String> reason = Arbitraries.strings().withCharRange('!', '~').withChars(' ', 'ä').ofMinLength(1).ofMaxLength(AdjustStock.MAX_REASON)
        .filter(s -> !s.isBlank());
    return Combinators.combine(uuids(), delta, reason, versions()).as(AdjustStock::new);
  }

  @Provide
  Arbitrary<ReserveStock> reserves() {
    Arbitrary<ReserveStock.Line> line = Combinators.combine(uuids(), Arbitraries.integers().between(1, ReserveStock.MAX_QUANTITY))
        .as(ReserveStock.Line::new);
    return Combinators.combine(uuids(), line.list().ofMinSize(1).ofMaxSize(ReserveStock.MAX_LINES)).as(ReserveStock::new);
  }

  @Provide
  Arbitrary<List<Category>> categoryLists() {
    return Combinators.combine(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20),
        Arbitraries.strings().ofMaxLength(60)).as(Category::new).list().ofMaxSize(10);
  }

  private static Arbitrary<UUID> uuids() {
    return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
  }

  private static JsonObject validProduct() {
    return new ProductFields("SKU-1", "Lamp", "A lamp", "lamps", Money.eur(1_999), 3).toJson();
  }

  private static JsonObject without(JsonObject json, String field) {
    json.remove(field);
    return json;
  }

  /** As it arrives from another JVM: encoded to text and parsed again. */
  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  private static void assertRefused(Function<Object, ?> reader, Object body, String message) {
    assertThatThrownBy(() -> reader.apply(body))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(e.getMessage()).contains(message);
        });
  }

  private static void assertBad(Runnable build) {
    assertThatThrownBy(build::run)
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
