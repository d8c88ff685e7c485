package dev.vertxshop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.Product;
import dev.vertxshop.contracts.catalog.ProductUpserted;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The search consumer takes every version of the product event the catalog emits: the event record of the
 * contract ({@link ProductUpserted}, the only version so far), the same document as the first release wrote
 * it, and a later version that adds fields. What it indexes is the product as published, which reads back as
 * the contract's {@link Product}.
 */
@Label("search takes every ProductUpserted version the catalog emits")
class ProductEventVersionsTest {

  private static final String TOPIC = CatalogContract.PRODUCTS_TOPIC;

  @Property(tries = 300)
  @Label("the contract's event, in the envelope the outbox relay writes, is accepted and indexed as the product")
  void currentVersion(@ForAll("products") Product product) {
    ProductUpserted event = new ProductUpserted(product);
    ProductChange change = accepted(envelope(event.key(), event.toJson()));
    assertThat(change.id()).isEqualTo(product.id().toString());
    assertThat(Product.fromJson(change.product())).isEqualTo(product);
  }

  @Property(tries = 100)
  @Label("a later version with added fields is still accepted (consumers read events tolerantly)")
  void addedFields(@ForAll("products") Product product) {
    JsonObject data = product.toJson().put("brand", "Acme").put("images", new io.vertx.core.json.JsonArray().add("a.png"));
    ProductChange change = accepted(envelope(product.id().toString(), data));
    assertThat(change.product().getString("name")).isEqualTo(product.name());
  }

  @Example
  @Label("the first release's document, as written since the catalog's first commit, is accepted")
  void firstRelease() {
    String id = UUID.randomUUID().toString();
    JsonObject data = new JsonObject("{\"id\":\"" + id + "\",\"sku\":\"LAMP-1\",\"name\":\"Lamp\",\"description\":\"A lamp\","
        + "\"category\":\"lighting\",\"price\":{\"amount\":1999,\"currency\":\"EUR\"},\"stock\":4,\"version\":3,"
        + "\"createdAt\":\"2026-11-01T10:00:00.123456Z\",\"updatedAt\":\"2026-11-02T10:00:00Z\"}");
    ProductChange change = accepted(envelope(id, data));
    assertThat(Product.fromJson(change.product())).isEqualTo(new Product(UUID.fromString(id), "LAMP-1", "Lamp", "A lamp", "lighting",
        Money.eur(1_999), 4, 3, Instant.parse("2026-11-01T10:00:00.123456Z"), Instant.parse("2026-11-02T10:00:00Z")));
  }

  @Provide
  Arbitrary<Product> products() {
    Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_000_000_000_000_000L)
        .map(micros -> Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000));
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '中', '\n').ofMaxLength(200);
    Arbitrary<String> name = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(100);
    Arbitrary<String> category = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(20).map(s -> "c" + s);
    Arbitrary<Money> price = Arbitraries.longs().between(0, 1_000_000_000L).map(Money::eur);
    return Combinators.combine(name, text, category, price, Arbitraries.integers().between(0, 1_000_000),
            Arbitraries.longs().between(1, Long.MAX_VALUE), instants, instants)
        .as((n, d, c, p, stock, version, created, updated) ->
            new Product(UUID.randomUUID(), "SKU-1", n, d, c, p, stock, version, created, updated));
  }

  /** The record's value as the catalog's outbox relay publishes it. */
  private static String envelope(String key, JsonObject data) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", ProductUpserted.TYPE).put("key", key)
        .put("occurredAt", Instant.now().toString()).put("data", data).encode();
  }

  private static ProductChange accepted(String value) {
    Optional<ProductChange> change = ProductChange.from(TOPIC, 0, 7L, null, value);
    assertThat(change).isPresent();
    assertThat(change.get().isRemoval()).isFalse();
    return change.get();
  }
}
