package dev.vertxshop.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Every SQL statement of the catalog, all with bound parameters ($n); ORDER BY clauses come from a fixed set. */
final class CatalogQueries {

  private CatalogQueries() {
  }

  static final String PRODUCT_COLUMNS =
      "id, sku, name, description, category_id, price_minor, currency, stock, version, created_at, updated_at";

  static final String GET_PRODUCT = "SELECT " + PRODUCT_COLUMNS + " FROM products WHERE id = $1";

  static final String GET_PRODUCTS = "SELECT " + PRODUCT_COLUMNS + " FROM products WHERE id = ANY($1)";

  static final String INSERT_PRODUCT =
      "INSERT INTO products (id, sku, name, description, category_id, price_minor, currency, stock) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + PRODUCT_COLUMNS;

  /** Locks the row so that the version check and the update see the same version. */
  static final String LOCK_PRODUCT_VERSION = "SELECT version FROM products WHERE id = $1 FOR UPDATE";

  static final String UPDATE_PRODUCT =
      "UPDATE products SET sku = $2, name = $3, description = $4, category_id = $5, price_minor = $6, currency = $7, "
          + "stock = coalesce($8::int, stock), version = version + 1, updated_at = now() WHERE id = $1 RETURNING " + PRODUCT_COLUMNS;

  // The stock ledger (stock_movements) is written by a trigger on products; the writer names the reason.

  /** Names the reason of the stock movements the rest of this transaction makes (read by the ledger trigger). */
  static final String STOCK_REASON = "SELECT set_config('catalog.stock_reason', $1, true)";

  /** Locks the product; its stock, version, and the units HELD by reservations for it. */
  static final String LOCK_STOCK =
      "SELECT p.stock, p.version, (SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l JOIN reservations r "
          + "ON r.order_id = l.order_id WHERE l.product_id = p.id AND r.status = 'HELD') AS held "
          + "FROM products p WHERE p.id = $1 FOR UPDATE OF p";

  static final String ADJUST_STOCK =
      "UPDATE products SET stock = stock + $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING " + PRODUCT_COLUMNS;

  static final String COUNT_PRODUCTS = "SELECT count(*) FROM products";
  static final String COUNT_PRODUCTS_IN_CATEGORY = "SELECT count(*) FROM products WHERE category_id = $1";

  /** Sort key (as in the contract) to ORDER BY; id in the same direction breaks ties so paging is stable. */
  private static final Map<String, String> ORDER_BY = Map.of(
      "name", "name ASC, id ASC",
      "-name", "name DESC, id DESC",
      "price", "price_minor ASC, id ASC",
      "-price", "price_minor DESC, id DESC");

  private static final Map<String, String> LIST_ALL = listQueries(false);
  private static final Map<String, String> LIST_IN_CATEGORY = listQueries(true);

  /** The page query for a sort key already validated against {@link #sortKeys()}: ($1 limit, $2 offset[, $3 category]). */
  static String listProducts(String sort, boolean inCategory) {
    String sql = (inCategory ? LIST_IN_CATEGORY : LIST_ALL).get(sort);
    if (sql == null) {
      throw new IllegalArgumentException("unknown sort " + sort);
    }
    return sql;
  }

  static Set<String> sortKeys() {
    return ORDER_BY.keySet();
  }

  private static Map<String, String> listQueries(boolean inCategory) {
    Map<String, String> queries = new HashMap<>();
    ORDER_BY.forEach((sort, orderBy) -> queries.put(sort, "SELECT " + PRODUCT_COLUMNS + " FROM products"
        + (inCategory ? " WHERE category_id = $3" : "") + " ORDER BY " + orderBy + " LIMIT $1 OFFSET $2"));
    return Map.copyOf(queries);
  }

  static final String LIST_CATEGORIES = "SELECT id, name FROM categories ORDER BY name, id";

  // Stock reservations. Statements that change products.stock also bump version and updated_at, so that
  // an admin update carrying the version it read cannot overwrite units a reservation just moved.

  /**
   * Claims an order id for a new reservation. A concurrent claim of the same id waits for the first
   * transaction and then inserts nothing (row count 0): the in-database form of catching the primary
   * key's unique violation, without aborting the transaction.
   */
  static final String CLAIM_RESERVATION =
      "INSERT INTO reservations (order_id, status) VALUES ($1, 'HELD') ON CONFLICT (order_id) DO NOTHING";

  /** Takes units only if enough are there: the row lock plus the re-checked condition make it exact under concurrency. */
  static final String TAKE_STOCK =
      "UPDATE products SET stock = stock - $2, version = version + 1, updated_at = now() "
          + "WHERE id = $1 AND stock >= $2 RETURNING name, price_minor, currency";

  /** Why a take failed: the product is unknown, or has too few units. */
  static final String STOCK_OF = "SELECT id, name, stock FROM products WHERE id = ANY($1)";

  static final String INSERT_RESERVATION_LINE =
      "INSERT INTO reservation_lines (order_id, product_id, quantity, unit_price_minor, currency, name) "
          + "VALUES ($1, $2, $3, $4, $5, $6)";

  static final String RESERVATION_STATUS = "SELECT status FROM reservations WHERE order_id = $1";

  /** Serializes release and commit of one order. */
  static final String LOCK_RESERVATION = "SELECT status FROM reservations WHERE order_id = $1 FOR UPDATE";

  /** In product-id order, the order in which reserve locks products, so that release cannot deadlock with it. */
  static final String RESERVATION_LINES =
      "SELECT product_id, quantity, unit_price_minor, currency, name FROM reservation_lines WHERE order_id = $1 "
          + "ORDER BY product_id";

  static final String RETURN_STOCK =
      "UPDATE products SET stock = stock + $2, version = version + 1, updated_at = now() WHERE id = $1";

  static final String MARK_RELEASED = "UPDATE reservations SET status = 'RELEASED', updated_at = now() WHERE order_id = $1";

  /** Remembers a release that came before any reserve; a concurrent reserve's row wins (row count 0). */
  static final String INSERT_TOMBSTONE =
      "INSERT INTO reservations (order_id, status) VALUES ($1, 'RELEASED') ON CONFLICT (order_id) DO NOTHING";

  static final String COMMIT_RESERVATION =
      "UPDATE reservations SET status = 'COMMITTED', updated_at = now() WHERE order_id = $1 AND status = 'HELD'";

  // Demo seed.

  /** Serializes seeders across replicas for the length of the seeding transaction. */
  static final String SEED_LOCK = "SELECT pg_advisory_xact_lock(hashtext('catalog.demo-seed'))";
  static final String ANY_PRODUCT = "SELECT EXISTS (SELECT 1 FROM products)";
  /** Categories someone already created (with SQL, say) are left as they are. */
  static final String INSERT_CATEGORY_IF_ABSENT =
      "INSERT INTO categories (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
}
