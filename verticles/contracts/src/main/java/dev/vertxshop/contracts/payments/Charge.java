package dev.vertxshop.contracts.payments;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@link PaymentsContract#CHARGE}: charge {@code amount} for the order, on behalf of the user. The amount is 1 to
 * {@value #MAX_AMOUNT} minor units of euros (far above any basket, and what the provider accepts); fractions and
 * strings are refused, not rounded.
 */
public record Charge(UUID orderId, UUID userId, Money amount) implements BusMessage {

  /** Largest charge, in minor units. */
  public static final long MAX_AMOUNT = 1_000_000_000_000L;
  private static final Set<String> FIELDS = Set.of("orderId", "userId", "amount");

  public Charge {
    if (orderId == null) {
      throw ServiceException.badRequest("'orderId' is required");
    }
    if (userId == null) {
      throw ServiceException.badRequest("'userId' is required");
    }
    if (amount == null) {
      throw ServiceException.badRequest("'amount' is required");
    }
    if (amount.amount() < 1 || amount.amount() > MAX_AMOUNT) {
      throw ServiceException.badRequest("'amount.amount' must be an integer between 1 and " + MAX_AMOUNT);
    }
    if (!PaymentsContract.CURRENCY.equals(amount.currency())) {
      throw ServiceException.badRequest("'amount.currency' must be " + PaymentsContract.CURRENCY);
    }
  }

  public static Charge fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID orderId = f.uuid("orderId");
    UUID userId = f.uuid("userId");
    Fields money = f.object("amount").only(Money.FIELDS);
    // Money reads amounts from 0; a charge is of at least one minor unit, and says so with its own bounds.
    money.integer("amount", 1, MAX_AMOUNT);
    return new Charge(orderId, userId, Money.read(money, MAX_AMOUNT, PaymentsContract.CURRENCY));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("orderId", orderId.toString()).put("userId", userId.toString()).put("amount", amount.toJson());
  }
}
