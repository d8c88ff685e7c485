package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.testing.JsonValues;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** {@link DomainEvent#parse} over generated values: whatever a topic holds, no exception but the one a consumer expects. */
@Label("DomainEvent.parse: total and strict")
class DomainEventPropertiesTest {

  private static final Set<String> REASONS = Set.of(DeadLetters.NO_VALUE, DeadLetters.NOT_UTF8, DeadLetters.NOT_JSON,
      DeadLetters.BAD_ENVELOPE);

  @Property(tries = 500)
  @Label("any value, or a valid envelope with one field changed: parsed by the rules or refused as malformed, nothing else")
  void totalAndStrict(@ForAll("values") String value) {
    Statistics.label("outcome").coverage(coverage -> {
      coverage.check("parsed").count(count -> count > 0);
      coverage.check("refused").count(count -> count > 0);
    });
    DomainEvent event;
    try {
      event = DomainEvent.parse("t", 0, 7, value, "c");
    } catch (MalformedEventException e) {
      Statistics.label("outcome").collect("refused");
      assertThat(REASONS).contains(e.reason());
      assertThat(e.getMessage()).contains("t/0@7");
      return;
    }
    Statistics.label("outcome").collect("parsed");
    JsonObject envelope = new JsonObject(value);
    assertThat(UUID.fromString(event.eventId()).toString()).isEqualToIgnoringCase(envelope.getString("eventId"));
    assertThat(event.type()).isEqualTo(envelope.getString("type")).isNotBlank();
    assertThat(event.data()).isEqualTo(envelope.getJsonObject("data"));
    assertThat(event.key()).isEqualTo(envelope.getValue("key"));
    assertThat(event.correlationId()).isEqualTo("c");
    assertThat(event.offset()).isEqualTo(7);
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<JsonObject> valid = Combinators.combine(Arbitraries.create(UUID::randomUUID), Arbitraries.of("OrderConfirmed", "X"),
            JsonValues.objects(2))
        .as((id, type, data) -> new JsonObject().put("eventId", id.toString()).put("type", type).put("key", id.toString())
            .put("occurredAt", "2026-04-01T10:00:00.123Z").put("data", data));
    List<String> paths = List.of("eventId", "type", "key", "occurredAt", "data");
    return Arbitraries.frequencyOf(
        Tuple.of(2, JsonValues.any(3).map(Json::encode)),
        Tuple.of(5, JsonValues.mutated(valid, paths).map(JsonObject::encode)),
        Tuple.of(2, valid.map(JsonObject::encode)),
        Tuple.of(1, valid.map(JsonObject::encode).map(text -> text.substring(0, text.length() / 2))));
  }
}
