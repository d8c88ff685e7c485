package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** A validated {@code payments.charge} body: {@code {"orderId", "userId", "amount": {"amount", "currency"}}}. */
record ChargeRequest(UUID orderId, UUID userId, long amount, String currency) {

  /** Largest charge, in minor units: far above any basket, and what the provider accepts. */
  static final long MAX_AMOUNT = 1_000_000_000_000L;

  private static final Set<String> FIELDS = Set.of("orderId", "userId", "amount");
  private static final Set<String> MONEY_FIELDS = Set.of("amount", "currency");

  static ChargeRequest parse(Object body) {
    JsonObject json = Requests.object(body, "");
    Requests.rejectUnknown(json, FIELDS, "");
    UUID orderId = Requests.uuid(json, "orderId");
    UUID userId = Requests.uuid(json, "userId");
    if (json.getValue("amount") == null) {
      throw ServiceException.badRequest("'amount' is required");
    }
    JsonObject money = Requests.object(json.getValue("amount"), "amount");
    Requests.rejectUnknown(money, MONEY_FIELDS, "amount");
    Object amount = money.getValue("amount");
    // Fractions and strings are refused, not rounded: 12.5 cents is a caller bug.
    if (!(amount instanceof Integer || amount instanceof Long) || ((Number) amount).longValue() < 1
        || ((Number) amount).longValue() > MAX_AMOUNT) {
      throw ServiceException.badRequest("'amount.amount' must be an integer between 1 and " + MAX_AMOUNT + " (minor units)");
    }
    if (!PaymentsContract.CURRENCY.equals(money.getValue("currency"))) {
      throw ServiceException.badRequest("'amount.currency' must be \"" + PaymentsContract.CURRENCY + "\"");
    }
    return new ChargeRequest(orderId, userId, ((Number) amount).longValue(), PaymentsContract.CURRENCY);
  }
}
