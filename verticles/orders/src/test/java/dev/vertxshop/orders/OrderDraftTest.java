package dev.vertxshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.Cart;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the order snapshot taken from a cart view")
class OrderDraftTest {

  @Test
  @DisplayName("lines keep the cart's current prices; the total is computed, not copied")
  void snapshot() {
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    Cart cart = cart(line(a, "Desk", 2, 1_250, "EUR"), line(b, "Lamp", 1, 999, "EUR"));

    OrderDraft draft = OrderDraft.fromCart(cart);

    assertThat(draft.currency()).isEqualTo("EUR");
    assertThat(draft.totalMinor()).isEqualTo(3_499);
    assertThat(draft.lines()).containsExactly(
        new OrderDraft.Line(UUID.fromString(a), "Desk", 2, 1_250),
        new OrderDraft.Line(UUID.fromString(b), "Lamp", 1, 999));
  }

  @Test
  @DisplayName("an empty cart gives an empty draft")
  void empty() {
    assertThat(OrderDraft.fromCart(cart()).isEmpty()).isTrue();
  }

  @Test
  @DisplayName("mixed currencies are UNPROCESSABLE: an order has one currency")
  void mixedCurrencies() {
    ServiceException error = catchThrowableOfType(ServiceException.class, () -> OrderDraft.fromCart(
        cart(line(UUID.randomUUID().toString(), "A", 1, 100, "EUR"), line(UUID.randomUUID().toString(), "B", 1, 100, "USD"))));
    assertThat(error.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
  }

  @Test
  @DisplayName("a cart of free products is UNPROCESSABLE: payments charges positive amounts only")
  void zeroTotal() {
    ServiceException error = catchThrowableOfType(ServiceException.class, () -> OrderDraft.fromCart(
        cart(line(UUID.randomUUID().toString(), "Free sample", 2, 0, "EUR"))));
    assertThat(error.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
  }

  @Test
  @DisplayName("a total beyond a long is UNPROCESSABLE, never wrapped around")
  void overflow() {
    ServiceException error = catchThrowableOfType(ServiceException.class, () -> OrderDraft.fromCart(
        cart(line(UUID.randomUUID().toString(), "A", 99, Long.MAX_VALUE / 10, "EUR"))));
    assertThat(error.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
  }

  /** A cart reply with {@code lines}, and a total of 1 cent whatever they say: the draft computes its own. */
  private static Cart cart(Cart.Line... lines) {
    return new Cart(UUID.randomUUID(), List.of(lines), Money.eur(1), lines.length, null);
  }

  private static Cart.Line line(String productId, String name, int quantity, long price, String currency) {
    // The cart's line total is not the draft's concern (it computes its own): any valid amount.
    return new Cart.Line(UUID.fromString(productId), name, quantity, new Money(price, currency), new Money(0, currency), 10);
  }
}
