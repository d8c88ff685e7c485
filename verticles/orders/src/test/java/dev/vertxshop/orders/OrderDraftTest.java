package dev.vertxshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
    JsonObject cart = cart(line(a, "Desk", 2, 1_250, "EUR"), line(b, "Lamp", 1, 999, "EUR")).put("total", money(1, "EUR"));

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

  @Test
  @DisplayName("a cart view without lines, ids or prices is an internal error, not an order")
  void unusableView() {
    assertThat(catchThrowableOfType(ServiceException.class, () -> OrderDraft.fromCart(new JsonObject())).code())
        .isEqualTo(ErrorCode.INTERNAL);
    JsonObject noPrice = line(UUID.randomUUID().toString(), "A", 1, 1, "EUR");
    noPrice.remove("unitPrice");
    assertThat(catchThrowableOfType(ServiceException.class, () -> OrderDraft.fromCart(cart(noPrice))).code())
        .isEqualTo(ErrorCode.INTERNAL);
    assertThat(catchThrowableOfType(ServiceException.class, () -> OrderDraft.fromCart(cart(line("nope", "A", 1, 1, "EUR")))).code())
        .isEqualTo(ErrorCode.INTERNAL);
  }

  private static JsonObject cart(JsonObject... lines) {
    JsonArray array = new JsonArray();
    for (JsonObject line : lines) {
      array.add(line);
    }
    return new JsonObject().put("userId", UUID.randomUUID().toString()).put("lines", array);
  }

  private static JsonObject line(String productId, String name, int quantity, long price, String currency) {
    return new JsonObject().put("productId", productId).put("name", name).put("quantity", quantity)
        .put("unitPrice", money(price, currency)).put("lineTotal", money(price * quantity, currency)).put("available", 10);
  }

  private static JsonObject money(long amount, String currency) {
    return new JsonObject().put("amount", amount).put("currency", currency);
  }
}
