package dev.vertxshop.contracts.notifications;

import dev.vertxshop.platform.bus.Route;

/**
 * The notifications service's published contract. It consumes order and payment events and keeps one
 * {@link Notification} per user-visible event ({@code OrderPlaced} gives none). Every request and reply
 * is a record of this package; a request that does not read fails BAD_REQUEST.
 */
public final class NotificationsContract {

  private NotificationsContract() {
  }

  /** {@link ListNotifications} → {@link NotificationPage}, newest first. */
  public static final Route<ListNotifications, NotificationPage> LIST = Route.idempotent("notifications.list",
      ListNotifications.class, ListNotifications::fromJson, NotificationPage.class, NotificationPage::fromJson);
}
