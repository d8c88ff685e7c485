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
