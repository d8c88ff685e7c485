package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Products and categories in PostgreSQL. Every change writes its {@code ProductUpserted} outbox row in
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

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(CatalogQueries.GET_PRODUCT).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  /** The products among {@code ids} that exist, in the order asked for. */
  Future<JsonObject> getMany(List<UUID> ids) {
    return pool.preparedQuery(CatalogQueries.GET_PRODUCTS).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
      Map<UUID, JsonObject> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getUUID("id"), toJson(row)));
      JsonArray items = new JsonArray();
      ids.stream().map(found::get).filter(Objects::nonNull).forEach(items::add);
      return new JsonObject().put("items", items);
    });
  }

  Future<JsonObject> list(ListQuery query) {
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
      JsonArray array = new JsonArray();
      items.result().forEach(row -> array.add(toJson(row)));
      return new JsonObject()
          .put("items", array)
          .put("page", query.page())
          .put("size", query.size())
          .put("total", total.result().iterator().next().getLong(0));
    });
  }

  Future<JsonObject> create(ProductInput input) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery(CatalogQueries.INSERT_PRODUCT).execute(input.tuple(id))
            .compose(rows -> appendEvent(tx, toJson(rows.iterator().next()))))
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
  Future<JsonObject> update(UUID id, ProductInput input, Long expectedVersion) {
    if (input.stock() != null && expectedVersion == null) {
      return Future.failedFuture(ServiceException.badRequest("'product.stock' may only be set with the version it was read at "
          + "('version', or If-Match at the gateway): stock moves with every sale. Leave 'stock' out to keep it, or adjust it "
          + "relatively with " + CatalogContract.ADJUST_STOCK));
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
              return reason.compose(v -> tx.preparedQuery(CatalogQueries.UPDATE_PRODUCT).execute(input.tuple(id)))
                  .compose(rows -> appendEvent(tx, toJson(rows.iterator().next())));
            }))
        .recover(failure -> Future.failedFuture(translate(failure, input)))
        .onSuccess(product -> {
          LOG.info("product {} updated to version {}", id, product.getLong("version"));
          afterCommit.run();
        });
  }

  /**
   * Adds {@code delta} units (negative: takes them) to the product's stock, under the product's row lock, with a ledger
   * row naming {@code reason}; {@code expectedVersion} (optional) must be the current version. Stock is "available now",
   * the units held by reservations being out of it already: a delta that would take more than is available would leave
   * fewer units on hand than reservations hold, and is refused (CONFLICT), as is a level above the maximum (BAD_REQUEST).
   */
  Future<JsonObject> adjust(UUID id, int delta, String reason, Long expectedVersion) {
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
              if (level > ProductInput.MAX_STOCK) {
                return Future.failedFuture(ServiceException.badRequest("product " + id + " has " + stock
                    + " units available: a delta of " + delta + " would make " + level + ", more than " + ProductInput.MAX_STOCK));
              }
              return tx.preparedQuery(CatalogQueries.STOCK_REASON).execute(Tuple.of("adjusted: " + reason))
                  .compose(v -> tx.preparedQuery(CatalogQueries.ADJUST_STOCK).execute(Tuple.of(id, delta)))
                  .compose(rows -> appendEvent(tx, toJson(rows.iterator().next())))
                  .map(product -> new JsonObject()
                      .put("productId", id.toString())
                      .put("delta", delta)
                      .put("reason", reason)
                      .put("stock", product.getInteger("stock"))
                      .put("held", held)
                      .put("version", product.getLong("version")));
            }))
        .onSuccess(adjusted -> {
          LOG.info("product {} stock adjusted by {} to {} ({})", id, delta, adjusted.getInteger("stock"), reason);
          afterCommit.run();
        });
  }

  private static ServiceException stale(UUID id, long current, long expected) {
    return new ServiceException(ErrorCode.PRECONDITION_FAILED, "product " + id + " is at version " + current + ", not "
        + expected + "; nothing was changed. Read it again and retry with its current version");
  }

  Future<JsonObject> categories() {
    return pool.preparedQuery(CatalogQueries.LIST_CATEGORIES).execute().map(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(row -> items.add(new JsonObject().put("id", row.getString("id")).put("name", row.getString("name"))));
      return new JsonObject().put("items", items);
    });
  }

  /** Records the change for Kafka in the caller's transaction; completes with the product. */
  static Future<JsonObject> appendEvent(SqlClient tx, JsonObject product) {
    String key = product.getString("id");
    return Outbox.append(tx, CatalogContract.PRODUCTS_TOPIC, key, CatalogContract.PRODUCT_UPSERTED, product).map(product);
  }

  /** The contract's product JSON for a row of {@link CatalogQueries#PRODUCT_COLUMNS}. */
  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("sku", row.getString("sku"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("category", row.getString("category_id"))
        .put("price", new JsonObject().put("amount", row.getLong("price_minor")).put("currency", row.getString("currency")))
        .put("stock", row.getInteger("stock"))
        .put("version", row.getLong("version"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updatedAt", row.getOffsetDateTime("updated_at").toInstant().toString());
  }

  private static ServiceException notFound(UUID id) {
    return ServiceException.notFound("product " + id + " not found");
  }

  // The constraints are the checks that need the data (sku taken, category exists): exact even with
  // concurrent writers, where a SELECT first would race. Anything else stays an internal error.
  private static Throwable translate(Throwable failure, ProductInput input) {
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
