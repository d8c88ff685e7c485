package dev.vertxshop.orders;

/**
 * Every SQL statement of the orders service, all with bound parameters ($n). The service's own
 * statements run on a pool whose search path is the {@code orders} schema; the {@link Audit} statements
 * name their schemas, since the invariant checker reads the orders, catalog and payments schemas.
 */
public final class OrdersQueries {

  private OrdersQueries() {
  }

  /** Saga states from which a step is still to run; SQL fragment, constant. */
  private static final String ACTIVE = "('RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING')";
  /** Order statuses that are not decided yet: a cart in one of them is not checked out again. */
  private static final String UNSETTLED = "('PENDING', 'NEEDS_ATTENTION')";

  static final String ORDER_COLUMNS =
      "id, user_id, status, total_minor, currency, cancel_reason, cancel_message, payment_id, created_at, updated_at";

  static final String LINE_COLUMNS = "order_id, line_no, product_id, name, quantity, unit_price_minor";

  // Reading orders.

  static final String GET_ORDER_OF_USER = "SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = $1 AND user_id = $2";

  static final String GET_ORDER = "SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = $1";

  static final String LINES_OF = "SELECT " + LINE_COLUMNS + " FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, line_no";

  static final String LIST_ORDERS_OF_USER =
      "SELECT " + ORDER_COLUMNS + " FROM orders WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";

  static final String COUNT_ORDERS_OF_USER = "SELECT count(*) FROM orders WHERE user_id = $1";

  static final String ORDER_FOR_KEY = "SELECT order_id FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2";

  /**
   * In one statement, so from one snapshot: the order of the user's key, and the user's oldest order not
   * decided yet. An unsettled order that is this key's own is then always seen with its key (they commit
   * together), and a checkout costs no more round trips than the key lookup alone did.
   */
  static final String KEY_AND_UNSETTLED =
      "SELECT (SELECT order_id FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2) AS keyed, "
          + "(SELECT id FROM orders WHERE user_id = $1 AND status IN " + UNSETTLED + " ORDER BY created_at, id LIMIT 1) AS unsettled";

  /** The user's oldest order not decided yet (there is at most one, bar orders set aside by the V2 migration). */
  static final String UNSETTLED_ORDER_OF_USER =
      "SELECT id FROM orders WHERE user_id = $1 AND status IN " + UNSETTLED + " ORDER BY created_at, id LIMIT 1";

  // Operators.

  /** Orders of every user in status $1, oldest first, with their saga (index orders_by_status). */
  static final String ADMIN_LIST_ORDERS =
      "SELECT o.id, o.user_id, o.status, o.total_minor, o.currency, o.cancel_reason, o.cancel_message, o.payment_id, "
          + "o.created_at, o.updated_at, s.state AS saga_state, s.step_runs, s.resumes, s.last_error, s.attention_since, "
          + "s.owner, s.lease_until FROM orders o LEFT JOIN sagas s ON s.order_id = o.id "
          + "WHERE o.status = $1 ORDER BY o.created_at, o.id LIMIT $2 OFFSET $3";

  static final String ADMIN_COUNT_ORDERS = "SELECT count(*) FROM orders WHERE status = $1";

  static final String COUNT_NEEDING_ATTENTION = "SELECT count(*) FROM orders WHERE status = 'NEEDS_ATTENTION'";

  /**
   * Deletes up to $2 idempotency keys older than $1 seconds whose order is decided (the key of an order
   * still running is what keeps its client's retries on it). Rows another replica is deleting are skipped.
   */
  static final String PRUNE_KEYS =
      "DELETE FROM idempotency_keys WHERE (user_id, idem_key) IN (SELECT k.user_id, k.idem_key FROM idempotency_keys k "
          + "JOIN orders o ON o.id = k.order_id WHERE k.created_at < now() - make_interval(secs => $1) "
          + "AND o.status IN ('CONFIRMED', 'CANCELLED') LIMIT $2 FOR UPDATE OF k SKIP LOCKED)";

