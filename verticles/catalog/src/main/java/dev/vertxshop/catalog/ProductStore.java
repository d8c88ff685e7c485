package dev.vertxshop.catalog;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.AdjustStock;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.Categories;
import dev.vertxshop.contracts.catalog.Category;
import dev.vertxshop.contracts.catalog.ListProducts;
import dev.vertxshop.contracts.catalog.Product;
import dev.vertxshop.contracts.catalog.ProductFields;
import dev.vertxshop.contracts.catalog.ProductList;
import dev.vertxshop.contracts.catalog.ProductPage;
import dev.vertxshop.contracts.catalog.ProductUpserted;
import dev.vertxshop.contracts.catalog.StockAdjusted;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.Outbox;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Products and categories in PostgreSQL. Every change writes its {@link ProductUpserted} outbox row in
 * the same transaction, carrying the product exactly as {@link #get} returns it.
 */
final class ProductStore {

  private static final Logger LOG = LoggerFactory.getLogger(ProductStore.class);

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final String CHECK_VIOLATION = "23514";

  private final Pool pool;
  private final Runnable afterCommit;

  /** {@code afterCommit} runs after every committed change (it kicks the outbox relay). */
  ProductStore(Pool pool, Runnable afterCommit) {
    this.pool = pool;
    this.afterCommit = afterCommit;
  }

  Future<Product> get(UUID id) {
    return pool.preparedQuery(CatalogQueries.GET_PRODUCT).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(product(rows.iterator().next())));
  }

  /** The products among {@code ids} that exist, in the order asked for. */
  Future<ProductList> getMany(List<UUID> ids) {
    return pool.preparedQuery(CatalogQueries.GET_PRODUCTS).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
      Map<UUID, Product> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getUUID("id"), product(row)));
      return new ProductList(ids.stream().map(found::get).filter(Objects::nonNull).toList());
    });
  }

  Future<ProductPage> list(ListProducts query) {
    boolean inCategory = query.category() != null;
    Tuple page = inCategory
        ? Tuple.of((long) query.size(), query.offset(), query.category())
        : Tuple.of((long) query.size(), query.offset());
    Future<RowSet<Row>> items = pool.preparedQuery(CatalogQueries.listProducts(query.sort(), inCategory)).execute(page);
    // Two statements on two connections: a write landing in between can make the total differ from
    // the items by one, which a paging UI tolerates; a transaction would cost a round trip per list.
    Future<RowSet<Row>> total = inCategory
        ? pool.preparedQuery(CatalogQueries.COUNT_PRODUCTS_IN_CATEGORY).execute(Tuple.of(query.category()))
        : pool.preparedQuery(CatalogQueries.COUNT_PRODUCTS).execute();
    return Future.all(items, total).map(done -> {
      List<Product> found = new ArrayList<>(items.result().size());
      items.result().forEach(row -> found.add(product(row)));
      return new ProductPage(found, query.page(), query.size(), total.result().iterator().next().getLong(0));
    });
  }

  Future<Product> create(ProductFields input) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery(CatalogQueries.INSERT_PRODUCT).execute(tuple(id, input))
            .compose(rows -> appendEvent(tx, product(rows.iterator().next()))))
        .recover(failure -> Future.failedFuture(translate(failure, input)))
        .onSuccess(product -> {
          LOG.info("product {} created (sku {})", id, input.sku());
          afterCommit.run();
        });
  }

  /**
   * Replaces every field; {@code expectedVersion} (optional) must be the current version. A null stock keeps the stock;
   * a stock is only set under an expected version: reservations and adjustments move it all the time (and bump the
   * version), so an unconditional absolute level would undo the moves made since the caller read it.
   */
  Future<Product> update(UUID id, ProductFields input, Long expectedVersion) {
    if (input.stock() != null && expectedVersion == null) {
      return Future.failedFuture(ServiceException.badRequest("'product.stock' may only be set with the version it was read at "
          + "('version', or If-Match at the gateway): stock moves with every sale. Leave 'stock' out to keep it, or adjust it "
          + "relatively with " + CatalogContract.ADJUST_STOCK.address()));
    }
    return pool.withTransaction(tx -> tx.preparedQuery(CatalogQueries.LOCK_PRODUCT_VERSION).execute(Tuple.of(id))
            .compose(locked -> {
              if (locked.size() == 0) {
                return Future.failedFuture(notFound(id));
              }
              long current = locked.iterator().next().getLong(0);
              if (expectedVersion != null && expectedVersion != current) {
                return Future.failedFuture(stale(id, current, expectedVersion));
              }
              Future<?> reason = input.stock() == null ? Future.succeededFuture()
                  : tx.preparedQuery(CatalogQueries.STOCK_REASON).execute(Tuple.of("product update (version " + current + ")"));
              return reason.compose(v -> tx.preparedQuery(CatalogQueries.UPDATE_PRODUCT).execute(tuple(id, input)))
                  .compose(rows -> appendEvent(tx, product(rows.iterator().next())));
            }))
        .recover(failure -> Future.failedFuture(translate(failure, input)))
        .onSuccess(product -> {
          LOG.info("product {} updated to version {}", id, product.version());
          afterCommit.run();
        });
  }

  /**
   * Adds {@code delta} units (negative: takes them) to the product's stock, under the product's row lock, with a ledger
   * row naming {@code reason}; {@code expectedVersion} (optional) must be the current version. Stock is "available now",
   * the units held by reservations being out of it already: a delta that would take more than is available would leave
   * fewer units on hand than reservations hold, and is refused (CONFLICT), as is a level above the maximum (BAD_REQUEST).
   */
  Future<StockAdjusted> adjust(AdjustStock request) {
    UUID id = request.productId();
    int delta = request.delta();
    String reason = request.reason();
    Long expectedVersion = request.version();
    return pool.withTransaction(tx -> tx.preparedQuery(CatalogQueries.LOCK_STOCK).execute(Tuple.of(id))
            .compose(locked -> {
              if (locked.size() == 0) {
                return Future.failedFuture(notFound(id));
              }
              Row row = locked.iterator().next();
              int stock = row.getInteger("stock");
              long version = row.getLong("version");
              long held = row.getLong("held");
              if (expectedVersion != null && expectedVersion != version) {
                return Future.failedFuture(stale(id, version, expectedVersion));
              }
              long level = (long) stock + delta;
              if (level < 0) {
                return Future.failedFuture(ServiceException.conflict("product " + id + " has " + stock + " units available and "
                    + held + " held by reservations (" + (stock + held) + " on hand): a delta of " + delta
                    + " would leave fewer units on hand than reservations hold; at most " + stock + " can be taken"));
              }
              if (level > ProductFields.MAX_STOCK) {
                return Future.failedFuture(ServiceException.badRequest("product " + id + " has " + stock
                    + " units available: a delta of " + delta + " would make " + level + ", more than " + ProductFields.MAX_STOCK));
              }
              return tx.preparedQuery(CatalogQueries.STOCK_REASON).execute(Tuple.of("adjusted: " + reason))
                  .compose(v -> tx.preparedQuery(CatalogQueries.ADJUST_STOCK).execute(Tuple.of(id, delta)))
                  .compose(rows -> appendEvent(tx, product(rows.iterator().next())))
                  .map(product -> new StockAdjusted(id, delta, reason, product.stock(), held, product.version()));
            }))
        .onSuccess(adjusted -> {
          LOG.info("product {} stock adjusted by {} to {} ({})", id, delta, adjusted.stock(), reason);
          afterCommit.run();
        });
  }

  private static ServiceException stale(UUID id, long current, long expected) {
    return new ServiceException(ErrorCode.PRECONDITION_FAILED, "product " + id + " is at version " + current + ", not "
        + expected + "; nothing was changed. Read it again and retry with its current version");
  }

  Future<Categories> categories() {
    return pool.preparedQuery(CatalogQueries.LIST_CATEGORIES).execute().map(rows -> {
      List<Category> items = new ArrayList<>(rows.size());
      rows.forEach(row -> items.add(new Category(row.getString("id"), row.getString("name"))));
      return new Categories(items);
    });
  }

  /** Records the change for Kafka in the caller's transaction; completes with the product. */
  static Future<Product> appendEvent(SqlClient tx, Product product) {
    ProductUpserted event = new ProductUpserted(product);
    return Outbox.append(tx, CatalogContract.PRODUCTS_TOPIC, event.key(), ProductUpserted.TYPE, event.toJson()).map(product);
  }

  /** The contract's product for a row of {@link CatalogQueries#PRODUCT_COLUMNS}. */
  static Product product(Row row) {
    return new Product(row.getUUID("id"), row.getString("sku"), row.getString("name"), row.getString("description"),
        row.getString("category_id"), new Money(row.getLong("price_minor"), row.getString("currency")), row.getInteger("stock"),
        row.getLong("version"), row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** Parameters of {@link CatalogQueries#INSERT_PRODUCT} and {@link CatalogQueries#UPDATE_PRODUCT}. */
  private static Tuple tuple(UUID id, ProductFields input) {
    return Tuple.of(id, input.sku(), input.name(), input.description(), input.category(), input.price().amount(),
        input.price().currency(), input.stock());
  }

  private static ServiceException notFound(UUID id) {
    return ServiceException.notFound("product " + id + " not found");
  }

  // The constraints are the checks that need the data (sku taken, category exists): exact even with
  // concurrent writers, where a SELECT first would race. Anything else stays an internal error.
  private static Throwable translate(Throwable failure, ProductFields input) {
    if (failure instanceof PgException pg && pg.getSqlState() != null) {
      String constraint = String.valueOf(pg.getConstraint());
      switch (pg.getSqlState()) {
        case UNIQUE_VIOLATION:
          if (constraint.equals("products_sku_unique")) {
            return ServiceException.conflict("sku '" + input.sku() + "' is already used by another product");
          }
          break;
        case FOREIGN_KEY_VIOLATION:
          if (constraint.equals("products_category_fk")) {
            return ServiceException.badRequest("unknown category '" + input.category() + "'");
          }
          break;
        case CHECK_VIOLATION:
          return ServiceException.badRequest("the product breaks the rule " + constraint);
        default:
          break;
      }
    }
    return failure;
  }
}
