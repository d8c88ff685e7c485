package dev.vertxshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.ListProducts;
import dev.vertxshop.contracts.catalog.ProductFields;
import dev.vertxshop.contracts.catalog.ReserveStock;
import dev.vertxshop.contracts.catalog.UpdateProduct;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.json.Fields;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.JsonValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the catalog's request validation: whatever JSON arrives, the only failure is a
 * BAD_REQUEST {@link ServiceException}; what is accepted obeys the rules; valid inputs are accepted as given.
 */
@Label("catalog validation: arbitrary bodies fail only as BAD_REQUEST, valid ones pass unchanged")
class ValidationPropertiesTest {

  private static final List<String> PRODUCT_PATHS = List.of("sku", "name", "description", "category", "price",
      "price.amount", "price.currency", "stock");

  @Property(tries = 1000)
  @Label("CreateProduct.fromJson: any JSON value, or a valid product with one field changed, is accepted by the rules or BAD_REQUEST")
  void productInputNeverFailsOtherwise(@ForAll("productBodies") Object body) {
    CreateProduct create = outcome(() -> CreateProduct.fromJson(body));
    covered(create);
    if (create != null) {
      ProductFields input = create.product();
      assertThat(input.sku()).matches(ProductFields.SKU);
      assertThat(input.name()).isNotBlank().hasSizeLessThanOrEqualTo(ProductFields.MAX_NAME);
      assertThat(input.description()).hasSizeLessThanOrEqualTo(ProductFields.MAX_DESCRIPTION).doesNotContain("\0");
      assertThat(input.category()).matches(ProductFields.CATEGORY);
      assertThat(input.price().amount()).isBetween(0L, ProductFields.MAX_PRICE);
      assertThat(input.price().currency()).isEqualTo("EUR");
      assertThat(input.stock()).isBetween(0, ProductFields.MAX_STOCK);
    }
  }

  @Property(tries = 500)
  @Label("UpdateProduct.fromJson: every valid product is accepted with exactly its values (name and description trimmed)")
  void validProductsAccepted(@ForAll("validProducts") JsonObject body) {
    ProductFields input = UpdateProduct.fromJson(new JsonObject().put("id", UUID.randomUUID().toString()).put("product", body)).product();
    assertThat(input.sku()).isEqualTo(body.getString("sku"));
    assertThat(input.name()).isEqualTo(body.getString("name").strip());
    assertThat(input.description()).isEqualTo(body.getString("description").strip());
    assertThat(input.category()).isEqualTo(body.getString("category"));
    assertThat(input.price().amount()).isEqualTo(body.getJsonObject("price").getLong("amount"));
    assertThat(input.stock()).isEqualTo(body.getInteger("stock"));
  }

  @Property(tries = 1000)
  @Label("ListProducts.fromJson: any query is a page within bounds or BAD_REQUEST")
  void listQueryNeverFailsOtherwise(@ForAll("listQueries") JsonObject query) {
    ListProducts parsed = outcome(() -> ListProducts.fromJson(query));
    covered(parsed);
    if (parsed != null) {
      assertThat(parsed.page()).isBetween(1, ListProducts.MAX_PAGE);
      assertThat(parsed.size()).isBetween(1, 100);
      assertThat(parsed.offset()).isEqualTo((long) (parsed.page() - 1) * parsed.size()).isNotNegative();
      assertThat(CatalogQueries.sortKeys()).contains(parsed.sort());
      assertThat(ListProducts.SORTS).containsExactlyInAnyOrderElementsOf(CatalogQueries.sortKeys());
    }
  }

