package dev.vertxshop.platform.kafka;

import io.vertx.core.json.JsonObject;

/**
 * A domain event as it arrives from Kafka: the envelope the outbox relay wrote ({@code eventId},
 * {@code type}, {@code key}, {@code occurredAt}, {@code data}) plus where it was read from.
 */
public record DomainEvent(
    String eventId, String type, String key, String occurredAt, JsonObject data, String correlationId,
    String topic, int partition, long offset) {

  /** Parses a relay envelope; throws IllegalArgumentException when the value is not one. */
  public static DomainEvent parse(String topic, int partition, long offset, String value, String correlationId) {
    JsonObject envelope;
    try {
      envelope = new JsonObject(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON envelope at " + topic + "/" + partition + "@" + offset);
    }
    String eventId = envelope.getString("eventId");
    String type = envelope.getString("type");
    JsonObject data = envelope.getJsonObject("data");
    if (eventId == null || type == null || data == null) {
      throw new IllegalArgumentException("envelope without eventId/type/data at " + topic + "/" + partition + "@" + offset);
    }
    return new DomainEvent(eventId, type, envelope.getString("key"), envelope.getString("occurredAt"), data,
        correlationId, topic, partition, offset);
  }
}
