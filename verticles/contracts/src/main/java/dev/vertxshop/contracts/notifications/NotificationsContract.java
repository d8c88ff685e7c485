package dev.vertxshop.contracts.notifications;

/**
 * The notifications service's published contract. It consumes order and payment events and keeps one
 * notification per user-visible event.
 *
 * <p>A notification is {@code {"id", "userId", "type" (the event type), "title", "body", "orderId"?,
 * "createdAt"}}.
 */
public final class NotificationsContract {

  private NotificationsContract() {
  }

  /** {@code {"userId", "page" (from 1), "size" (1..100)}} → {@code {"items": [notification], "page", "size", "total"}}, newest first. */
  public static final String LIST = "notifications.list";
}
