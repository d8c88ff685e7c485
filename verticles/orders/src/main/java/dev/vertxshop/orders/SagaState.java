package dev.vertxshop.orders;

/** Where a checkout saga stands: the step to run next, or its outcome. */
enum SagaState {
  /** Take the units from stock (catalog). */
  RESERVING,
  /** Charge the total (payments); a charge may have been sent from here on. */
  CHARGING,
  /** Mark the held units sold (catalog), then confirm the order. */
  COMMITTING,
  /** Give the units back and make sure no capture is left, then cancel the order. */
  COMPENSATING,
  CONFIRMED,
  CANCELLED;

  boolean terminal() {
    return this == CONFIRMED || this == CANCELLED;
  }
}
