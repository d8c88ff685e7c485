package dev.vertxshop.users;

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
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** Shared helpers of the users tests: unique e-mails and addresses, a direct pool on the schema, counts, waiting. */
final class UsersFixtures {

  /** Fast Argon2 settings for tests that are not about the cost itself. */
  static final String TEST_MEMORY_KIB = "1024";
  static final String TEST_ITERATIONS = "1";

  private UsersFixtures() {
  }

  /** A pool on the users schema, for checking what the service wrote. */
  static Pool pool(Vertx vertx, Env env) {
    return Databases.pool(vertx, DatabaseConfig.from(env), UsersService.NAME);
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

  /** An e-mail no other test uses. */
  static String uniqueEmail(String prefix) {
    return prefix + "." + UUID.randomUUID().toString().substring(0, 13) + "@example.com";
  }

  /** A client address no other test uses (from the 10/8 private range). */
  static String uniqueAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  /** A register request body. */
  static JsonObject registration(String email, String password, String name) {
    return new JsonObject().put("email", email).put("password", password).put("name", name)
        .put("clientAddress", uniqueAddress());
  }

  /** Users and outbox rows in the whole schema: a rejected request must change neither. */
  record Counts(long users, long outbox) {
  }

  static Future<Counts> counts(Pool pool) {
    return pool.query("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM outbox)").execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Counts(row.getLong(0), row.getLong(1));
        });
  }

  /** The stored hash of a user. */
  static Future<String> storedHash(Pool pool, String userId) {
    return pool.preparedQuery("SELECT password_hash FROM users WHERE id = $1").execute(Tuple.of(UUID.fromString(userId)))
        .map(rows -> rows.iterator().next().getString(0));
  }

  /** Users registered under {@code email}, compared case-insensitively. */
  static Future<Long> usersWithEmail(Pool pool, String email) {
    return pool.preparedQuery("SELECT count(*) FROM users WHERE lower(email) = lower($1)").execute(Tuple.of(email))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Outbox rows of one user, oldest first: event id, type, payload and whether it was published. */
  record OutboxRow(UUID eventId, String type, JsonObject payload, boolean published) {
  }

  static Future<List<OutboxRow>> outboxFor(Pool pool, String userId) {
    String sql = "SELECT event_id, event_type, payload, published_at FROM outbox WHERE event_key = $1 ORDER BY id";
    return pool.preparedQuery(sql).execute(Tuple.of(userId)).map(rows -> {
      List<OutboxRow> out = new ArrayList<>();
      rows.forEach(row -> out.add(new OutboxRow(row.getUUID("event_id"), row.getString("event_type"),
          row.getJsonObject("payload"), row.getValue("published_at") != null)));
      return out;
    });
  }

  /**
   * Polls {@code probe} until it yields a non-null value, or fails after {@code timeout}. A wait for
   * a condition, not a sleep standing in for an assertion: the test goes on as soon as it holds.
   */
  static <T> Future<T> eventually(Vertx vertx, Duration timeout, Supplier<Future<T>> probe) {
    Promise<T> promise = Promise.promise();
    poll(vertx, probe, System.nanoTime() + timeout.toNanos(), promise);
    return promise.future();
  }

  private static <T> void poll(Vertx vertx, Supplier<Future<T>> probe, long deadline, Promise<T> promise) {
    probe.get().onComplete(result -> {
      if (result.succeeded() && result.result() != null) {
        promise.complete(result.result());
      } else if (System.nanoTime() > deadline) {
        promise.fail(new AssertionError("condition not met in time" + (result.failed() ? ": " + result.cause() : "")));
      } else {
        vertx.setTimer(50, id -> poll(vertx, probe, deadline, promise));
      }
    });
  }

  /** The failure of {@code future} as a service failure; a success fails the test. */
  static Future<ServiceException> failure(Future<?> future) {
    return future.transform(result -> result.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + result.result()))
        : Future.succeededFuture(ServiceException.from(result.cause())));
  }

  /** The outcome of {@code future} as a value either way: the reply, or the service failure. */
  static Future<Object> outcome(Future<?> future) {
    return future.transform(result -> Future.succeededFuture(
        result.succeeded() ? result.result() : ServiceException.from(result.cause())));
  }
}
