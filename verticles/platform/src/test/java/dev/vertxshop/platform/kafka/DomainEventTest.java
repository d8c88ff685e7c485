package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DomainEvent#parse}: strict and total, so that no record can make a consumer throw. */
@DisplayName("DomainEvent.parse: an envelope, or a MalformedEventException with its reason, never anything else")
class DomainEventTest {

  @Test
  @DisplayName("the relay's envelope is parsed as it was written")
  void valid() {
    String id = UUID.randomUUID().toString();
    DomainEvent event = DomainEvent.parse("shop.orders.events", 2, 41, Buffer.buffer(envelope(id).encode()), "corr");
    assertThat(event).isEqualTo(new DomainEvent(id, "OrderConfirmed", "k", "2026-01-01T00:00:00Z",
        new JsonObject().put("n", 1), "corr", "shop.orders.events", 2, 41));
  }

  @ParameterizedTest(name = "[{index}] '{0}'")
  @ValueSource(strings = {"", " ", "{", "{\"eventId\":", "[1,2", "{} trailing", "nul", "\u0000", "{'single': 'quotes'}"})
  @DisplayName("text that is not JSON is not_json")
  void notJson(String value) {
    assertThatThrownBy(() -> DomainEvent.parse("t", 0, 1, value, null))
        .isInstanceOfSatisfying(MalformedEventException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetters.NOT_JSON));
  }

  @Test
  @DisplayName("wrong types are bad_envelope, naming the field; deep nesting, tombstones and bytes that are not UTF-8 have their own reasons")
  void reasons() {
    String id = UUID.randomUUID().toString();
    assertReason(envelope(id).put("data", new JsonArray().add(1)).encode(), DeadLetters.BAD_ENVELOPE, "'data'");
    assertReason(envelope(id).put("data", "text").encode(), DeadLetters.BAD_ENVELOPE, "'data'");
    assertReason(envelope(id).put("eventId", 42).encode(), DeadLetters.BAD_ENVELOPE, "'eventId'");
    assertReason(envelope(id).put("eventId", "not-a-uuid").encode(), DeadLetters.BAD_ENVELOPE, "'eventId'");
    assertReason(envelope(id).put("type", List.of("a")).encode(), DeadLetters.BAD_ENVELOPE, "'type'");
    assertReason(envelope(id).put("type", " ").encode(), DeadLetters.BAD_ENVELOPE, "'type'");
    assertReason(envelope(id).put("key", 5).encode(), DeadLetters.BAD_ENVELOPE, "'key'");
    assertReason(envelope(id).put("occurredAt", "yesterday").encode(), DeadLetters.BAD_ENVELOPE, "'occurredAt'");
    assertReason("[" + envelope(id).encode() + "]", DeadLetters.BAD_ENVELOPE, "JSON object");
    assertReason("\"" + id + "\"", DeadLetters.BAD_ENVELOPE, "JSON object");
    assertReason("[".repeat(5000) + "]".repeat(5000), DeadLetters.NOT_JSON, "not JSON");
    assertReason(null, DeadLetters.NO_VALUE, "tombstone");
    assertThatThrownBy(() -> DomainEvent.parse("t", 0, 1, Buffer.buffer(new byte[] {'{', (byte) 0xFF, '}'}), null))
        .isInstanceOfSatisfying(MalformedEventException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetters.NOT_UTF8));
    // Absent optional fields are fine.
    assertThat(DomainEvent.parse("t", 0, 1, envelope(id).put("key", null).put("occurredAt", null).encode(), null).key()).isNull();
  }

  private static void assertReason(String value, String reason, String mentions) {
    assertThatThrownBy(() -> DomainEvent.parse("t", 0, 1, value, null))
        .isInstanceOfSatisfying(MalformedEventException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).contains(mentions).contains("t/0@1");
        });
  }

  private static JsonObject envelope(String id) {
    return new JsonObject().put("eventId", id).put("type", "OrderConfirmed").put("key", "k")
        .put("occurredAt", "2026-01-01T00:00:00Z").put("data", new JsonObject().put("n", 1));
  }
}
