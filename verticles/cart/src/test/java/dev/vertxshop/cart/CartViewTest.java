package dev.vertxshop.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.Product;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("pricing a stored cart into the contract's view")
class CartViewTest {

  private static final UUID USER = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  @DisplayName("line totals and the total are exact integer minor units, beyond the range of an int")
  void exactTotals() {
    UUID tv = UUID.randomUUID();
    UUID card = UUID.randomUUID();
    CartState cart = new CartState(USER, NOW, List.of(line(tv, 99), line(card, 3)));
    // 99 x 999,999,999 cents overflows an int (and a double would round at larger scales).
    JsonObject view = CartView.of(cart, Map.of(tv, product(tv, "TV", 999_999_999L, 1), card, product(card, "Card", 333, 0))).toJson();

    assertThat(view.getJsonArray("lines").getJsonObject(0).getJsonObject("lineTotal").getLong("amount")).isEqualTo(98_999_999_901L);
    assertThat(view.getJsonArray("lines").getJsonObject(1).getJsonObject("lineTotal").getLong("amount")).isEqualTo(999L);
    assertThat(view.getJsonObject("total")).isEqualTo(new JsonObject().put("amount", 99_000_000_900L).put("currency", "EUR"));
    assertThat(view.getInteger("itemCount")).isEqualTo(102);
    assertThat(view.getString("updatedAt")).isEqualTo("2026-01-02T03:04:05Z");
  }

  @Test
  @DisplayName("a total that would overflow a long fails instead of wrapping around")
  void overflowFails() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    CartState cart = new CartState(USER, NOW, List.of(line(a, 99), line(b, 99)));
    long huge = Long.MAX_VALUE / 100;
    assertThatThrownBy(() -> CartView.of(cart, Map.of(a, product(a, "A", huge, 1), b, product(b, "B", huge, 1))))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  @DisplayName("lines of products the catalog no longer has are left out; the stored order of lines is kept")
  void unknownProductsLeftOut() {
    UUID gone = UUID.randomUUID();
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    CartState cart = new CartState(USER, NOW, List.of(line(first, 1), line(gone, 5), line(second, 2)));
    JsonObject view = CartView.of(cart, Map.of(first, product(first, "First", 100, 3), second, product(second, "Second", 10, 3))).toJson();

    assertThat(view.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("name"))).containsExactly("First", "Second");
    assertThat(view.getJsonObject("total").getLong("amount")).isEqualTo(120L);
    assertThat(view.getInteger("itemCount")).isEqualTo(3);
  }

  @Test
  @DisplayName("a product priced in another currency is refused rather than summed")
  void mixedCurrencies() {
    UUID dollar = UUID.randomUUID();
    CartState cart = new CartState(USER, NOW, List.of(line(dollar, 1)));
    Product product = product(dollar, "Import", new Money(100, "USD"), 1);
    assertThatThrownBy(() -> CartView.of(cart, Map.of(dollar, product))).isInstanceOf(IllegalStateException.class);
  }

  private static CartState.Line line(UUID product, int quantity) {
    return new CartState.Line(product, quantity, NOW);
  }

  private static Product product(UUID id, String name, long price, int stock) {
    return product(id, name, Money.eur(price), stock);
  }

  private static Product product(UUID id, String name, Money price, int stock) {
    return new Product(id, "SKU-1", name, "", "c", price, stock, 1, NOW, NOW);
  }
}
