package dev.vertxshop.notifications;

import dev.vertxshop.platform.json.Fields;
import dev.vertxshop.platform.kafka.DomainEvent;
import dev.vertxshop.platform.kafka.Inbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns consumed order and payment events into notifications, exactly once per event: the event id
 * goes into the inbox in the same transaction as the notification. Events that are not user-visible
 * (OrderPlaced, unknown types) are recorded in the inbox with no notification.
 */
final class EventNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(EventNotifier.class);

  private final Pool pool;

  EventNotifier(Pool pool) {
    this.pool = pool;
  }

  /**
   * Handles one event. Fails only when the database does (the consumer then retries without
   * committing the offset); an event whose content cannot make a notification is logged and
   * skipped, since no retry would fix it.
   */
  Future<?> handle(DomainEvent event) {
    if (!Fields.isUuid(event.eventId())) {
      LOG.error("skipping {} at {}/{}@{}: event id '{}' is not a UUID", event.type(), event.topic(), event.partition(),
          event.offset(), event.eventId());
      return Future.succeededFuture();
    }
    Optional<NotificationDraft> notification;
    try {
      notification = NotificationTemplates.from(event.topic(), event.type(), event.data());
    } catch (IllegalArgumentException e) {
      LOG.error("skipping {} {}: {}", event.type(), event.eventId(), e.getMessage());
      notification = Optional.empty();
    }
    UUID eventId = UUID.fromString(event.eventId());
    Optional<NotificationDraft> toWrite = notification;
    return Inbox.once(pool, NotificationsService.NAME, event.eventId(), tx -> toWrite.isEmpty()
            ? Future.succeededFuture()
            : NotificationStore.insert(tx, toWrite.get(), eventId, occurredAt(event)))
        .onSuccess(applied -> {
          if (!applied) {
            LOG.debug("{} {} already handled", event.type(), event.eventId());
          } else if (toWrite.isPresent()) {
            LOG.info("notified user {} of {} (event {})", toWrite.get().userId(), event.type(), event.eventId());
          }
        });
  }

  // The event's own time orders a user's notifications as things happened, also for a backlog
  // processed late; the relay always sets it, so "now" is only a fallback for foreign producers.
  private static OffsetDateTime occurredAt(DomainEvent event) {
    if (event.occurredAt() != null) {
      try {
        return OffsetDateTime.ofInstant(Instant.parse(event.occurredAt()), ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        LOG.warn("{} {} has an unreadable occurredAt '{}'; using now", event.type(), event.eventId(), event.occurredAt());
      }
    }
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
