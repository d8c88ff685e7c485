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
          + "stock = $8, version = version + 1, updated_at = now() WHERE id = $1 RETURNING " + PRODUCT_COLUMNS;

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

  // Demo seed.

  /** Serializes seeders across replicas for the length of the seeding transaction. */
  static final String SEED_LOCK = "SELECT pg_advisory_xact_lock(hashtext('catalog.demo-seed'))";
  static final String ANY_PRODUCT = "SELECT EXISTS (SELECT 1 FROM products)";
  /** Categories someone already created (with SQL, say) are left as they are. */
  static final String INSERT_CATEGORY_IF_ABSENT =
      "INSERT INTO categories (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";
}
