package dev.vertxshop.contracts.payments;

import dev.vertxshop.platform.bus.Route;

/**
 * The payments service's published contract: its routes (address, request record, reply record) and the payment
 * topic. Every request and reply is a record of this package, which is the message's format: its {@code toJson}
 * is the JSON on the wire, its {@code fromJson} the strict reader both sides use (an unknown field, a wrong type or
 * a missing field is BAD_REQUEST naming the field). Payments talks to the external payment provider over HTTP
 * behind a circuit breaker; every route here is idempotent per order. Order and user ids are canonical UUIDs;
 * money is {@link dev.vertxshop.contracts.Money}, in {@value #CURRENCY}.
 */
public final class PaymentsContract {

  private PaymentsContract() {
  }

  /**
   * {@link Charge} → {@link Payment} with status CAPTURED. Idempotent: a charge is keyed by its order id, so a
   * repeat (a re-send after a lost destination, a saga resumed after a crash) answers the same payment, and there
   * is at most one capture per order whatever the retries. Fails PAYMENT_DECLINED (the provider said no),
   * UNAVAILABLE (breaker open, provider down), TIMEOUT (no answer in time: the outcome is unknown, call
   * {@link #CANCEL}). Also fails BAD_REQUEST (invalid body) and CONFLICT (the order was already charged with another
   * user or amount, or its payment was cancelled).
   */
  public static final Route<Charge, Payment> CHARGE = Route.idempotent("payments.charge",
      Charge.class, Charge::fromJson, Payment.class, Payment::fromJson);

  /**
   * {@link PaymentOf} → {@link PaymentCancelled} REFUNDED or NONE: guarantees no capture is left for the order
   * (refunds one if it exists at the provider). Idempotent. NONE: nothing was captured (never charged, declined, or
   * nothing found at the provider); later charges of the order then fail CONFLICT, also when the cancel came first:
   * it leaves a tombstone that a late charge respects. Fails UNAVAILABLE / TIMEOUT when the provider cannot be
   * asked: call it again later; CONFLICT when the payment NEEDS_ATTENTION.
   */
  public static final Route<PaymentOf, PaymentCancelled> CANCEL = Route.idempotent("payments.cancel",
      PaymentOf.class, PaymentOf::fromJson, PaymentCancelled.class, PaymentCancelled::fromJson);

  /** {@link PaymentOf} → {@link Payment}. Fails NOT_FOUND (also for an order cancelled before it was charged). */
  public static final Route<PaymentOf, Payment> GET = Route.idempotent("payments.get",
      PaymentOf.class, PaymentOf::fromJson, Payment.class, Payment::fromJson);

  /** Payment events, key = order id; data = the {@link Payment} as it is after the change. */
  public static final String EVENTS_TOPIC = "shop.payments.events";
  public static final String PAYMENT_CAPTURED = "PaymentCaptured";
  public static final String PAYMENT_DECLINED = "PaymentDeclined";
  public static final String PAYMENT_REFUNDED = "PaymentRefunded";

  /** The one currency the shop charges in. */
  public static final String CURRENCY = dev.vertxshop.contracts.Money.EUR;
}
