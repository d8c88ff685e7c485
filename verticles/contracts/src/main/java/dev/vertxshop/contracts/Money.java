package dev.vertxshop.contracts;

import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An amount of money as every service writes it: {@code {"amount": <integer minor units>, "currency": "EUR"}}.
 * Amounts are exact integers (cents), never fractions; the currency is an ISO 4217 code. The shop sells in
 * one currency ({@link #EUR}), but the record does not assume it: a service that only takes euros says so
 * when it reads ({@link #read(Fields, long, String)}).
 */
public record Money(long amount, String currency) {

  public static final String EUR = "EUR";
  public static final Set<String> FIELDS = Set.of("amount", "currency");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public Money {
    if (amount < 0) {
      throw ServiceException.badRequest("'amount' must not be negative");
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw ServiceException.badRequest("'currency' must be a three-letter ISO 4217 code");
    }
  }

  /** {@code amount} minor units of euros. */
  public static Money eur(long amount) {
    return new Money(amount, EUR);
  }

  /** Reads any money object strictly (amounts 0..{@link Long#MAX_VALUE}, any ISO 4217 code). */
  public static Money fromJson(Object json) {
    return read(Fields.of(json), Long.MAX_VALUE, null);
  }

  /**
   * Reads the money object {@code f}: an {@code amount} in {@code [0, maxAmount]} and, when {@code onlyCurrency}
   * is not null, exactly that currency; each refusal names the field by its path ({@code 'price.currency' must be EUR}).
   */
  public static Money read(Fields f, long maxAmount, String onlyCurrency) {
    f.only(FIELDS);
    long amount = f.integer("amount", 0, maxAmount);
    String currency = f.string("currency");
    if (onlyCurrency != null && !onlyCurrency.equals(currency)) {
      throw ServiceException.badRequest("'" + f.path("currency") + "' must be " + onlyCurrency);
    }
    if (!CURRENCY.matcher(currency).matches()) {
      throw ServiceException.badRequest("'" + f.path("currency") + "' must be a three-letter ISO 4217 code");
    }
    return new Money(amount, currency);
  }

  /** This amount times {@code quantity}, exactly (an overflow fails rather than wraps). */
  public Money times(long quantity) {
    return new Money(Math.multiplyExact(amount, quantity), currency);
  }

  /** The sum with {@code other}, of the same currency, exactly. */
  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
    }
    return new Money(Math.addExact(amount, other.amount), currency);
  }

  public JsonObject toJson() {
    return new JsonObject().put("amount", amount).put("currency", currency);
  }
}
