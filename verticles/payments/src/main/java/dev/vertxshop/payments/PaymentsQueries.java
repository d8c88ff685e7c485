package dev.vertxshop.payments;

/**
 * Every SQL statement of the payments service, all with bound parameters ($n). The WHERE clauses on
 * status are the state machine: each transition happens at most once, whoever races for it.
 */
final class PaymentsQueries {

  private PaymentsQueries() {
  }

  static final String COLUMNS = "id, order_id, user_id, amount_minor, currency, status, provider_charge_id, "
      + "decline_reason, attempted, cancel_requested, refund_due_at, refund_attempts, refund_error, rechecks_left, attention_reason, created_at, updated_at";

  /** The first charge request of an order creates its row; retries find it. */
  static final String INSERT_IF_ABSENT =
      "INSERT INTO payments (id, order_id, user_id, amount_minor, currency) VALUES ($1, $2, $3, $4, $5) "
          + "ON CONFLICT (order_id) DO NOTHING";

  static final String GET = "SELECT " + COLUMNS + " FROM payments WHERE order_id = $1";

  /**
   * A cancel that found no payment leaves this tombstone. If a charge's first insert is in flight, the
   * unique order_id makes this wait for it: then nothing is inserted and the cancel settles that row.
   */
  static final String INSERT_TOMBSTONE =
      "INSERT INTO payments (id, order_id, status, cancel_requested) VALUES ($1, $2, 'CANCELLED', true) "
          + "ON CONFLICT (order_id) DO NOTHING";

  static final String LOCK = GET + " FOR UPDATE";

  /** Committed before each provider call that may capture; refused once a cancel has begun. */
  static final String MARK_ATTEMPTED =
      "UPDATE payments SET attempted = true, updated_at = now() "
          + "WHERE order_id = $1 AND status = 'PENDING' AND NOT cancel_requested RETURNING id";

  static final String CAPTURE =
      "UPDATE payments SET status = 'CAPTURED', provider_charge_id = $2, updated_at = now() "
          + "WHERE order_id = $1 AND status = 'PENDING' AND NOT cancel_requested RETURNING " + COLUMNS;

  static final String DECLINE =
      "UPDATE payments SET status = 'DECLINED', provider_charge_id = $2, decline_reason = $3, updated_at = now() "
          + "WHERE order_id = $1 AND status = 'PENDING' RETURNING " + COLUMNS;

  /**
   * A capture that came back after a cancel had begun: recorded as what it is (money taken), so that
   * the refund that follows, or any later cancel, sees it.
   */
  static final String RECORD_LATE_CAPTURE =
      "UPDATE payments SET status = 'CAPTURED', provider_charge_id = $2, "
          + "refund_due_at = now() + make_interval(secs => $3), updated_at = now() "
          + "WHERE order_id = $1 AND status IN ('PENDING', 'FAILED')";

  /**
   * No new attempt starts after this, and the compensation is pending: should this cancel not settle it
   * (provider down, node gone), the refund sweeper takes it over once it is due.
   */
  static final String REQUEST_CANCEL =
      "UPDATE payments SET cancel_requested = true, "
          + "refund_due_at = COALESCE(refund_due_at, now() + make_interval(secs => $2)), updated_at = now() "
          + "WHERE order_id = $1";

  /** Never attempted: nothing can have been captured, so the cancel is settled without the provider. */
  static final String CANCEL_UNATTEMPTED =
      "UPDATE payments SET status = 'FAILED', cancel_requested = true, updated_at = now() "
          + "WHERE order_id = $1 AND status = 'PENDING' AND NOT attempted";

  /** Keeps the charge id of a captured row; otherwise records the charge that was found and refunded. */
  static final String MARK_REFUNDED =
      "UPDATE payments SET status = 'REFUNDED', "
          + "provider_charge_id = CASE WHEN status = 'CAPTURED' THEN provider_charge_id ELSE $2 END, "
          + "refund_due_at = NULL, updated_at = now() "
          + "WHERE order_id = $1 AND status <> 'REFUNDED' RETURNING " + COLUMNS;

  /**
   * Nothing captured at the provider. An attempted payment keeps $3 rechecks, the first after $2 s: a
   * charge the provider processes late shows up only then, and is refunded when it does.
   */
  static final String MARK_FAILED =
      "UPDATE payments SET status = 'FAILED', "
          + "rechecks_left = CASE WHEN attempted THEN $3 ELSE 0 END, "
          + "refund_due_at = CASE WHEN attempted AND $3 > 0 THEN now() + make_interval(secs => $2) ELSE NULL END, "
          + "updated_at = now() WHERE order_id = $1 AND status = 'PENDING'";

  /**
   * A recheck of a FAILED payment found nothing again: one recheck fewer, the next one later (backoff $2 s
   * doubled per recheck made, at most $3 s), none after the last.
   */
  static final String RECHECKED =
      "UPDATE payments SET rechecks_left = rechecks_left - 1, "
          + "refund_due_at = CASE WHEN rechecks_left <= 1 THEN NULL "
          + "ELSE now() + make_interval(secs => least($2 * power(2, greatest($4 - rechecks_left + 1, 0)), $3)) END, "
          + "updated_at = now() WHERE order_id = $1 AND status = 'FAILED' AND refund_due_at IS NOT NULL";

  /** The capture's state cannot be established: an operator decides; no sweep retries it. */
  static final String MARK_NEEDS_ATTENTION =
      "UPDATE payments SET status = 'NEEDS_ATTENTION', attention_reason = $2, refund_due_at = NULL, updated_at = now() "
          + "WHERE order_id = $1 AND status IN ('PENDING', 'CAPTURED', 'FAILED')";

  static final String COUNT_NEEDING_ATTENTION = "SELECT count(*) FROM payments WHERE status = 'NEEDS_ATTENTION'";

  /**
   * A try of a pending compensation failed: counted, its error kept, and the next try put off by the
   * backoff ($3 s) doubled per failure so far, at most $4 s. A compensation settled meanwhile is left alone.
   */
  static final String REFUND_FAILED =
      "UPDATE payments SET refund_attempts = refund_attempts + 1, refund_error = $2, "
          + "refund_due_at = now() + make_interval(secs => least($3 * power(2, least(refund_attempts, 30)), $4)), "
          + "updated_at = now() WHERE order_id = $1 AND refund_due_at IS NOT NULL "
          + "RETURNING refund_attempts, refund_due_at";

  /**
   * Claims due compensations for one sweep: each is held for $2 s (longer than settling it can take),
   * rows another node is claiming are skipped, so two sweeps never take the same payment at once.
   */
  static final String CLAIM_DUE_REFUNDS =
      "UPDATE payments SET refund_due_at = now() + make_interval(secs => $2) WHERE order_id IN ("
          + "SELECT order_id FROM payments WHERE refund_due_at <= now() ORDER BY refund_due_at LIMIT $1 "
          + "FOR UPDATE SKIP LOCKED) RETURNING order_id, refund_attempts";

  static final String COUNT_PENDING_REFUNDS = "SELECT count(*) FROM payments WHERE refund_due_at IS NOT NULL";
}
