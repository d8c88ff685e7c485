package dev.vertxshop.contracts.notifications;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A notification as users read it: {@code type} is the event type it tells of ({@code OrderConfirmed},
 * {@code OrderCancelled}, {@code PaymentCaptured}, {@code PaymentDeclined}, {@code PaymentRefunded}),
 * {@code createdAt} when that event occurred, {@code orderId} the order it is about, if any.
 */
public record Notification(UUID id, UUID userId, String type, String title, String body, UUID orderId, Instant createdAt)
    implements BusMessage {

  private static final Set<String> FIELDS = Set.of("id", "userId", "type", "title", "body", "orderId", "createdAt");

  public static Notification fromJson(Object json) {
    return read(Fields.of(json));
  }

  static Notification read(Fields f) {
    f.only(FIELDS);
    return new Notification(f.uuid("id"), f.uuid("userId"), f.string("type"), f.string("title"), f.string("body"),
        f.optionalUuid("orderId"), f.instant("createdAt"));
  }

  /** The JSON of the public API, {@code orderId} only when there is one. */
  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("userId", userId.toString()).put("type", type)
        .put("title", title).put("body", body);
    if (orderId != null) {
      json.put("orderId", orderId.toString());
    }
    return json.put("createdAt", createdAt.toString());
  }
}
