package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.kafka.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Payments in PostgreSQL. Each transition that other services care about (captured, declined,
 * refunded) appends its event to the outbox in the same transaction, carrying the payment as
 * {@code payments.get} returns it afterwards.
 */
final class PaymentStore {

  /** How a cancel starts: the payment (null when the order has none) and whether the provider must be asked. */
  record CancelStart(PaymentRow payment, boolean askProvider) {
  }

  /** A pending compensation claimed by a sweep. */
  record DueRefund(UUID orderId, int attempts) {
  }

  private final Pool pool;
  private final Runnable afterEvent;
  private final PaymentsConfig config;

  /** {@code afterEvent} runs after every commit that wrote an event (it kicks the outbox relay). */
  PaymentStore(Pool pool, PaymentsConfig config, Runnable afterEvent) {
    this.pool = pool;
    this.config = config;
    this.afterEvent = afterEvent;
  }

  /** The order's payment, created PENDING by the first request. */
  Future<PaymentRow> open(Charge request) {
    return pool.withTransaction(tx -> tx.preparedQuery(PaymentsQueries.INSERT_IF_ABSENT)
        .execute(Tuple.of(UUID.randomUUID(), request.orderId(), request.userId(), request.amount().amount(), request.amount().currency()))
        .compose(inserted -> tx.preparedQuery(PaymentsQueries.GET).execute(Tuple.of(request.orderId())))
        .map(PaymentStore::single));
  }

  /** The order's payment (a tombstone included), or null. */
  Future<PaymentRow> get(UUID orderId) {
    return pool.preparedQuery(PaymentsQueries.GET).execute(Tuple.of(orderId)).map(PaymentStore::single);
  }

