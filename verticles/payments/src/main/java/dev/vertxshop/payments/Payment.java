package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.PaymentsContract;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One row of {@code payments}, and its contract JSON. */
record Payment(
    UUID id, UUID orderId, UUID userId, long amount, String currency, String status, String providerChargeId,
    String declineReason, boolean attempted, boolean cancelRequested, OffsetDateTime refundDueAt, int refundAttempts,
    String refundError, int rechecksLeft, String attentionReason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  static Payment from(Row row) {
    return new Payment(
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
    return PaymentsContract.CANCELLED.equals(status);
  }

  /** Whether a compensation (a refund, or a recheck that none is needed) is still to be tried. */
  boolean compensationPending() {
    return refundDueAt != null;
  }

  /** Whether {@code request} asks for this very payment (a retry), not a different one for the same order. */
  boolean matches(ChargeRequest request) {
    return !tombstone() && userId.equals(request.userId()) && amount == request.amount() && currency.equals(request.currency());
  }

  /** The payment as the contract describes it. */
  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("orderId", orderId.toString())
        .put("userId", userId.toString())
        .put("amount", new JsonObject().put("amount", amount).put("currency", currency))
        .put("status", status);
    if (providerChargeId != null) {
      json.put("providerReference", providerChargeId);
    }
    if (declineReason != null) {
      json.put("declineReason", declineReason);
    }
    if (attentionReason != null) {
      json.put("attentionReason", attentionReason);
    }
    return json
        .put("createdAt", createdAt.toInstant().toString())
        .put("updatedAt", updatedAt.toInstant().toString());
  }
}
