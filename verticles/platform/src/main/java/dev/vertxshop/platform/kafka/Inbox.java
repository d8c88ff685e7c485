package dev.vertxshop.platform.kafka;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Function;

/**
 * Exactly-once effects for at-least-once delivery: the event id is recorded in the service's
 * {@code inbox} table in the same transaction as the event's effect, so a redelivered event finds its
 * id there and changes nothing.
 */
public final class Inbox {

  private static final String RECORD =
      "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

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
}
