package dev.vertxshop.cart;

/** Every SQL statement of the cart service, all with bound parameters ($n). */
final class CartQueries {

  private CartQueries() {
  }

  /**
   * The cart and its lines in one statement (one snapshot): no row when the user has no cart, one row
   * with a null product when the cart has no line. Lines in the order they were added.
   */
  static final String CART =
      "SELECT c.updated_at, l.product_id, l.quantity, l.added_at FROM carts c "
          + "LEFT JOIN cart_lines l ON l.user_id = c.user_id WHERE c.user_id = $1 ORDER BY l.added_at, l.product_id";

  /**
   * Creates the cart or counts a change to it. Either way the row stays locked until the transaction
   * ends, so concurrent writes to one cart run one after the other; a refused change rolls it back.
   */
  static final String TOUCH_CART =
      "INSERT INTO carts (user_id) VALUES ($1) "
          + "ON CONFLICT (user_id) DO UPDATE SET version = carts.version + 1, updated_at = now()";

  /** Locks an existing cart without changing it (removals change it only if a line goes). */
  static final String LOCK_CART = "SELECT version FROM carts WHERE user_id = $1 FOR UPDATE";

  static final String BUMP_CART = "UPDATE carts SET version = version + 1, updated_at = now() WHERE user_id = $1";

  /** How many lines the cart has, and the quantity of one product's line (null without one). */
  static final String LINE_STATE =
      "SELECT count(*), max(quantity) FILTER (WHERE product_id = $2) FROM cart_lines WHERE user_id = $1";

  /** A new line gets added_at now; an existing line keeps its place in the cart. */
  static final String UPSERT_LINE =
      "INSERT INTO cart_lines (user_id, product_id, quantity) VALUES ($1, $2, $3) "
          + "ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity";

  static final String DELETE_LINE = "DELETE FROM cart_lines WHERE user_id = $1 AND product_id = $2";

  // Idempotency keys of adds.

  /**
   * Claims a key, first in the add's transaction: one row when claimed; none when the key is taken, after waiting for a
   * transaction that is claiming it to end (then {@link #KEYED} reads what it stands for).
   */
  static final String CLAIM_KEY =
      "INSERT INTO idempotency_keys (user_id, idem_key, operation, request) VALUES ($1, $2, $3, $4::jsonb) "
          + "ON CONFLICT (user_id, idem_key) DO NOTHING RETURNING idem_key";

  /** What a key stands for, and whether $3 and $4 are the same operation and fields (jsonb equality: field order aside). */
  static final String KEYED =
      "SELECT operation = $3 AND request = $4::jsonb AS same, reply, operation, request FROM idempotency_keys "
          + "WHERE user_id = $1 AND idem_key = $2";

  static final String STORE_REPLY = "UPDATE idempotency_keys SET reply = $3::jsonb WHERE user_id = $1 AND idem_key = $2";

  /** Deletes up to $2 keys older than $1 seconds; rows another replica is deleting are skipped. */
  static final String PRUNE_KEYS =
      "DELETE FROM idempotency_keys WHERE (user_id, idem_key) IN (SELECT user_id, idem_key FROM idempotency_keys "
          + "WHERE created_at < now() - make_interval(secs => $1) LIMIT $2 FOR UPDATE SKIP LOCKED)";

  // Clearing after checkout: $2 product ids and $3 ordered quantities, as parallel arrays (one per product).

  /** Lines the order took entirely. */
  static final String DELETE_ORDERED =
      "DELETE FROM cart_lines l USING unnest($2::uuid[], $3::int[]) AS o(product_id, quantity) "
          + "WHERE l.user_id = $1 AND l.product_id = o.product_id AND l.quantity <= o.quantity";

  /** Lines with more units than the order took (units added after the checkout): the rest stays. */
  static final String SUBTRACT_ORDERED =
      "UPDATE cart_lines l SET quantity = l.quantity - o.quantity FROM unnest($2::uuid[], $3::int[]) AS o(product_id, quantity) "
          + "WHERE l.user_id = $1 AND l.product_id = o.product_id AND l.quantity > o.quantity";
}
