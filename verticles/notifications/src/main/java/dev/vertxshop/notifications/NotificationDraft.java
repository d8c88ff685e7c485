package dev.vertxshop.notifications;

import java.util.UUID;

/** A notification about to be written: to whom, why (the event type), what it says, which order. */
record NotificationDraft(UUID userId, String type, String title, String body, UUID orderId) {
}
