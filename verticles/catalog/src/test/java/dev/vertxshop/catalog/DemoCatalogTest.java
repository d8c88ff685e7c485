package dev.vertxshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.ProductFields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("demo catalog generator")
class DemoCatalogTest {

  @Test
  @DisplayName("10 categories of 30 products, unique skus and ids, ids derived from the sku")
  void shape() {
    assertThat(DemoCatalog.categories()).hasSize(10);
    assertThat(DemoCatalog.categories()).allSatisfy(c -> assertThat(c.id()).matches(ProductFields.CATEGORY));
    assertThat(DemoCatalog.products()).hasSize(300);
    assertThat(DemoCatalog.products().stream().map(DemoCatalog.Product::sku).distinct()).hasSize(300);
    assertThat(DemoCatalog.products().stream().map(DemoCatalog.Product::id).distinct()).hasSize(300);
    assertThat(DemoCatalog.products()).allSatisfy(p -> assertThat(p.id()).isEqualTo(DemoCatalog.productId(p.sku())));
    Set<String> categories = DemoCatalog.categories().stream().map(DemoCatalog.Category::id).collect(Collectors.toSet());
    assertThat(DemoCatalog.products().stream().collect(Collectors.groupingBy(DemoCatalog.Product::category, Collectors.counting())))
        .hasSize(10)
        .allSatisfy((category, count) -> {
          assertThat(categories).contains(category);
          assertThat(count).isEqualTo(30L);
        });
  }

  @Test
  @DisplayName("every demo product passes the same validation as a product created through the API")
  void everyProductIsValid() {
    assertThat(DemoCatalog.products()).allSatisfy(p -> {
      JsonObject fields = new JsonObject()
          .put("sku", p.sku())
          .put("name", p.name())
          .put("description", p.description())
          .put("category", p.category())
          .put("price", Money.eur(p.priceMinor()).toJson())
          .put("stock", p.stock());
      assertThat(CreateProduct.fromJson(fields).product())
          .isEqualTo(new ProductFields(p.sku(), p.name(), p.description(), p.category(), Money.eur(p.priceMinor()), p.stock()));
      assertThat(p.priceMinor() % 100).as("prices end in .99").isEqualTo(99L);
    });
  }

  @Test
  @DisplayName("some products are sold out and most are in stock")
  void stockMix() {
    long soldOut = DemoCatalog.products().stream().filter(p -> p.stock() == 0).count();
    assertThat(soldOut).isBetween(5L, 60L);
  }

  @Test
  @DisplayName("the first products are pinned, so a change of the generator is a visible, deliberate change")
  void pinned() {
    assertThat(DemoCatalog.products().get(0)).isEqualTo(new DemoCatalog.Product(
        UUID.fromString("84ccfbd3-cfa2-3c0a-8704-da46fc5efa3f"), "BOOK-0001", "Vintage Graphic Novel (Olive)",
        "A vintage graphic novel in olive, designed in Europe.", "books", 4_699, 51));
    assertThat(DemoCatalog.products().get(299)).isEqualTo(new DemoCatalog.Product(
        UUID.fromString("68882310-9312-3a09-8ae0-381b08f7db22"), "OFFC-0030", "Everyday Notebook (Sand)",
        "An everyday notebook in sand, perfect as a gift.", "office", 2_299, 32));
  }
}
