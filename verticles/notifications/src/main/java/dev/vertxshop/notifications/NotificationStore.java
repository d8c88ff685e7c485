package dev.vertxshop.notifications;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Notifications in PostgreSQL: written inside the consumer's inbox transaction, read per user. */
public final class NotificationStore {

  private final Pool pool;

  NotificationStore(Pool pool) {
    this.pool = pool;
  }

  /** Writes {@code notification} with the caller's transaction; completes with whether a row was added. */
  static Future<Boolean> insert(SqlClient tx, Notification notification, UUID eventId, OffsetDateTime createdAt) {
    return tx.preparedQuery(NotificationsQueries.INSERT)
        .execute(Tuple.of(UUID.randomUUID(), notification.userId(), notification.type(), notification.title(),
            notification.body(), notification.orderId(), eventId, createdAt))
        .map(rows -> rows.rowCount() == 1);
  }

  /** One page of the user's notifications, newest first, and the user's total. */
  Future<JsonObject> list(ListRequest request) {
    Future<RowSet<Row>> items = pool.preparedQuery(NotificationsQueries.LIST)
        .execute(Tuple.of(request.userId(), (long) request.size(), request.offset()));
    // Two statements: a notification landing in between can make the total differ from the items by
    // one, which a paging UI tolerates; a transaction would cost a round trip per page.
    Future<RowSet<Row>> total = pool.preparedQuery(NotificationsQueries.COUNT).execute(Tuple.of(request.userId()));
    return Future.all(items, total).map(done -> {
      JsonArray array = new JsonArray();
      items.result().forEach(row -> array.add(toJson(row)));
      return new JsonObject()
          .put("items", array)
          .put("page", request.page())
          .put("size", request.size())
          .put("total", total.result().iterator().next().getLong(0));
    });
  }

  /** The contract's notification JSON; {@code orderId} only when there is one. */
  static JsonObject toJson(Row row) {
    JsonObject json = new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("userId", row.getUUID("user_id").toString())
        .put("type", row.getString("type"))
        .put("title", row.getString("title"))
        .put("body", row.getString("body"));
    UUID orderId = row.getUUID("order_id");
    if (orderId != null) {
      json.put("orderId", orderId.toString());
    }
    return json.put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
