package dev.vertxshop.notifications;

/** Every SQL statement of the notifications service, all with bound parameters ($n). */
final class NotificationsQueries {

  private NotificationsQueries() {
  }

  /** A redelivered event that slipped past the inbox still gives one row: event_id is unique. */
  static final String INSERT =
      "INSERT INTO notifications (id, user_id, type, title, body, order_id, event_id, created_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING";

  /** ($1 user, $2 limit, $3 offset); id breaks ties of equal timestamps so pages never overlap. */
  static final String LIST =
      "SELECT id, user_id, type, title, body, order_id, created_at FROM notifications WHERE user_id = $1 "
          + "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";

  static final String COUNT = "SELECT count(*) FROM notifications WHERE user_id = $1";
}
