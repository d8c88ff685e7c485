package dev.vertxshop.search;

import dev.vertxshop.contracts.search.SearchQuery;

import static dev.vertxshop.search.SearchFixtures.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.kafka.DeadLetters;
import dev.vertxshop.platform.kafka.MalformedEventException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Lucene index on its own (in memory, no Kafka): analysis, robustness to any input, upserts. */
@DisplayName("ProductIndex: analysis, query robustness, upserts and removals")
class ProductIndexTest {

  private ProductIndex index;
  private final String lampId = UUID.randomUUID().toString();
  private final String bulbId = UUID.randomUUID().toString();
  private final String cafeId = UUID.randomUUID().toString();

  @BeforeEach
  void open() throws Exception {
    index = ProductIndex.open(null);
    index.apply(List.of(
        upsert(product(lampId, "Red desk lamp", "A lamp for the desk", "lighting", 4_999, 1)),
        upsert(product(bulbId, "Spare bulb", "Fits every desk lamp", "lighting", 399, 1)),
        upsert(product(cafeId, "Café Crème beans", "Whole beans, medium roast", "coffee", 1_250, 1))));
    index.refresh();
  }

  @AfterEach
  void close() throws Exception {
    index.close();
  }

  @Test
  @DisplayName("a word in the name ranks above the same word in the description")
  void nameFirst() throws Exception {
    JsonObject result = index.search(query("lamp"));
    assertThat(ids(result)).containsExactly(lampId, bulbId);
    assertThat(result.getLong("total")).isEqualTo(2);
  }

  @Test
  @DisplayName("every word must match, in name or description")
  void allWords() throws Exception {
    assertThat(ids(index.search(query("spare lamp")))).containsExactly(bulbId);
    assertThat(ids(index.search(query("red lamp")))).containsExactly(lampId);
    assertThat(ids(index.search(query("red coffee")))).isEmpty();
  }

  @Test
  @DisplayName("case and accents do not matter")
  void folding() throws Exception {
    assertThat(ids(index.search(query("cafe creme")))).containsExactly(cafeId);
    assertThat(ids(index.search(query("CAFÉ")))).containsExactly(cafeId);
  }

