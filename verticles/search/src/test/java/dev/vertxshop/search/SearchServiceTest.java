package dev.vertxshop.search;

import dev.vertxshop.contracts.search.SearchQuery;

import static dev.vertxshop.search.SearchFixtures.await;
import static dev.vertxshop.search.SearchFixtures.eventually;
import static dev.vertxshop.search.SearchFixtures.failure;
import static dev.vertxshop.search.SearchFixtures.product;
import static dev.vertxshop.search.SearchFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.search.SearchClient;
import dev.vertxshop.contracts.search.SearchContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.Topics;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The search service against the real (embedded) Kafka: products published to the product topic
 * before the node starts are all searchable the moment it is ready; later changes follow. Every
 * product name carries a word unique to this run, so other tests' products never interfere.
 */
@DisplayName("search.query over the index rebuilt from shop.catalog.products")
class SearchServiceTest {

  private static final Duration CHANGE_VISIBLE = Duration.ofSeconds(5);

  private static Env env;
  private static ShopNode node;
  private static SearchClient client;
  private static KafkaProducer<String, String> producer;

  private static final String WORD = SearchFixtures.uniqueWord();
  private static final String LIVE_WORD = SearchFixtures.uniqueWord();
  private static final String LAMPS = SearchFixtures.uniqueCategory("lamps");
  private static final String BULBS = SearchFixtures.uniqueCategory("bulbs");
  private static final String SHADES = SearchFixtures.uniqueCategory("shades");

  private static final String AURORA = UUID.randomUUID().toString();
  private static final String BOLT = UUID.randomUUID().toString();
  private static final String COMET = UUID.randomUUID().toString();
  private static final String DUNE = UUID.randomUUID().toString();
  private static final String ECHO = UUID.randomUUID().toString();
  private static final String FLARE = UUID.randomUUID().toString();
  private static final String GONE = UUID.randomUUID().toString();
  private static final String GAMMA = UUID.randomUUID().toString();

  private static JsonObject aurora;
  private static JsonObject flareV2;

