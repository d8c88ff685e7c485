package dev.vertxshop.contracts.payments;

/**
 * The status of a payment as payments answers it. {@link #PENDING}: a charge was asked for but its outcome is
 * not settled yet (the provider was down or did not answer in time); {@link #FAILED}: cancelled with nothing
 * captured; {@link #NEEDS_ATTENTION}: the capture state cannot be established (the provider has no record of a
 * capture payments recorded) and an operator settles it, cancels of it fail CONFLICT without calling the provider.
 */
public enum PaymentStatus {
  PENDING, CAPTURED, DECLINED, FAILED, REFUNDED, NEEDS_ATTENTION
}
