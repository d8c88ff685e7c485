package dev.vertxshop.contracts.payments;

/**
 * The payments service's published contract. Payments talks to the external payment provider over
 * HTTP behind a circuit breaker; every call here is idempotent per order.
 *
 * <p>A payment is {@code {"id", "orderId", "userId", "amount": money, "status": "PENDING"|"CAPTURED"|
 * "DECLINED"|"FAILED"|"REFUNDED"|"NEEDS_ATTENTION", "providerReference"?, "declineReason"?, "attentionReason"?,
 * "createdAt", "updatedAt"}}.
 * {@code PENDING}: a charge was asked for but its outcome is not settled yet (the provider was down or
 * did not answer in time); {@code FAILED}: cancelled with nothing captured. {@code providerReference}
 * is the provider's charge id, {@code declineReason} the provider's reason for a decline. Order and
 * user ids are canonical UUIDs; money is {@code {"amount": <integer minor units > 0>, "currency": "EUR"}}.
 */
public final class PaymentsContract {

  private PaymentsContract() {
  }

  /**
   * {@code {"orderId", "userId", "amount": money}} → payment with status CAPTURED. At most one capture per
   * order, whatever the retries. Fails PAYMENT_DECLINED (the provider said no), UNAVAILABLE (breaker
   * open, provider down), TIMEOUT (no answer in time: the outcome is unknown, call {@link #CANCEL}).
   * Also fails BAD_REQUEST (invalid body) and CONFLICT (the order was already charged with another
   * user or amount, or its payment was cancelled).
   */
  public static final String CHARGE = "payments.charge";
  /**
   * {@code {"orderId"}} → {@code {"orderId", "status": "REFUNDED"|"NONE"}}: guarantees no capture is left
   * for the order (refunds one if it exists at the provider). Idempotent. NONE: nothing was captured
   * (never charged, declined, or nothing found at the provider); later charges of the order then fail
   * CONFLICT, also when the cancel came first: it leaves a tombstone that a late charge respects.
   * Fails UNAVAILABLE / TIMEOUT when the provider cannot be asked: call it again later.
   */
  public static final String CANCEL = "payments.cancel";
  /** {@code {"orderId"}} → payment. Fails NOT_FOUND (also for an order cancelled before it was charged). */
  public static final String GET = "payments.get";

  /** Payment events, key = order id; data = the payment. */
  public static final String EVENTS_TOPIC = "shop.payments.events";
  public static final String PAYMENT_CAPTURED = "PaymentCaptured";
  public static final String PAYMENT_DECLINED = "PaymentDeclined";
  public static final String PAYMENT_REFUNDED = "PaymentRefunded";

  /** The one currency the shop charges in. */
  public static final String CURRENCY = "EUR";

  /** Payment statuses. */
  public static final String PENDING = "PENDING";
  public static final String CAPTURED = "CAPTURED";
  public static final String DECLINED = "DECLINED";
  public static final String FAILED = "FAILED";
  public static final String REFUNDED = "REFUNDED";
  /**
   * A cancel's tombstone, in the payments table only (never answered as a payment): the order was
   * cancelled before any charge reached payments, and a charge arriving later is refused CONFLICT.
   */
  public static final String CANCELLED = "CANCELLED";
  /**
   * The payment's capture state cannot be established (the provider has no record of a capture payments
   * recorded): an operator settles it. Cancels of it fail CONFLICT without calling the provider.
   */
  public static final String NEEDS_ATTENTION = "NEEDS_ATTENTION";
  /** Cancel reply status: nothing was captured for the order. */
  public static final String NONE = "NONE";
}