  // Checkout: one transaction.

  /**
   * Claims the key. A concurrent checkout with the same key waits for the first transaction and then
   * inserts nothing (no row returned): it then reads the winner's order instead of creating a second.
   */
  static final String CLAIM_KEY =
      "INSERT INTO idempotency_keys (user_id, idem_key, order_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING order_id";

  /**
   * Inserts nothing while the user has a NEEDS_ATTENTION order (which the unique index on PENDING orders
   * leaves out); a concurrent PENDING one makes the insert wait for it and fail on that index.
   */
  static final String INSERT_ORDER =
      "INSERT INTO orders (id, user_id, status, total_minor, currency) "
          + "SELECT $1::uuid, $2::uuid, 'PENDING', $3::bigint, $4::char(3) "
          + "WHERE NOT EXISTS (SELECT 1 FROM orders WHERE user_id = $2::uuid AND status = 'NEEDS_ATTENTION') RETURNING " + ORDER_COLUMNS;

  static final String INSERT_LINE =
      "INSERT INTO order_lines (order_id, line_no, product_id, name, quantity, unit_price_minor) VALUES ($1, $2, $3, $4, $5, $6)";

  /** The new saga is leased to the replica that created it, so that no sweep of another replica takes it. */
  static final String INSERT_SAGA =
      "INSERT INTO sagas (order_id, state, owner, lease_until) VALUES ($1, 'RESERVING', $2, now() + make_interval(secs => $3))";

  // The saga executor.

  /**
   * Takes one saga if it is running and either already ours or free (lease expired or released). The
   * row lock taken by the UPDATE makes two replicas racing for it end with one owner: the loser's
   * WHERE is re-checked against the winner's new lease and matches nothing.
   */
  static final String CLAIM_SAGA =
      "UPDATE sagas SET owner = $2, lease_until = now() + make_interval(secs => $3), updated_at = now(), "
          + "resumes = resumes + CASE WHEN owner IS DISTINCT FROM $2 THEN 1 ELSE 0 END, step_runs = step_runs + 1 "
          + "WHERE order_id = $1 AND state IN " + ACTIVE + " AND (owner = $2 OR lease_until IS NULL OR lease_until < now()) "
          + "RETURNING order_id";

  /** Takes up to $3 running sagas whose lease ran out; rows another sweep is taking are skipped. */
  static final String CLAIM_DUE_SAGAS =
      "UPDATE sagas SET owner = $1, lease_until = now() + make_interval(secs => $2), updated_at = now(), resumes = resumes + 1, "
          + "step_runs = step_runs + 1 "
          + "WHERE order_id IN (SELECT order_id FROM sagas WHERE state IN " + ACTIVE
          + " AND (lease_until IS NULL OR lease_until < now()) ORDER BY lease_until NULLS FIRST LIMIT $3 FOR UPDATE SKIP LOCKED) "
          + "RETURNING order_id";

  static final String LOAD_SAGAS =
      "SELECT s.order_id, s.state, s.charge_attempted, s.payment_id, s.cancel_reason, s.cancel_message, s.step_runs, "
          + "s.attention_since IS NOT NULL AS attention, EXTRACT(EPOCH FROM (now() - s.created_at))::float8 AS age_seconds, "
          + "o.user_id, o.total_minor, o.currency FROM sagas s JOIN orders o ON o.id = s.order_id WHERE s.order_id = ANY($1)";

  static final String RENEW_LEASES =
      "UPDATE sagas SET lease_until = now() + make_interval(secs => $2) "
          + "WHERE owner = $1 AND order_id = ANY($3) AND state IN " + ACTIVE + " RETURNING order_id";

  /** On a graceful stop: whatever this replica was driving is free for the others at once. */
  static final String RELEASE_LEASES =
      "UPDATE sagas SET owner = NULL, lease_until = NULL, updated_at = now() WHERE owner = $1 AND state IN " + ACTIVE;

