package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/**
 * Exactly-once effects for at-least-once delivery: the event id is recorded in the service's
 * {@code inbox} table in the same transaction as the event's effect, so a redelivered event finds its
 * id there and changes nothing.
 *
 * <p>Ids are kept for {@code SHOP_INBOX_RETENTION} after the event was first handled, then pruned
 * ({@link InboxPruneVerticle}): as long as an event can still be redelivered, and no longer. The longest
 * redelivery comes from the topic itself: a group whose committed offsets expired (Kafka forgets those of
 * a group empty for 7 days) starts again from the earliest record still there, and an event topic keeps a
 * record for its retention ({@link Topics#EVENTS_RETENTION}, 7 days) plus up to one segment's lifetime
 * (7 more, segments being deleted whole). Hence the default, {@link #DEFAULT_RETENTION}: 15 days, that
 * bound plus a day. A shorter retention lets such a replay apply an old event a second time.
 */
public final class Inbox {

  /** Two event-topic retentions (the retention plus a segment's lifetime) and a day of margin. */
  public static final Duration DEFAULT_RETENTION = Topics.EVENTS_RETENTION.multipliedBy(2).plusDays(1);

  /** Rows deleted per statement, so that a prune never holds a long transaction over a big table. */
  static final int PRUNE_BATCH = 10_000;

  private static final String RECORD =
      "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  private static final String PRUNE = "DELETE FROM inbox WHERE ctid = ANY(ARRAY("
      + "SELECT ctid FROM inbox WHERE processed_at < now() - make_interval(secs => $1) LIMIT $2))";

  private Inbox() {
  }

  /**
   * Runs {@code effect} in a transaction unless {@code consumer} already processed {@code eventId};
   * completes with true when the effect ran, false for a duplicate.
   */
  public static Future<Boolean> once(Pool pool, String consumer, String eventId, Function<SqlConnection, Future<?>> effect) {
    UUID id;
    try {
      id = UUID.fromString(eventId);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new MalformedEventException(DeadLetters.BAD_ENVELOPE, "event id is not a UUID: " + eventId));
    }
    return pool.withTransaction(tx -> tx.preparedQuery(RECORD).execute(Tuple.of(consumer, id)).compose(inserted -> {
      if (inserted.rowCount() == 0) {
        return Future.succeededFuture(false);
      }
      return effect.apply(tx).map(true);
    }));
  }

  /** {@code SHOP_INBOX_RETENTION}: how long handled event ids are kept (1 minute to 365 days). */
  public static Duration retention(Env env) {
    return env.duration("INBOX_RETENTION", DEFAULT_RETENTION, Duration.ofMinutes(1), Duration.ofDays(365));
  }

  /**
   * Deletes the ids handled more than {@code retention} ago, every consumer of the schema alike, in
   * batches; completes with the number of rows deleted.
   */
  public static Future<Long> prune(Pool pool, Duration retention) {
    return pruneFrom(pool, (double) retention.toSeconds(), 0L);
  }

  private static Future<Long> pruneFrom(Pool pool, double seconds, long deletedSoFar) {
    return pool.preparedQuery(PRUNE).execute(Tuple.of(seconds, PRUNE_BATCH)).compose(deleted -> {
      long total = deletedSoFar + deleted.rowCount();
      return deleted.rowCount() < PRUNE_BATCH ? Future.succeededFuture(total) : pruneFrom(pool, seconds, total);
    });
  }
}
