package dev.vertxshop.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.payments.PaymentsContract;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("what a user is told about each event")
class NotificationTemplatesTest {

  private static final String USER = UUID.randomUUID().toString();
  private static final String ORDER = "0a1b2c3d-0000-4000-8000-000000000001";

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "1999, EUR, 19.99 EUR",
      "5, EUR, 0.05 EUR",
      "0, EUR, 0.00 EUR",
      "100000000000, EUR, 1000000000.00 EUR",
      "500, JPY, 500 JPY",
      "1234, KWD, 1.234 KWD",
      "1234, ZZZ, 12.34 ZZZ"})
  @DisplayName("amounts are minor units shown with their currency's decimals")
  void money(long amount, String currency, String expected) {
    JsonObject parent = new JsonObject().put("total", new JsonObject().put("amount", amount).put("currency", currency));
    assertThat(NotificationTemplates.money(parent, "total")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "OUT_OF_STOCK, an item is out of stock",
      "PAYMENT_DECLINED, the payment was declined",
      "PAYMENT_UNAVAILABLE, the payment could not be processed at the moment",
      "PRODUCT_UNAVAILABLE, a product is no longer available",
      "ADDRESS_REJECTED, address rejected",
      "'<script>', it could not be completed"})
  @DisplayName("cancel reasons read as words, unknown codes too, anything else generically")
  void reasons(String code, String words) {
    assertThat(NotificationTemplates.reason(code)).isEqualTo(words);
  }

  @Test
  @DisplayName("a cancelled order without a reason still explains itself")
  void missingReason() {
    assertThat(NotificationTemplates.reason(null)).isEqualTo("it could not be completed");
    Optional<NotificationDraft> note = NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CANCELLED,
        order().put("status", "CANCELLED"));
    assertThat(note).get().extracting(NotificationDraft::body)
        .isEqualTo("Your order 0a1b2c3d was cancelled because it could not be completed.");
  }

  @Test
  @DisplayName("OrderConfirmed: title, total and short order reference")
  void confirmed() {
    NotificationDraft note = NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED, order()).orElseThrow();
    assertThat(note.title()).isEqualTo("Order confirmed");
    assertThat(note.body()).isEqualTo("Your order 0a1b2c3d is confirmed. Total: 19.99 EUR.");
    assertThat(note.orderId()).isEqualTo(UUID.fromString(ORDER));
    assertThat(note.userId()).isEqualTo(UUID.fromString(USER));
    assertThat(note.type()).isEqualTo(OrdersContract.ORDER_CONFIRMED);
  }

  @Test
  @DisplayName("OrderPlaced, unknown types and unknown topics are not user-visible")
  void notVisible() {
    assertThat(NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_PLACED, order())).isEmpty();
    assertThat(NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, "OrderShipped", order())).isEmpty();
    assertThat(NotificationTemplates.from(PaymentsContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED, order())).isEmpty();
    assertThat(NotificationTemplates.from("shop.other.events", OrdersContract.ORDER_CONFIRMED, order())).isEmpty();
  }

  @Test
  @DisplayName("payment events say what happened to which amount")
  void payments() {
    JsonObject payment = new JsonObject().put("orderId", ORDER).put("userId", USER)
        .put("amount", new JsonObject().put("amount", 250).put("currency", "EUR"));
    assertThat(NotificationTemplates.from(PaymentsContract.EVENTS_TOPIC, PaymentsContract.PAYMENT_CAPTURED, payment).orElseThrow().body())
        .isEqualTo("Your payment of 2.50 EUR for order 0a1b2c3d was received.");
    assertThat(NotificationTemplates.from(PaymentsContract.EVENTS_TOPIC, PaymentsContract.PAYMENT_DECLINED, payment).orElseThrow().title())
        .isEqualTo("Payment declined");
    assertThat(NotificationTemplates.from(PaymentsContract.EVENTS_TOPIC, PaymentsContract.PAYMENT_REFUNDED, payment).orElseThrow().body())
        .endsWith("was refunded.");
  }

  @Test
  @DisplayName("a user-visible event without user, order or a whole amount is refused")
  void malformed() {
    assertThatThrownBy(() -> NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED,
        order().put("userId", "bob"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId");
    assertThatThrownBy(() -> NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED,
        order().put("id", 12))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    assertThatThrownBy(() -> NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED,
        order().put("total", new JsonObject().put("amount", 19.99).put("currency", "EUR"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("total.amount");
    assertThatThrownBy(() -> NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED,
        order().put("total", new JsonObject().put("amount", -1).put("currency", "EUR"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("total.amount");
    assertThatThrownBy(() -> NotificationTemplates.from(OrdersContract.EVENTS_TOPIC, OrdersContract.ORDER_CONFIRMED,
        order().put("total", new JsonObject().put("amount", 1).put("currency", "euro"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("total.currency");
  }

  private static JsonObject order() {
    return new JsonObject().put("id", ORDER).put("userId", USER).put("status", "CONFIRMED")
        .put("total", new JsonObject().put("amount", 1999).put("currency", "EUR"));
  }
}