  /** False when the payment is no longer PENDING or a cancel has begun: then no call may be made. */
  Future<Boolean> markAttempted(UUID orderId) {
    return pool.withTransaction(tx -> tx.preparedQuery(PaymentsQueries.MARK_ATTEMPTED).execute(Tuple.of(orderId)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** CAPTURED + PaymentCaptured; null when the payment was no longer PENDING, or a cancel had begun. */
  Future<PaymentRow> capture(UUID orderId, String chargeId) {
    return transition(PaymentsQueries.CAPTURE, Tuple.of(orderId, chargeId), PaymentsContract.PAYMENT_CAPTURED);
  }

  /** DECLINED + PaymentDeclined; null when the payment was no longer PENDING. */
  Future<PaymentRow> decline(UUID orderId, String chargeId, String reason) {
    return transition(PaymentsQueries.DECLINE, Tuple.of(orderId, chargeId, reason), PaymentsContract.PAYMENT_DECLINED);
  }

  /** A capture that came back after a cancel began: CAPTURED, with its refund pending until it is made. */
  Future<Void> recordLateCapture(UUID orderId, String chargeId) {
    return pool.withTransaction(tx -> tx.preparedQuery(PaymentsQueries.RECORD_LATE_CAPTURE)
            .execute(Tuple.of(orderId, chargeId, seconds(config.refundBackoff()))))
        .mapEmpty();
  }

  /** A try of the order's pending compensation failed: the next one is put off; false when it was settled meanwhile. */
  Future<Boolean> refundFailed(UUID orderId, String error) {
    String text = error == null ? "unknown" : error.length() > 500 ? error.substring(0, 500) : error;
    return pool.preparedQuery(PaymentsQueries.REFUND_FAILED)
        .execute(Tuple.of(orderId, text, seconds(config.refundBackoff()), seconds(config.refundBackoffMax())))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Claims at most {@code limit} due compensations for this sweep. */
  Future<java.util.List<DueRefund>> claimDueRefunds(int limit) {
    return pool.withTransaction(tx -> tx.preparedQuery(PaymentsQueries.CLAIM_DUE_REFUNDS)
        .execute(Tuple.of(limit, seconds(config.refundClaim())))).map(rows -> {
          java.util.List<DueRefund> due = new java.util.ArrayList<>(rows.size());
          rows.forEach(row -> due.add(new DueRefund(row.getUUID("order_id"), row.getInteger("refund_attempts"))));
          return due;
        });
  }

  /** Payments whose compensation (a refund, or the provider's word that none is needed) is still pending. */
  Future<Long> countPendingRefunds() {
    return pool.query(PaymentsQueries.COUNT_PENDING_REFUNDS).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Locks the payment and decides how its cancel goes. A payment never attempted is settled here
   * (FAILED); one that may have a capture is flagged so that no new attempt starts, and the provider
   * must be asked. Settled payments are left as they are.
   */
  Future<CancelStart> beginCancel(UUID orderId) {
    return pool.withTransaction(tx -> beginCancel(tx, orderId, true));
  }

  /**
   * With no payment, a tombstone is inserted so that a charge arriving later is refused. If a charge's
   * first insert wins the race for the row (it was not committed when we looked), its row is cancelled
   * instead ({@code mayTombstone} false on that second look).
   */
  private Future<CancelStart> beginCancel(SqlConnection tx, UUID orderId, boolean mayTombstone) {
    return tx.preparedQuery(PaymentsQueries.LOCK).execute(Tuple.of(orderId)).compose(rows -> {
      PaymentRow payment = single(rows);
      if (payment == null) {
        if (!mayTombstone) {
          return Future.failedFuture(new IllegalStateException("payment of order " + orderId + " vanished"));
        }
        return tx.preparedQuery(PaymentsQueries.INSERT_TOMBSTONE).execute(Tuple.of(UUID.randomUUID(), orderId))
            .compose(inserted -> inserted.rowCount() == 1
                ? Future.succeededFuture(new CancelStart(null, false))
                : beginCancel(tx, orderId, false));
      }
      if (payment.is(PaymentStatus.PENDING)) {
        if (!payment.attempted()) {
          return update(tx, PaymentsQueries.CANCEL_UNATTEMPTED, orderId).map(new CancelStart(payment, false));
        }
        return requestCancel(tx, orderId).map(new CancelStart(payment, true));
      }
      if (payment.is(PaymentStatus.CAPTURED)) {
        return requestCancel(tx, orderId).map(new CancelStart(payment, true));
      }
      if (payment.is(PaymentStatus.FAILED)) {
        // Nothing was found at the first look, but a late capture may still show up: look again.
        return Future.succeededFuture(new CancelStart(payment, payment.compensationPending()));
      }
      return Future.succeededFuture(new CancelStart(payment, false));
    });
  }

  /** REFUNDED + PaymentRefunded; null when it already was. */
  Future<PaymentRow> markRefunded(UUID orderId, String chargeId) {
    return transition(PaymentsQueries.MARK_REFUNDED, Tuple.of(orderId, chargeId), PaymentsContract.PAYMENT_REFUNDED);
  }

  /** FAILED, if still PENDING: cancelled with nothing captured (rechecked later if it was attempted). */
  Future<Void> markFailed(UUID orderId) {
    return pool.preparedQuery(PaymentsQueries.MARK_FAILED)
        .execute(Tuple.of(orderId, seconds(config.refundBackoff()), config.cancelRechecks())).mapEmpty();
  }

  /** A recheck of a FAILED payment found no capture again. */
  Future<Void> rechecked(UUID orderId) {
    return pool.preparedQuery(PaymentsQueries.RECHECKED)
        .execute(Tuple.of(orderId, seconds(config.refundBackoff()), seconds(config.refundBackoffMax()), config.cancelRechecks()))
        .mapEmpty();
  }

  /** NEEDS_ATTENTION with its reason; false when the payment was settled meanwhile. */
  Future<Boolean> markNeedsAttention(UUID orderId, String reason) {
    return pool.preparedQuery(PaymentsQueries.MARK_NEEDS_ATTENTION).execute(Tuple.of(orderId, reason))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Long> countNeedingAttention() {
    return pool.query(PaymentsQueries.COUNT_NEEDING_ATTENTION).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  private Future<PaymentRow> transition(String sql, Tuple args, String eventType) {
    return pool.withTransaction(tx -> tx.preparedQuery(sql).execute(args).compose(rows -> {
      PaymentRow payment = single(rows);
      if (payment == null) {
        return Future.<PaymentRow>succeededFuture(null);
      }
      return Outbox.append(tx, PaymentsContract.EVENTS_TOPIC, payment.orderId().toString(), eventType, payment.toPayment().toJson())
          .map(payment);
    })).onSuccess(payment -> {
      if (payment != null) {
        afterEvent.run();
      }
    });
  }

  private Future<Void> requestCancel(SqlConnection tx, UUID orderId) {
    return tx.preparedQuery(PaymentsQueries.REQUEST_CANCEL).execute(Tuple.of(orderId, seconds(config.refundBackoff()))).mapEmpty();
  }

  private static double seconds(java.time.Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static Future<Void> update(SqlConnection tx, String sql, UUID orderId) {
    return tx.preparedQuery(sql).execute(Tuple.of(orderId)).mapEmpty();
  }

  private static PaymentRow single(RowSet<Row> rows) {
    return rows.size() == 0 ? null : PaymentRow.from(rows.iterator().next());
  }
}
