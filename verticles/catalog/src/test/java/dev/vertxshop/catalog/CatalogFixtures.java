package dev.vertxshop.catalog;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/** Shared helpers of the catalog tests: unique names, a direct pool on the schema, row counts, waiting. */
final class CatalogFixtures {

  private CatalogFixtures() {
  }

  /** A pool on the catalog schema, for checking what the service wrote (and seeding test categories). */
  static Pool pool(Vertx vertx, Env env) {
    return Databases.pool(vertx, DatabaseConfig.from(env), CatalogService.NAME);
  }

  /**
   * Closes the test pool, then stops the node. The node's stop is awaited directly: a future chained
   * from the pool's would report on an event loop that the stop itself shuts down, and never arrive.
   */
  static void stop(Pool db, ShopNode node, VertxTestContext ctx) {
    Future<Void> closed = db == null ? Future.succeededFuture() : db.close();
    closed.onComplete(ignored -> {
      if (node == null) {
        ctx.completeNow();
      } else {
        node.stop().onComplete(ctx.succeedingThenComplete());
      }
    });
  }

  /** A sku no other test uses. */
  static String uniqueSku(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase(Locale.ROOT);
  }

  /** A category id no other test uses. */
  static String uniqueCategoryId() {
    return "t-" + UUID.randomUUID().toString().substring(0, 13);
  }

  /** The catalog has no endpoint to create categories: tests add theirs directly. */
  static Future<String> insertCategory(Pool pool, String id, String name) {
    return pool.preparedQuery("INSERT INTO categories (id, name) VALUES ($1, $2)").execute(Tuple.of(id, name)).map(id);
  }

  static JsonObject product(String sku, String name, String category, long price, int stock) {
    return new JsonObject()
        .put("sku", sku)
        .put("name", name)
        .put("description", "Test product " + sku)
        .put("category", category)
        .put("price", Money.eur(price).toJson())
        .put("stock", stock);
  }

  /** Products and outbox rows in the whole schema: a rejected request must change neither. */
  record Counts(long products, long outbox) {
  }

  static Future<Counts> counts(Pool pool) {
    return pool.query("SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM outbox)").execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Counts(row.getLong(0), row.getLong(1));
        });
  }

  /** Outbox rows of one product, oldest first: event id, payload and whether it was published. */
  record OutboxRow(UUID eventId, String type, JsonObject payload, boolean published) {
  }

  static Future<List<OutboxRow>> outboxFor(Pool pool, String productId) {
    String sql = "SELECT event_id, event_type, payload, published_at FROM outbox WHERE event_key = $1 ORDER BY id";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(productId))
        .map(rows -> {
          List<OutboxRow> out = new ArrayList<>();
          rows.forEach(row -> out.add(new OutboxRow(row.getUUID("event_id"), row.getString("event_type"),
              row.getJsonObject("payload"), row.getValue("published_at") != null)));
          return out;
        });
  }

  /** Waits until every outbox row of {@code productId} is published (there must be {@code expected}). */
  static Future<List<OutboxRow>> awaitPublished(Vertx vertx, Pool pool, String productId, int expected) {
    return eventually(vertx, Duration.ofSeconds(20), () -> outboxFor(pool, productId)
        .map(rows -> rows.size() == expected && rows.stream().allMatch(OutboxRow::published) ? rows : null));
  }

  /**
   * Polls {@code probe} until it yields a non-null value, or fails after {@code timeout}. A wait for
   * a condition, not a sleep standing in for an assertion: the test goes on as soon as it holds.
   */
  static <T> Future<T> eventually(Vertx vertx, Duration timeout, Supplier<Future<T>> probe) {
    Promise<T> promise = Promise.promise();
    long deadline = System.nanoTime() + timeout.toNanos();
    poll(vertx, probe, deadline, promise);
    return promise.future();
  }

  private static <T> void poll(Vertx vertx, Supplier<Future<T>> probe, long deadline, Promise<T> promise) {
    probe.get().onComplete(result -> {
      if (result.succeeded() && result.result() != null) {
        promise.complete(result.result());
      } else if (System.nanoTime() > deadline) {
        promise.fail(new AssertionError("condition not met in time"
            + (result.failed() ? ": " + result.cause() : "")));
      } else {
        vertx.setTimer(50, id -> poll(vertx, probe, deadline, promise));
      }
    });
  }

  /**
   * What a rejected request left behind: its failure, the schema's counts before and after, and the
   * product it aimed at (when it had one) before and after.
   */
  record Rejection(ServiceException error, Counts before, Counts after, JsonObject productBefore, JsonObject productAfter) {
  }

  /**
   * Sends {@code request}, expecting a failure, and observes the counts (and {@code productId}'s state,
   * when not null) around it.
   */
  static Future<Rejection> rejection(Pool pool, CatalogClientView products, String productId, Supplier<Future<?>> request) {
    Supplier<Future<JsonObject>> product = () -> productId == null ? Future.succeededFuture() : products.get(productId);
    return product.get().compose(before -> counts(pool).compose(countsBefore -> failure(request.get())
        .compose(error -> counts(pool).compose(countsAfter -> product.get()
            .map(after -> new Rejection(error, countsBefore, countsAfter, before, after))))));
  }

  /** How {@link #rejection} reads a product back (the typed client's get). */
  interface CatalogClientView {
    Future<JsonObject> get(String id);
  }

  /** The failure of {@code future} as a service failure; a success fails the test. */
  static Future<ServiceException> failure(Future<?> future) {
    return future.transform(result -> result.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + result.result()))
        : Future.succeededFuture(ServiceException.from(result.cause())));
  }
}
