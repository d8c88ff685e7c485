package dev.vertxshop.notifications;

import dev.vertxshop.platform.json.Fields;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.payments.PaymentsContract;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a user is told about each event: title and body in words, amounts in their currency's
 * decimals (computed from integer minor units, never through floating point).
 */
final class NotificationTemplates {

  static final String ORDER_CONFIRMED_TITLE = "Order confirmed";
  static final String ORDER_CANCELLED_TITLE = "Order cancelled";
  static final String PAYMENT_CAPTURED_TITLE = "Payment received";
  static final String PAYMENT_DECLINED_TITLE = "Payment declined";
  static final String PAYMENT_REFUNDED_TITLE = "Payment refunded";

  /** Cancel reasons of the orders contract, as a user should read them. */
  private static final Map<String, String> REASONS = Map.of(
      "OUT_OF_STOCK", "an item is out of stock",
      "PAYMENT_DECLINED", "the payment was declined",
      "PAYMENT_UNAVAILABLE", "the payment could not be processed at the moment",
      "PRODUCT_UNAVAILABLE", "a product is no longer available");
  private static final String UNKNOWN_REASON = "it could not be completed";
  /** A reason code the map does not know yet still reads as words ("ADDRESS_INVALID" → "address invalid"). */
  private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z_]{0,39}");
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
  private static final int ORDER_REF_LENGTH = 8;

  private NotificationTemplates() {
  }

  /**
   * The notification for an event, or empty when the event is not user-visible (OrderPlaced, types
   * this service does not know). Throws IllegalArgumentException when a user-visible event lacks what
   * the notification needs (user id, order id, amount).
   */
  static Optional<NotificationDraft> from(String topic, String type, JsonObject data) {
    if (OrdersContract.EVENTS_TOPIC.equals(topic)) {
      return order(type, data);
    }
    if (PaymentsContract.EVENTS_TOPIC.equals(topic)) {
      return payment(type, data);
    }
    return Optional.empty();
  }

  private static Optional<NotificationDraft> order(String type, JsonObject order) {
    switch (type) {
      case OrdersContract.ORDER_CONFIRMED: {
        UUID orderId = uuid(order, "id");
        String body = "Your order " + ref(orderId) + " is confirmed. Total: " + money(order, "total") + ".";
        return Optional.of(new NotificationDraft(uuid(order, "userId"), type, ORDER_CONFIRMED_TITLE, body, orderId));
      }
      case OrdersContract.ORDER_CANCELLED: {
        UUID orderId = uuid(order, "id");
        String body = "Your order " + ref(orderId) + " was cancelled because " + reason(order.getValue("cancelReason")) + ".";
        return Optional.of(new NotificationDraft(uuid(order, "userId"), type, ORDER_CANCELLED_TITLE, body, orderId));
      }
      default:
        // OrderPlaced is followed within seconds by one of the above: telling the user twice is noise.
        return Optional.empty();
    }
  }

  private static Optional<NotificationDraft> payment(String type, JsonObject payment) {
    String title;
    String outcome;
    switch (type) {
      case PaymentsContract.PAYMENT_CAPTURED:
        title = PAYMENT_CAPTURED_TITLE;
        outcome = "was received";
        break;
      case PaymentsContract.PAYMENT_DECLINED:
        title = PAYMENT_DECLINED_TITLE;
        outcome = "was declined";
        break;
      case PaymentsContract.PAYMENT_REFUNDED:
        title = PAYMENT_REFUNDED_TITLE;
        outcome = "was refunded";
        break;
      default:
        return Optional.empty();
    }
    UUID orderId = uuid(payment, "orderId");
    String body = "Your payment of " + money(payment, "amount") + " for order " + ref(orderId) + " " + outcome + ".";
    return Optional.of(new NotificationDraft(uuid(payment, "userId"), type, title, body, orderId));
  }

  /** "19.99 EUR" for {@code {"amount": 1999, "currency": "EUR"}}; "500 JPY" for yen. */
  static String money(JsonObject parent, String field) {
    Object value = parent.getValue(field);
    if (!(value instanceof JsonObject money)) {
      throw new IllegalArgumentException("'" + field + "' is not a money object");
    }
    Object amount = money.getValue("amount");
    Object currency = money.getValue("currency");
    if (!(amount instanceof Integer || amount instanceof Long) || ((Number) amount).longValue() < 0) {
      throw new IllegalArgumentException("'" + field + ".amount' is not a non-negative integer");
    }
    if (!(currency instanceof String code) || !CURRENCY_CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("'" + field + ".currency' is not a currency code");
    }
    return BigDecimal.valueOf(((Number) amount).longValue(), fractionDigits(code)).toPlainString() + " " + code;
  }

  static String reason(Object code) {
    if (!(code instanceof String text)) {
      return UNKNOWN_REASON;
    }
    String known = REASONS.get(text);
    if (known != null) {
      return known;
    }
    return REASON_CODE.matcher(text).matches() ? text.toLowerCase(Locale.ROOT).replace('_', ' ') : UNKNOWN_REASON;
  }

  // Known ISO currencies have their own number of decimals (JPY 0, KWD 3); others are taken as cents.
  private static int fractionDigits(String code) {
    try {
      return Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
    } catch (IllegalArgumentException e) {
      return 2;
    }
  }

  private static UUID uuid(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || !Fields.isUuid(text)) {
      throw new IllegalArgumentException("'" + field + "' is not a UUID");
    }
    return UUID.fromString(text);
  }

  /** The short order reference users see; the full id travels in {@code orderId}. */
  private static String ref(UUID orderId) {
    return orderId.toString().substring(0, ORDER_REF_LENGTH);
  }
}