  @BeforeAll
  static void start() throws Exception {
    env = ShopTestEnv.shared(Map.of());
    // As the catalog would have: the compacted topic exists before anything is published.
    Vertx admin = Vertx.vertx();
    try {
      await(Topics.ensure(admin, KafkaConfig.from(env), List.of(Topics.compacted(CatalogContract.PRODUCTS_TOPIC, KafkaConfig.from(env)))));
    } finally {
      await(admin.close());
    }
    producer = SearchFixtures.producer(env);

    aurora = product(AURORA, "Aurora " + WORD + " lamp", "Warm light for reading", LAMPS, 4_999, 1);
    flareV2 = product(FLARE, "Flare " + WORD + " lantern", "Camping light", LAMPS, 700, 2);
    publish(producer, List.of(
        aurora,
        product(BOLT, "Bolt " + WORD + " lamp", "Bright desk light", LAMPS, 2_999, 1),
        product(COMET, "Comet " + WORD + " bulb", "Spare part for a lamp", BULBS, 399, 1),
        product(DUNE, "Dune " + WORD + " shade", "Linen", SHADES, 1_500, 1),
        product(ECHO, "Echo " + WORD + " lamp", "Floor standing", LAMPS, 9_999, 1),
        product(FLARE, "Flare " + WORD + " outdated", "First version", BULBS, 100, 1),
        flareV2,
        product(GONE, "Gone " + WORD + " relic", "Removed from the catalog", SHADES, 1_000, 1),
        product(GAMMA, "Gamma " + LIVE_WORD + " torch", "Before the change", LAMPS, 1_000, 1)));
    // A tombstone removes a product; a record that is no event is skipped without stopping anything.
    SearchFixtures.publishRaw(producer, GONE, null);
    SearchFixtures.publishRaw(producer, UUID.randomUUID().toString(), "not an event");

    node = await(ShopNode.start(env, List.of(new SearchService()), false));
    client = new SearchClient(node.vertx(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("once the node is ready it finds every product published before it started, latest version winning")
  void rebuiltAtStart() throws Exception {
    // No waiting: the service reports started only after reading the topic to its end.
    JsonObject result = await(query(client, new JsonObject().put("q", WORD).put("size", 100).put("sort", "name")));
    assertThat(ids(result)).containsExactly(AURORA, BOLT, COMET, DUNE, ECHO, FLARE);
    assertThat(result.getLong("total")).isEqualTo(6);
    assertThat(item(result, FLARE)).isEqualTo(flareV2);
    assertThat(item(result, AURORA)).isEqualTo(aurora);
    assertThat(ids(await(query(client, new JsonObject().put("q", "outdated " + WORD))))).isEmpty();
    assertThat(ids(await(query(client, new JsonObject().put("q", "relic " + WORD))))).isEmpty();
  }

  @Test
  @DisplayName("a new or changed product becomes searchable within seconds, and a node started later rebuilds the same state")
  void liveChanges() throws Exception {
    String added = UUID.randomUUID().toString();
    JsonObject gammaV2 = product(GAMMA, "Gamma " + LIVE_WORD + " torch", "After the change", LAMPS, 1_500, 2);
    publish(producer, List.of(gammaV2, product(added, "Nova " + LIVE_WORD + " torch", "Brand new", BULBS, 800, 1)));

    JsonObject query = new JsonObject().put("q", LIVE_WORD).put("sort", "price");
    eventually(CHANGE_VISIBLE, "the new product and the new price searchable", () -> {
      JsonObject result = await(client.query(SearchQuery.fromJson(query)));
      return ids(result).equals(List.of(added, GAMMA)) && item(result, GAMMA).equals(gammaV2);
    });

    ShopNode later = await(ShopNode.start(env, List.of(new SearchService()), false));
    try {
      JsonObject result = await(new SearchClient(later.vertx(), Duration.ofSeconds(10)).query(SearchQuery.fromJson(query)));
      assertThat(ids(result)).containsExactly(added, GAMMA);
      assertThat(item(result, GAMMA)).isEqualTo(gammaV2);
    } finally {
      await(later.stop());
    }
  }

  @Test
  @DisplayName("free text matches name and description; name matches rank first")
  void text() throws Exception {
    JsonObject result = await(query(client, new JsonObject().put("q", WORD + " lamp")));
    assertThat(ids(result)).hasSize(4).containsOnly(AURORA, BOLT, ECHO, COMET);
    assertThat(ids(result).get(3)).as("a description-only match comes last").isEqualTo(COMET);
    assertThat(ids(await(query(client, new JsonObject().put("q", WORD + " linen"))))).containsExactly(DUNE);
    assertThat(ids(await(query(client, new JsonObject().put("q", WORD + " \"desk light\""))))).containsExactly(BOLT);
    // Broken syntax is not an error: it is searched as well as it can be.
    assertThat(await(query(client, new JsonObject().put("q", WORD + " (lamp \"unclosed"))).getLong("total")).isNotNegative();
  }

  @Test
  @DisplayName("the category filter narrows items and total; facets count every category of the text match")
  void categoryAndFacets() throws Exception {
    JsonObject result = await(query(client, new JsonObject().put("q", WORD).put("category", LAMPS).put("sort", "name")));
    assertThat(ids(result)).containsExactly(AURORA, BOLT, ECHO, FLARE);
    assertThat(result.getLong("total")).isEqualTo(4);
    assertThat(facets(result)).containsExactlyElementsOf(rankedFacets(facet(LAMPS, 4), facet(BULBS, 1), facet(SHADES, 1)));

    JsonObject unfiltered = await(query(client, new JsonObject().put("q", WORD)));
    assertThat(facets(unfiltered)).isEqualTo(facets(result));

    JsonObject none = await(query(client, new JsonObject().put("q", WORD).put("category", "no-such-category")));
    assertThat(none.getLong("total")).isZero();
    assertThat(none.getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("price bounds are inclusive minor units; facets follow the price filter")
  void priceRange() throws Exception {
    JsonObject between = await(query(client, new JsonObject().put("q", WORD).put("minPrice", 1_500).put("maxPrice", 4_999)
        .put("sort", "price")));
    assertThat(ids(between)).containsExactly(DUNE, BOLT, AURORA);
    assertThat(facets(between)).containsExactlyElementsOf(rankedFacets(facet(LAMPS, 2), facet(SHADES, 1)));
    assertThat(ids(await(query(client, new JsonObject().put("q", WORD).put("minPrice", 5_000))))).containsExactly(ECHO);
    assertThat(ids(await(query(client, new JsonObject().put("q", WORD).put("maxPrice", 399))))).containsExactly(COMET);
    assertThat(ids(await(query(client, new JsonObject().put("q", WORD).put("minPrice", 10_000))))).isEmpty();
  }

  @Test
  @DisplayName("sorts by name and price, both directions")
  void sorts() throws Exception {
    assertThat(ids(sorted("name"))).containsExactly(AURORA, BOLT, COMET, DUNE, ECHO, FLARE);
    assertThat(ids(sorted("-name"))).containsExactly(FLARE, ECHO, DUNE, COMET, BOLT, AURORA);
    assertThat(ids(sorted("price"))).containsExactly(COMET, FLARE, DUNE, BOLT, AURORA, ECHO);
    assertThat(ids(sorted("-price"))).containsExactly(ECHO, AURORA, BOLT, DUNE, FLARE, COMET);
    assertThat(ids(sorted("relevance"))).containsExactlyInAnyOrder(AURORA, BOLT, COMET, DUNE, ECHO, FLARE);
  }

  @Test
  @DisplayName("pages do not overlap, carry page and size, and report the whole total")
  void paging() throws Exception {
    JsonObject query = new JsonObject().put("q", WORD).put("sort", "price").put("size", 2);
    JsonObject first = await(query(client, query.copy().put("page", 1)));
    JsonObject second = await(query(client, query.copy().put("page", 2)));
    JsonObject third = await(query(client, query.copy().put("page", 3)));
    JsonObject beyond = await(query(client, query.copy().put("page", 4)));
    assertThat(ids(first)).containsExactly(COMET, FLARE);
    assertThat(ids(second)).containsExactly(DUNE, BOLT);
    assertThat(ids(third)).containsExactly(AURORA, ECHO);
    assertThat(ids(beyond)).isEmpty();
    assertThat(List.of(first, second, third, beyond)).allSatisfy(page -> {
      assertThat(page.getLong("total")).isEqualTo(6);
      assertThat(page.getInteger("size")).isEqualTo(2);
    });
    assertThat(second.getInteger("page")).isEqualTo(2);

    JsonObject defaults = await(query(client, new JsonObject().put("q", WORD)));
    assertThat(defaults.getInteger("page")).isEqualTo(1);
    assertThat(defaults.getInteger("size")).isEqualTo(20);
    assertThat(await(query(client, new JsonObject().put("q", "x".repeat(200)))).getLong("total")).isZero();
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of("q over 200 characters", new JsonObject().put("q", "x".repeat(201)), "'q'"),
        Arguments.of("q not a string", new JsonObject().put("q", 42), "'q'"),
        Arguments.of("size 0", new JsonObject().put("size", 0), "'size'"),
        Arguments.of("size 101", new JsonObject().put("size", 101), "'size'"),
        Arguments.of("size a fraction", new JsonObject().put("size", 2.5), "'size'"),
        Arguments.of("page 0", new JsonObject().put("page", 0), "'page'"),
        Arguments.of("page beyond the window", new JsonObject().put("page", 101).put("size", 100), "10000"),
        Arguments.of("minPrice above maxPrice", new JsonObject().put("minPrice", 500).put("maxPrice", 499), "'minPrice'"),
        Arguments.of("negative price", new JsonObject().put("minPrice", -1), "'minPrice'"),
        Arguments.of("price as text", new JsonObject().put("maxPrice", "10"), "'maxPrice'"),
        Arguments.of("unknown sort", new JsonObject().put("sort", "popularity"), "'sort'"),
        Arguments.of("category not an id", new JsonObject().put("category", "Lamps & Co"), "'category'"),
        Arguments.of("unknown field", new JsonObject().put("query", "lamp"), "'query'"),
        Arguments.of("not an object", "lamp", "JSON object"),
        Arguments.of("an array", new JsonArray().add("lamp"), "JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badQueries")
  @DisplayName("an invalid query fails BAD_REQUEST with a message naming the problem")
  void invalid(String name, Object body, String message) throws Exception {
    ServiceException error = failure(Bus.request(node.vertx(), SearchContract.QUERY.address(), body, Duration.ofSeconds(10)));
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(message);
  }

  private static JsonObject sorted(String sort) throws Exception {
    return await(query(client, new JsonObject().put("q", WORD).put("sort", sort)));
  }

  private static List<String> ids(JsonObject result) {
    return result.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject item(JsonObject result, String id) {
    return result.getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("id").equals(id)).findFirst().orElseThrow();
  }

  private static List<JsonObject> facets(JsonObject result) {
    return result.getJsonObject("facets").getJsonArray("category").stream().map(JsonObject.class::cast).toList();
  }

  /** Facets in the service's order: most matches first, ties by value (the test's ids are random). */
  private static List<JsonObject> rankedFacets(JsonObject... facets) {
    return java.util.Arrays.stream(facets)
        .sorted(java.util.Comparator.comparingLong((JsonObject f) -> -f.getLong("count")).thenComparing(f -> f.getString("value")))
        .toList();
  }

  private static JsonObject facet(String value, long count) {
    return new JsonObject().put("value", value).put("count", count);
  }

  /** The typed client, given the query as a JSON document (read strictly, as the service would). */
  private static io.vertx.core.Future<JsonObject> query(SearchClient client, JsonObject query) {
    return client.query(SearchQuery.fromJson(query));
  }
}
