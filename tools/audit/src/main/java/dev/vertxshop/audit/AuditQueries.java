package dev.vertxshop.audit;

/**
 * The invariant checker's reads, across the orders, catalog and payments schemas (qualified names; the
 * role needs read access to the three: {@code shop_auditor} has {@code pg_read_all_data} and reads only).
 * Each windowed statement takes the start of the audited window as $1. This is the one place outside the
 * services that names their tables: an audit reads the whole shop on purpose, no service does.
 */
final class AuditQueries {

  /** The saga states of a checkout still running (the orders service's own list of unfinished states). */
  private static final String ACTIVE = "('RESERVING', 'CHARGING', 'COMMITTING', 'COMPENSATING')";

  private AuditQueries() {
  }

  /** Database time, so that windows never depend on the checker's clock. */
  static final String NOW = "SELECT now()";

  static final String ORDER_COUNTS =
      "SELECT status, count(*) AS orders, COALESCE(sum(total_minor), 0)::bigint AS amount FROM orders.orders "
          + "WHERE created_at >= $1 GROUP BY status";

  static final String UNFINISHED_SAGAS =
      "SELECT s.order_id, s.state FROM orders.sagas s JOIN orders.orders o ON o.id = s.order_id "
          + "WHERE o.created_at >= $1 AND s.state IN " + ACTIVE + " ORDER BY s.order_id";

  static final String PENDING_ORDERS =
      "SELECT id FROM orders.orders WHERE created_at >= $1 AND status = 'PENDING' ORDER BY id";

  /** Decided orders with the state of their reservation and payment (null when there is none). */
  static final String DECIDED_ORDERS =
      "SELECT o.id, o.status, o.total_minor, o.currency, o.payment_id, r.status AS reservation, "
          + "p.status AS payment, p.amount_minor AS payment_amount "
          + "FROM orders.orders o "
          + "LEFT JOIN catalog.reservations r ON r.order_id = o.id "
          + "LEFT JOIN payments.payments p ON p.order_id = o.id "
          + "WHERE o.created_at >= $1 AND o.status IN ('CONFIRMED', 'CANCELLED') ORDER BY o.created_at, o.id";

  /** Units of each order line versus the units its reservation holds, for confirmed orders. */
  static final String CONFIRMED_UNITS_MISMATCH =
      "SELECT o.id, l.product_id, l.quantity, rl.quantity AS reserved FROM orders.orders o "
          + "JOIN (SELECT order_id, product_id, sum(quantity)::int AS quantity FROM orders.order_lines GROUP BY order_id, product_id) l "
          + "ON l.order_id = o.id "
          + "LEFT JOIN catalog.reservation_lines rl ON rl.order_id = o.id AND rl.product_id = l.product_id "
          + "WHERE o.created_at >= $1 AND o.status = 'CONFIRMED' AND rl.quantity IS DISTINCT FROM l.quantity";

  /**
   * CAPTURED payments made since $1 whose order is not CONFIRMED (another status, or no order at all),
   * with the provider's charge id: such money is kept only if that charge was refunded.
   */
  static final String CAPTURED_NOT_CONFIRMED =
      "SELECT p.order_id, p.provider_charge_id, o.status AS order_status FROM payments.payments p "
          + "LEFT JOIN orders.orders o ON o.id = p.order_id "
          + "WHERE p.created_at >= $1 AND p.status = 'CAPTURED' AND o.status IS DISTINCT FROM 'CONFIRMED' "
          + "ORDER BY p.order_id";

  static final String NEGATIVE_STOCK = "SELECT id, stock FROM catalog.products WHERE stock < 0 ORDER BY id";

  static final String HELD_RESERVATIONS =
      "SELECT order_id FROM catalog.reservations WHERE status = 'HELD' AND created_at >= $1 ORDER BY order_id";

  static final String STOCK = "SELECT id, stock FROM catalog.products";

  /** Units sold per product by reservations committed for checkouts made since $1. */
  static final String COMMITTED_UNITS_SINCE =
      "SELECT rl.product_id, sum(rl.quantity)::bigint AS units FROM catalog.reservations r "
          + "JOIN catalog.reservation_lines rl ON rl.order_id = r.order_id "
          + "WHERE r.status = 'COMMITTED' AND r.created_at >= $1 GROUP BY rl.product_id";

  /** Products whose stock is not the sum of their stock ledger's deltas (catalog.stock_movements). */
  static final String LEDGER_MISMATCH =
      "SELECT p.id, p.stock, coalesce(sum(m.delta), 0)::bigint AS ledger FROM catalog.products p "
          + "LEFT JOIN catalog.stock_movements m ON m.product_id = p.id GROUP BY p.id, p.stock "
          + "HAVING p.stock <> coalesce(sum(m.delta), 0) ORDER BY p.id";

  /**
   * Units moved per product since $1 by the admin's stock writes (adjustments, version-checked updates). A change
   * without a reason (SQL by hand) is not among them: it breaks conservation, as it should.
   */
  static final String OTHER_MOVES_SINCE =
      "SELECT product_id, sum(delta)::bigint AS units FROM catalog.stock_movements WHERE created_at >= $1 "
          + "AND (reason LIKE 'adjusted: %' OR reason LIKE 'product update (%') GROUP BY product_id";
}
