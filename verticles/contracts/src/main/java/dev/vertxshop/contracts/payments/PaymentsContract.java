package dev.vertxshop.contracts.payments;

/**
 * The payments service's published contract. Payments talks to the external payment provider over
 * HTTP behind a circuit breaker; every call here is idempotent per order.
 *
 * <p>A payment is {@code {"id", "orderId", "userId", "amount": money, "status": "CAPTURED"|"DECLINED"|
 * "FAILED"|"REFUNDED", "providerReference"?, "createdAt", "updatedAt"}}.
 */
public final class PaymentsContract {

  private PaymentsContract() {
  }

  /**
   * {@code {"orderId", "userId", "amount": money}} → payment with status CAPTURED. At most one capture per
   * order, whatever the retries. Fails PAYMENT_DECLINED (the provider said no), UNAVAILABLE (breaker
   * open, provider down), TIMEOUT (no answer in time: the outcome is unknown, call {@link #CANCEL}).
   */
  public static final String CHARGE = "payments.charge";
  /**
   * {@code {"orderId"}} → {@code {"orderId", "status": "REFUNDED"|"NONE"}}: guarantees no capture is left
   * for the order (refunds one if it exists at the provider). Idempotent.
   */
  public static final String CANCEL = "payments.cancel";
  /** {@code {"orderId"}} → payment. Fails NOT_FOUND. */
  public static final String GET = "payments.get";

  /** Payment events, key = order id; data = the payment. */
  public static final String EVENTS_TOPIC = "shop.payments.events";
  public static final String PAYMENT_CAPTURED = "PaymentCaptured";
  public static final String PAYMENT_DECLINED = "PaymentDeclined";
  public static final String PAYMENT_REFUNDED = "PaymentRefunded";
}
