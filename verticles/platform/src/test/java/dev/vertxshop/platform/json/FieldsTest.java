package dev.vertxshop.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fields: every wrong shape is a BAD_REQUEST naming the field by its path")
class FieldsTest {

  @Test
  @DisplayName("required, typed, ranged and canonical fields")
  void readsStrictly() {
    UUID id = UUID.randomUUID();
    Fields f = Fields.of(new JsonObject().put("id", id.toString()).put("n", 3).put("s", "x").put("b", true));
    assertThat(f.uuid("id")).isEqualTo(id);
    assertThat(f.integer("n", 1, 5)).isEqualTo(3);
    assertThat(f.string("s")).isEqualTo("x");
    assertThat(f.bool("b")).isTrue();
    assertThat(f.optionalString("missing")).isNull();
    assertThat(f.integer("missing", 1, 5, 4)).isEqualTo(4);
  }

  @Test
  @DisplayName("the messages say what is wrong and where")
  void messages() {
    assertBad(() -> Fields.of("text"), "the request body must be a JSON object");
    assertBad(() -> Fields.of(new JsonObject()).string("name"), "'name' is required");
    assertBad(() -> Fields.of(new JsonObject().put("n", 2.5)).integer("n", 1, 5), "'n' must be an integer, not a fraction between 1 and 5");
    assertBad(() -> Fields.of(new JsonObject().put("n", 9)).integer("n", 1, 5), "'n' must be an integer between 1 and 5");
    assertBad(() -> Fields.of(new JsonObject().put("id", "1-1-1-1-1")).uuid("id"), "'id' is not a UUID");
    assertBad(() -> Fields.of(new JsonObject().put("a", 1).put("z", 2)).only(Set.of("a")), "unknown field 'z'; allowed: [a]");
    JsonObject nested = new JsonObject().put("lines", new JsonArray().add(new JsonObject().put("q", "many")));
    assertBad(() -> Fields.of(nested).list("lines", 1, 10, (v, p) -> Fields.of(v, p).integer("q", 1, 9)),
        "'lines[0].q' must be an integer between 1 and 9");
    assertBad(() -> Fields.of(nested).list("lines", 2, 10, (v, p) -> v), "'lines' must be an array of 2 to 10 items");
  }

  @Test
  @DisplayName("lists read each item with its own path and come out immutable")
  void lists() {
    List<Long> items = Fields.of(new JsonObject().put("xs", new JsonArray().add(1).add(2)))
        .list("xs", 1, 5, (v, p) -> Fields.of(new JsonObject().put("x", v), p).integer("x", 0, 9));
    assertThat(items).containsExactly(1L, 2L);
    assertThatThrownBy(() -> items.add(3L)).isInstanceOf(UnsupportedOperationException.class);
  }

  private static void assertBad(Runnable read, String message) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }
}
