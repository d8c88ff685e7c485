package dev.vertxshop.payments;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentStatus;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One row of {@code payments}: a payment of the contract, or a cancel's tombstone. */
record PaymentRow(
    UUID id, UUID orderId, UUID userId, long amount, String currency, String status, String providerChargeId,
    String declineReason, boolean attempted, boolean cancelRequested, OffsetDateTime refundDueAt, int refundAttempts,
    String refundError, int rechecksLeft, String attentionReason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  /**
   * A cancel's tombstone, in the payments table only (never answered as a payment): the order was cancelled
   * before any charge reached payments, and a charge arriving later is refused CONFLICT.
   */
  static final String TOMBSTONE = "CANCELLED";

  static PaymentRow from(Row row) {
    return new PaymentRow(
        row.getUUID("id"),
        row.getUUID("order_id"),
        row.getUUID("user_id"),
        // A tombstone (CANCELLED) has no user, amount or currency.
        row.getLong("amount_minor") == null ? 0 : row.getLong("amount_minor"),
        row.getString("currency"),
        row.getString("status"),
        row.getString("provider_charge_id"),
        row.getString("decline_reason"),
        row.getBoolean("attempted"),
        row.getBoolean("cancel_requested"),
        row.getOffsetDateTime("refund_due_at"),
        row.getInteger("refund_attempts"),
        row.getString("refund_error"),
        row.getInteger("rechecks_left"),
        row.getString("attention_reason"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  /** Whether this row is a cancel's tombstone: the order was cancelled before any charge reached payments. */
  boolean tombstone() {
    return TOMBSTONE.equals(status);
  }

  /** Whether a compensation (a refund, or a recheck that none is needed) is still to be tried. */
  boolean compensationPending() {
    return refundDueAt != null;
  }

  /** Whether {@code request} asks for this very payment (a retry), not a different one for the same order. */
  boolean matches(Charge request) {
    return !tombstone() && userId.equals(request.userId()) && amount == request.amount().amount()
        && currency.equals(request.amount().currency());
  }

  /** Whether the row is a payment (not a tombstone) in {@code wanted}. */
  boolean is(PaymentStatus wanted) {
    return wanted.name().equals(status);
  }

  /** The payment as the contract describes it; a tombstone is none. */
  Payment toPayment() {
    if (tombstone()) {
      throw new IllegalStateException("the tombstone of order " + orderId + " is not a payment");
    }
    return new Payment(id, orderId, userId, new Money(amount, currency), PaymentStatus.valueOf(status), providerChargeId,
        declineReason, attentionReason, createdAt.toInstant(), updatedAt.toInstant());
  }
}