  /** A step kept failing: let the saga rest, then any replica's sweep tries again. */
  static final String DEFER_SAGA =
      "UPDATE sagas SET owner = NULL, lease_until = now() + make_interval(secs => $3), last_error = $4, updated_at = now() "
          + "WHERE order_id = $1 AND owner = $2 AND state IN " + ACTIVE;

  /**
   * A commit or compensation hit the saga's limits: it rests for $3 seconds marked for an operator (the
   * order follows in the same transaction, {@link #ORDER_NEEDS_ATTENTION}); sweeps still try it at that pace.
   */
  static final String SAGA_NEEDS_ATTENTION =
      "UPDATE sagas SET attention_since = now(), owner = NULL, lease_until = now() + make_interval(secs => $3), "
          + "last_error = $4, updated_at = now() "
          + "WHERE order_id = $1 AND owner = $2 AND state IN ('COMMITTING', 'COMPENSATING') AND attention_since IS NULL";

  static final String ORDER_NEEDS_ATTENTION =
      "UPDATE orders SET status = 'NEEDS_ATTENTION', updated_at = now() WHERE id = $1 AND status = 'PENDING'";

  // Each transition names the state it leaves and the owner: a replica that lost the lease changes nothing.

  static final String TO_CHARGING =
      "UPDATE sagas SET state = 'CHARGING', charge_attempted = true, lease_until = now() + make_interval(secs => $3), "
          + "step_runs = 1, last_error = NULL, updated_at = now() WHERE order_id = $1 AND owner = $2 AND state = 'RESERVING'";

  /** The order's line of a product at the reservation's name and unit price (the price charged, see ReservedPrices). */
  static final String REPRICE_LINE =
      "UPDATE order_lines SET name = $3, unit_price_minor = $4 WHERE order_id = $1 AND product_id = $2";

  /** The order's total at the reservation's prices; only while the order is PENDING. */
  static final String REPRICE_ORDER =
      "UPDATE orders SET total_minor = $2, updated_at = now() WHERE id = $1 AND status = 'PENDING'";

  static final String TO_COMMITTING =
      "UPDATE sagas SET state = 'COMMITTING', payment_id = $3, lease_until = now() + make_interval(secs => $4), "
          + "step_runs = 1, last_error = NULL, updated_at = now() WHERE order_id = $1 AND owner = $2 AND state = 'CHARGING'";

  static final String TO_COMPENSATING =
      "UPDATE sagas SET state = 'COMPENSATING', cancel_reason = $3, cancel_message = $4, "
          + "lease_until = now() + make_interval(secs => $5), step_runs = 1, last_error = NULL, updated_at = now() "
          + "WHERE order_id = $1 AND owner = $2 AND state IN ('RESERVING', 'CHARGING', 'COMMITTING')";

  /** Ends the saga; the duration (seconds since checkout) feeds the saga timer. */
  static final String FINISH_SAGA =
      "UPDATE sagas SET state = $3, owner = NULL, lease_until = NULL, finished_at = now(), updated_at = now() "
          + "WHERE order_id = $1 AND owner = $2 AND state = $4 "
          + "RETURNING EXTRACT(EPOCH FROM (now() - created_at))::float8 AS seconds";

  static final String CONFIRM_ORDER =
      "UPDATE orders SET status = 'CONFIRMED', payment_id = $2, updated_at = now() WHERE id = $1 AND status IN " + UNSETTLED + " "
          + "RETURNING " + ORDER_COLUMNS;

  static final String CANCEL_ORDER =
      "UPDATE orders SET status = 'CANCELLED', cancel_reason = $2, cancel_message = $3, updated_at = now() "
          + "WHERE id = $1 AND status IN " + UNSETTLED + " RETURNING " + ORDER_COLUMNS;
}
