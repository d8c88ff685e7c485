package dev.vertxshop.contracts.notifications;

/**
 * The notifications service's published contract. It consumes order and payment events and keeps one
 * notification per user-visible event.
 *
 * <p>A notification is {@code {"id", "userId", "type" (the event type), "title", "body", "orderId"?,
 * "createdAt"}}.
 *
 * <p>Types: {@code OrderConfirmed}, {@code OrderCancelled}, {@code PaymentCaptured},
 * {@code PaymentDeclined}, {@code PaymentRefunded} ({@code OrderPlaced} gives none). {@code createdAt}
 * is when the event occurred. In {@link #LIST}, {@code userId} is a UUID, {@code page} defaults to 1
 * (at most 100 000) and {@code size} to 20; any other field, a wrong type or a value out of range fails
 * BAD_REQUEST.
 */
public final class NotificationsContract {

  private NotificationsContract() {
  }

  /** {@code {"userId", "page" (from 1), "size" (1..100)}} → {@code {"items": [notification], "page", "size", "total"}}, newest first. */
  public static final String LIST = "notifications.list";
}
