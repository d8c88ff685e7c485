package dev.vertxshop.orders;

/** Why a checkout ended CANCELLED; the name is the order's {@code cancelReason}. */
enum CancelReason {
  /** The catalog has fewer units than the order asks for. */
  OUT_OF_STOCK,
  /** A product of the order no longer exists. */
  PRODUCT_UNAVAILABLE,
  /** The catalog did not answer the reservation, even after retries. */
  STOCK_UNAVAILABLE,
  /** The provider said no. */
  PAYMENT_DECLINED,
  /** Payments or the provider is down, or its breaker is open. */
  PAYMENT_UNAVAILABLE,
  /** No answer to the charge in time: its outcome is unknown, so the payment is cancelled. */
  PAYMENT_TIMEOUT,
  /** Payments refused the charge for another reason. */
  PAYMENT_FAILED,
  /** The catalog refused to commit the held units (released or never reserved), or its reservation does not match the order. */
  RESERVATION_LOST,
  /** Reserving or charging did not get through within the saga's limits (runs of the step, age). */
  CHECKOUT_EXPIRED
}
