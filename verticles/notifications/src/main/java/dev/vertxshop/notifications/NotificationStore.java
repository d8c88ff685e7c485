package dev.vertxshop.notifications;

import dev.vertxshop.contracts.notifications.ListNotifications;
import dev.vertxshop.contracts.notifications.Notification;
import dev.vertxshop.contracts.notifications.NotificationPage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Notifications in PostgreSQL: written inside the consumer's inbox transaction, read per user. */
public final class NotificationStore {

  private final Pool pool;

  NotificationStore(Pool pool) {
    this.pool = pool;
  }

  /** Writes {@code notification} with the caller's transaction; completes with whether a row was added. */
  static Future<Boolean> insert(SqlClient tx, NotificationDraft notification, UUID eventId, OffsetDateTime createdAt) {
    return tx.preparedQuery(NotificationsQueries.INSERT)
        .execute(Tuple.of(UUID.randomUUID(), notification.userId(), notification.type(), notification.title(),
            notification.body(), notification.orderId(), eventId, createdAt))
        .map(rows -> rows.rowCount() == 1);
  }

  /** One page of the user's notifications, newest first, and the user's total. */
  Future<NotificationPage> list(ListNotifications request) {
    Future<RowSet<Row>> items = pool.preparedQuery(NotificationsQueries.LIST)
        .execute(Tuple.of(request.userId(), (long) request.size(), request.offset()));
    // Two statements: a notification landing in between can make the total differ from the items by
    // one, which a paging UI tolerates; a transaction would cost a round trip per page.
    Future<RowSet<Row>> total = pool.preparedQuery(NotificationsQueries.COUNT).execute(Tuple.of(request.userId()));
    return Future.all(items, total).map(done -> {
      List<Notification> page = new ArrayList<>();
      items.result().forEach(row -> page.add(notification(row)));
      return new NotificationPage(page, request.page(), request.size(), total.result().iterator().next().getLong(0));
    });
  }

  private static Notification notification(Row row) {
    return new Notification(row.getUUID("id"), row.getUUID("user_id"), row.getString("type"), row.getString("title"),
        row.getString("body"), row.getUUID("order_id"), row.getOffsetDateTime("created_at").toInstant());
  }
}