  @Test
  @DisplayName("shopper operators work: prefix, phrase, exclusion")
  void operators() throws Exception {
    assertThat(ids(index.search(query("lam*")))).containsExactlyInAnyOrder(lampId, bulbId);
    assertThat(ids(index.search(query("\"desk lamp\"")))).containsExactlyInAnyOrder(lampId, bulbId);
    assertThat(ids(index.search(query("lamp -spare")))).containsExactly(lampId);
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"\"unclosed", "(((", ")))", "name:lamp", "lamp AND", "*", "\\", "~2", "-", "+|-\"~*()", "lamp~~",
      "a\"b(c", "OR", "!!!", "lamp^", "[1 TO 5]", "{}", "/regex/", "?", "&&||"})
  @DisplayName("any input is answered, never a parse error")
  void malformedInput(String text) throws Exception {
    JsonObject result = index.search(query(text));
    assertThat(result.getLong("total")).isBetween(0L, 3L);
    assertThat(result.getJsonArray("items")).hasSize(result.getLong("total").intValue());
  }

  @Test
  @DisplayName("input without words matches nothing; no text matches everything")
  void noWords() throws Exception {
    assertThat(index.search(query("!!!")).getLong("total")).isZero();
    assertThat(index.search(SearchQuery.fromJson(new JsonObject())).getLong("total")).isEqualTo(3);
    assertThat(index.search(SearchQuery.fromJson(new JsonObject().put("q", "   "))).getLong("total")).isEqualTo(3);
  }

  @Test
  @DisplayName("an upsert replaces the product of its id; a replay changes nothing; a removal deletes it")
  void upsertsAndRemovals() throws Exception {
    JsonObject v2 = product(lampId, "Blue desk lamp", "A lamp for the desk", "lighting", 5_999, 2);
    index.apply(List.of(upsert(v2), upsert(v2)));
    index.refresh();
    assertThat(index.size()).isEqualTo(3);
    assertThat(ids(index.search(query("red")))).isEmpty();
    JsonObject found = index.search(query("blue")).getJsonArray("items").getJsonObject(0);
    assertThat(found).isEqualTo(v2);

    index.apply(List.of(new ProductChange(lampId, null), new ProductChange(UUID.randomUUID().toString(), null)));
    index.refresh();
    assertThat(index.size()).isEqualTo(2);
    assertThat(ids(index.search(query("lamp")))).containsExactly(bulbId);
  }

  @Test
  @DisplayName("changes are invisible until refresh")
  void refreshMakesVisible() throws Exception {
    String id = UUID.randomUUID().toString();
    index.apply(List.of(upsert(product(id, "Teapot", "", "kitchen", 2_000, 1))));
    assertThat(index.search(query("teapot")).getLong("total")).isZero();
    index.refresh();
    assertThat(ids(index.search(query("teapot")))).containsExactly(id);
  }

  @Test
  @DisplayName("an empty index answers with no items and no facets")
  void emptyIndex() throws Exception {
    try (ProductIndex empty = ProductIndex.open(null)) {
      JsonObject result = empty.search(SearchQuery.fromJson(new JsonObject().put("category", "lighting")));
      assertThat(result.getLong("total")).isZero();
      assertThat(result.getJsonArray("items")).isEmpty();
      assertThat(result.getJsonObject("facets").getJsonArray("category")).isEmpty();
    }
  }

  @Test
  @DisplayName("facets count the text matches in every category; the category filter narrows items and total only")
  void facetsIgnoreCategoryFilter() throws Exception {
    JsonObject result = index.search(SearchQuery.fromJson(new JsonObject().put("category", "coffee")));
    assertThat(ids(result)).containsExactly(cafeId);
    assertThat(result.getLong("total")).isEqualTo(1);
    JsonArray facet = result.getJsonObject("facets").getJsonArray("category");
    assertThat(facet).containsExactly(
        new JsonObject().put("value", "lighting").put("count", 2L),
        new JsonObject().put("value", "coffee").put("count", 1L));
  }

  @Test
  @DisplayName("an index on disk works the same and starts empty on reopen: the topic, not the directory, is the truth")
  void onDisk(@TempDir Path dir) throws Exception {
    String id = UUID.randomUUID().toString();
    try (ProductIndex disk = ProductIndex.open(dir)) {
      disk.apply(List.of(upsert(product(id, "Kettle", "Boils water", "kitchen", 3_000, 1))));
      disk.refresh();
      assertThat(ids(disk.search(query("kettle")))).containsExactly(id);
    }
    try (ProductIndex reopened = ProductIndex.open(dir)) {
      assertThat(reopened.size()).isZero();
    }
  }

  @Test
  @DisplayName("ProductChange reads envelopes, ignores other events and refuses, with a reason, what the index cannot use")
  void changesFromRecords() {
    JsonObject product = product(lampId, "Lamp", "", "lighting", 100, 1);
    String envelope = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "ProductUpserted")
        .put("key", lampId).put("data", product).encode();
    assertThat(ProductChange.from("t", 0, 1, lampId, envelope)).contains(new ProductChange(lampId, product));
    assertThat(ProductChange.from("t", 0, 2, lampId, (String) null)).contains(new ProductChange(lampId, null));
    assertRefused(() -> ProductChange.from("t", 0, 3, null, (String) null), ProductChange.UNUSABLE);
    assertRefused(() -> ProductChange.from("t", 0, 4, lampId, "not json"), DeadLetters.NOT_JSON);
    String dataArray = new JsonObject(envelope).put("data", new JsonArray().add(product)).encode();
    assertRefused(() -> ProductChange.from("t", 0, 4, lampId, dataArray), DeadLetters.BAD_ENVELOPE);
    assertThat(ProductChange.from("t", 0, 5, lampId, envelope.replace("ProductUpserted", "ProductArchived"))).isEmpty();
    JsonObject noPrice = product.copy();
    noPrice.remove("price");
    String bad = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "ProductUpserted")
        .put("key", lampId).put("data", noPrice).encode();
    assertRefused(() -> ProductChange.from("t", 0, 6, lampId, bad), ProductChange.UNUSABLE);
    assertThat(ProductChange.problem(product.copy().put("price", new JsonObject().put("amount", 1.5)))).contains("price");
    assertThat(ProductChange.problem(product.copy().put("name", 7))).contains("name");
    assertThat(ProductChange.problem(product.copy().put("description", true))).contains("description");
    assertThat(ProductChange.problem(product.copy().put("category", ""))).contains("category");
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable read, String reason) {
    assertThatThrownBy(read).isInstanceOfSatisfying(MalformedEventException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static SearchQuery query(String text) {
    return SearchQuery.fromJson(new JsonObject().put("q", text));
  }

  private static ProductChange upsert(JsonObject product) {
    return new ProductChange(product.getString("id"), product);
  }

  private static List<String> ids(JsonObject result) {
    return result.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
