package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.observability.Correlation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Appends domain events to the service's outbox table. Call it with the transaction's connection so
 * that the event exists exactly when the change it describes does.
 */
public final class Outbox {

  private static final String INSERT =
      "INSERT INTO outbox (event_id, topic, event_key, event_type, payload, correlation_id) VALUES ($1, $2, $3, $4, $5, $6)";

  private Outbox() {
  }

  /** Returns the new event's id. */
  public static Future<UUID> append(SqlClient tx, String topic, String key, String type, JsonObject payload) {
    UUID eventId = UUID.randomUUID();
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(eventId, topic, key, type, payload, Correlation.current()))
        .map(eventId);
  }
}