  @Property(tries = 1000)
  @Label("ReserveStock.fromJson: any body is a reservation within bounds or BAD_REQUEST")
  void reservationNeverFailsOtherwise(@ForAll("reservationBodies") Object body) {
    ReserveStock request = outcome(() -> ReserveStock.fromJson(body));
    covered(request);
    if (request != null) {
      assertThat(request.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(ReserveStock.MAX_LINES);
      request.lines().forEach(line -> assertThat(line.quantity()).isBetween(1, ReserveStock.MAX_QUANTITY));
    }
  }

  @Property(tries = 500)
  @Label("ReservationStore.merged: lines of one product are merged into their exact sum, in the database's id order")
  void reservationMergesExactly(@ForAll("validReservations") JsonObject body) {
    List<ReservationStore.Line> lines = ReservationStore.merged(ReserveStock.fromJson(body).lines());
    Map<UUID, BigInteger> expected = new HashMap<>();
    for (Object line : body.getJsonArray("lines")) {
      JsonObject json = (JsonObject) line;
      expected.merge(UUID.fromString(json.getString("productId")), BigInteger.valueOf(json.getInteger("quantity")), BigInteger::add);
    }
    assertThat(lines).hasSize(expected.size());
    lines.forEach(line -> assertThat(BigInteger.valueOf(line.quantity())).isEqualTo(expected.get(line.productId())));
    List<String> ids = lines.stream().map(line -> line.productId().toString()).toList();
    assertThat(ids).isSorted();
  }

  @Property(tries = 1000)
  @Label("Fields.integer: a number is accepted exactly when it is a whole number of an integral type within the range")
  void integersExact(@ForAll("numbers") Object value, @ForAll("ranges") long[] range) {
    JsonObject json = new JsonObject().put("n", value);
    Long read = outcome(() -> Fields.of(json).integer("n", range[0], range[1]));
    boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    boolean inRange = integral && ((Number) value).longValue() >= range[0] && ((Number) value).longValue() <= range[1];
    assertThat(read != null).as("accepted %s in %s..%s", value, range[0], range[1]).isEqualTo(inRange);
    if (read != null) {
      assertThat(read).isEqualTo(((Number) value).longValue());
    }
  }

  @Provide
  Arbitrary<Object> productBodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, JsonValues.any(3)),
        Tuple.of(1, JsonValues.objects(2, "sku", "name", "description", "category", "price", "stock").map(o -> (Object) o)),
        Tuple.of(5, JsonValues.mutated(validProducts(), PRODUCT_PATHS).map(o -> (Object) o)),
        Tuple.of(2, validProducts().map(o -> (Object) o)));
  }

  @Provide
  Arbitrary<JsonObject> validProducts() {
    Arbitrary<String> sku = Combinators.combine(
            Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(1),
            Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').withChars('-').ofMinLength(1).ofMaxLength(38),
            Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(1))
        .as((a, b, c) -> a + b + c);
    Arbitrary<String> name = Arbitraries.strings().withCharRange('!', '~').withChars('é', '€', 'ß', '中')
        .ofMinLength(1).ofMaxLength(200).map(n -> "  " + n + " ");
    Arbitrary<String> description = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', 'ü').ofMaxLength(300);
    Arbitrary<String> category = Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1),
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-').ofMaxLength(63))
        .as((a, b) -> a + b);
    Arbitrary<Long> amount = Arbitraries.longs().between(0, ProductFields.MAX_PRICE);
    Arbitrary<Integer> stock = Arbitraries.integers().between(0, ProductFields.MAX_STOCK);
    return Combinators.combine(sku, name, description, category, amount, stock).as((s, n, d, c, a, st) -> new JsonObject()
        .put("sku", s).put("name", n).put("description", d).put("category", c)
        .put("price", new JsonObject().put("amount", a).put("currency", "EUR")).put("stock", st));
  }

  @Provide
  Arbitrary<JsonObject> listQueries() {
    return Arbitraries.oneOf(
        JsonValues.objects(1, "page", "size", "category", "sort"),
        Combinators.combine(Arbitraries.integers().between(-2, 100_002), Arbitraries.integers().between(-1, 102),
                Arbitraries.of("name", "-name", "price", "-price", "id", "", "NAME"))
            .as((page, size, sort) -> new JsonObject().put("page", page).put("size", size).put("sort", sort)));
  }

  @Provide
  Arbitrary<Object> reservationBodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, JsonValues.any(3)),
        Tuple.of(1, JsonValues.objects(3, "orderId", "lines").map(o -> (Object) o)),
        Tuple.of(3, JsonValues.mutated(validReservations(), List.of("orderId", "lines")).map(o -> (Object) o)),
        // One line changed in place: the per-line checks.
        Tuple.of(3, Combinators.combine(validReservations(), JsonValues.any(1), Arbitraries.of("productId", "quantity", "extra"))
            .as((body, value, field) -> {
              JsonObject copy = body.copy();
              copy.getJsonArray("lines").getJsonObject(0).put(field, value);
              return (Object) copy;
            })),
        Tuple.of(2, validReservations().map(o -> (Object) o)));
  }

  @Provide
  Arbitrary<JsonObject> validReservations() {
    Arbitrary<String> ids = Arbitraries.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID())
        .map(UUID::toString);
    Arbitrary<JsonObject> line = Combinators.combine(ids, Arbitraries.integers().between(1, ReserveStock.MAX_QUANTITY))
        .as((id, quantity) -> new JsonObject().put("productId", id).put("quantity", quantity));
    return line.list().ofMinSize(1).ofMaxSize(ReserveStock.MAX_LINES)
        .map(lines -> new JsonObject().put("orderId", UUID.randomUUID().toString()).put("lines", new JsonArray(List.copyOf(lines))));
  }

  @Provide
  Arbitrary<Object> numbers() {
    return JsonValues.numbers();
  }

  @Provide
  Arbitrary<long[]> ranges() {
    return Combinators.combine(Arbitraries.longs().between(-1_000, 1_000_000_000L), Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as((min, span) -> new long[] {min, span > Long.MAX_VALUE - min ? Long.MAX_VALUE : min + span})
        .filter(range -> range[0] <= range[1]);
  }

  /** Counts accepted and refused inputs, and fails the property unless both happened: it must not hold vacuously. */
  private static void covered(Object accepted) {
    Statistics.label("outcome").collect(accepted != null ? "accepted" : "refused");
    Statistics.label("outcome").coverage(coverage -> {
      coverage.check("accepted").count(count -> count > 0);
      coverage.check("refused").count(count -> count > 0);
    });
  }

  /** The value, or null when refused as BAD_REQUEST; any other outcome fails the property. */
  private static <T> T outcome(Supplier<T> call) {
    try {
      return call.get();
    } catch (ServiceException e) {
      assertThat(e.code()).as("code of '%s'", e.getMessage()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
  }
}
