package dev.vertxshop.platform.kafka;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A domain event as it arrives from Kafka: the envelope the outbox relay wrote ({@code eventId},
 * {@code type}, {@code key}, {@code occurredAt}, {@code data}) plus where it was read from.
 *
 * <p>Parsing is strict and total: a value that is not exactly such an envelope fails with a
 * {@link MalformedEventException} naming the problem and where the record was, and with nothing else
 * (no {@code ClassCastException} for a field of the wrong type, no {@code NullPointerException} for a
 * tombstone), so that a consumer can dead-letter the record and go on.
 */
public record DomainEvent(
    String eventId, String type, String key, String occurredAt, JsonObject data, String correlationId,
    String topic, int partition, long offset) {

  /** Longest event type accepted; types are short words such as {@code OrderConfirmed}. */
  static final int MAX_TYPE_LENGTH = 200;

  // The relay writes UUIDs, and the inbox keys on them: anything else cannot be deduplicated.
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Parses a relay envelope from the record's raw value, which must be UTF-8. */
  public static DomainEvent parse(String topic, int partition, long offset, Buffer value, String correlationId) {
    return parse(topic, partition, offset, value == null ? null : utf8(value, topic, partition, offset), correlationId);
  }

  /** Parses a relay envelope; fails with {@link MalformedEventException}, and only with it, when the value is not one. */
  public static DomainEvent parse(String topic, int partition, long offset, String value, String correlationId) {
    String where = " at " + topic + "/" + partition + "@" + offset;
    if (value == null) {
      throw new MalformedEventException(DeadLetters.NO_VALUE, "a record without a value (a tombstone)" + where);
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(value);
    } catch (RuntimeException e) {
      throw new MalformedEventException(DeadLetters.NOT_JSON, "not JSON" + where);
    }
    if (!(decoded instanceof JsonObject envelope)) {
      throw new MalformedEventException(DeadLetters.BAD_ENVELOPE, "not a JSON object" + where);
    }
    if (!(envelope.getValue("eventId") instanceof String eventId) || !UUID_TEXT.matcher(eventId).matches()) {
      throw bad("'eventId' is missing or not a UUID", where);
    }
    if (!(envelope.getValue("type") instanceof String type) || type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
      throw bad("'type' is missing or not a short string", where);
    }
    Object key = envelope.getValue("key");
    if (key != null && !(key instanceof String)) {
      throw bad("'key' is not a string", where);
    }
    Object occurredAt = envelope.getValue("occurredAt");
    if (occurredAt != null && !(occurredAt instanceof String text && isInstant(text))) {
      throw bad("'occurredAt' is not an ISO-8601 instant", where);
    }
    if (!(envelope.getValue("data") instanceof JsonObject data)) {
      throw bad("'data' is missing or not a JSON object", where);
    }
    return new DomainEvent(eventId, type, (String) key, (String) occurredAt, data, correlationId, topic, partition, offset);
  }

  /** The value as text; bytes that are not UTF-8 are refused rather than replaced, which would change the event. */
  static String utf8(Buffer value, String topic, int partition, long offset) {
    try {
      CharBuffer text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value.getBytes()));
      return text.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedEventException(DeadLetters.NOT_UTF8, "not UTF-8 text at " + topic + "/" + partition + "@" + offset);
    }
  }

  private static boolean isInstant(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static MalformedEventException bad(String problem, String where) {
    return new MalformedEventException(DeadLetters.BAD_ENVELOPE, "not an event envelope: " + problem + where);
  }
}
