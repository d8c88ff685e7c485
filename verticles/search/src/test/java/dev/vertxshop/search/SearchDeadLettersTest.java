package dev.vertxshop.search;

import dev.vertxshop.contracts.search.SearchQuery;

import static dev.vertxshop.search.SearchFixtures.await;
import static dev.vertxshop.search.SearchFixtures.eventually;
import static dev.vertxshop.search.SearchFixtures.product;
import static dev.vertxshop.search.SearchFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.search.SearchClient;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.kafka.DeadLetters;
import dev.vertxshop.platform.kafka.Topics;
import dev.vertxshop.platform.testing.DeadLetterReader;
import dev.vertxshop.platform.testing.DeadLetterReader.Letter;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Search's own consumer (no group: it replays the compacted product topic at every start) against the
 * embedded Kafka, with poisoned records on the topic: each is dead-lettered with its reason, the start
 * completes, and the products around them are searchable.
 */
@DisplayName("search: poisoned product records are dead-lettered, never block the start or the tail")
class SearchDeadLettersTest {

  private static final String WORD = SearchFixtures.uniqueWord();
  private static final String CATEGORY = SearchFixtures.uniqueCategory("poison");
  private static final String BEFORE = UUID.randomUUID().toString();
  private static final String AFTER = UUID.randomUUID().toString();

  private static Env env;
  private static KafkaProducer<String, String> producer;
  /** Source offset of each poisoned record ("partition@offset") and the reason it must be dead-lettered with. */
  private static final Map<String, String> poisoned = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    env = ShopTestEnv.shared(Map.of());
    Vertx admin = Vertx.vertx();
    try {
      await(Topics.ensure(admin, KafkaConfig.from(env), List.of(Topics.compacted(CatalogContract.PRODUCTS_TOPIC, KafkaConfig.from(env)))));
    } finally {
      await(admin.close());
    }
    producer = SearchFixtures.producer(env);
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  @DisplayName("at start and while tailing: not JSON, data an array, a product without a price, a document Lucene refuses and a tombstone without a usable key go to the dead-letter topic")
  void poisonDeadLettered() throws Exception {
    publish(producer, List.of(product(BEFORE, "Before " + WORD, "", CATEGORY, 100, 1)));
    poison(UUID.randomUUID().toString(), "{not json", DeadLetters.NOT_JSON);
    poison(UUID.randomUUID().toString(), envelope(new JsonArray().add(product(UUID.randomUUID().toString(), "Arr " + WORD, "",
        CATEGORY, 1, 1))), DeadLetters.BAD_ENVELOPE);
    JsonObject noPrice = product(UUID.randomUUID().toString(), "NoPrice " + WORD, "", CATEGORY, 1, 1);
    noPrice.remove("price");
    poison(noPrice.getString("id"), envelope(noPrice), ProductChange.UNUSABLE);
    // A category Lucene cannot index (one term over its 32 766-byte limit): only the index can tell.
    JsonObject immense = product(UUID.randomUUID().toString(), "Immense " + WORD, "", "x".repeat(40_000), 1, 1);
    poison(immense.getString("id"), envelope(immense), SearchIndexVerticle.INDEX_FAILED);
    // A tombstone whose key cannot be a product id (a compacted topic refuses keyless records).
    poison("k".repeat(ProductChange.MAX_ID_LENGTH + 1), null, ProductChange.UNUSABLE);
    publish(producer, List.of(product(AFTER, "After " + WORD, "", CATEGORY, 200, 1)));

    // Without the fix the start fails on the first of them (a ClassCastException escaping the batch).
    ShopNode node = await(ShopNode.start(env, List.of(new SearchService()), false));
    try {
      SearchClient client = new SearchClient(node.vertx(), Duration.ofSeconds(10));
      JsonObject result = await(query(client, new JsonObject().put("q", WORD).put("sort", "name")));
      assertThat(ids(result)).as("the products before and after the poison, none of the poison").containsExactly(AFTER, BEFORE);
      assertDeadLettered();

      // While tailing: a poisoned record, then a product behind it that must become searchable.
      poison(UUID.randomUUID().toString(), envelope(new JsonObject().put("id", 7)), ProductChange.UNUSABLE);
      String later = UUID.randomUUID().toString();
      publish(producer, List.of(product(later, "Later " + WORD, "", CATEGORY, 300, 1)));
      eventually(Duration.ofSeconds(10), "the product behind the poison searchable",
          () -> ids(await(query(client, new JsonObject().put("q", WORD).put("sort", "name")))).contains(later));
      eventually(Duration.ofSeconds(10), "every poisoned record dead-lettered", () -> {
        assertDeadLettered();
        return true;
      });
      assertThat(node.meterRegistry().scrape())
          .contains("shop_kafka_dead_letters_total{group=\"search\",reason=\"index_failed\",topic=\"shop.catalog.products\"}")
          .contains("shop_kafka_dead_letters_total{group=\"search\",reason=\"not_json\",topic=\"shop.catalog.products\"}");
    } finally {
      await(node.stop());
    }
  }

  /** Every poisoned record has a copy from search with its reason (other nodes of this JVM may have added more). */
  private static void assertDeadLettered() {
    List<Letter> letters = DeadLetterReader.lettersFrom(env.string("KAFKA_BOOTSTRAP_SERVERS", null), CatalogContract.PRODUCTS_TOPIC);
    Map<String, String> found = new LinkedHashMap<>();
    for (Letter letter : letters) {
      if ("search".equals(letter.group())) {
        found.put(letter.sourcePartition() + "@" + letter.sourceOffset(), letter.reason());
      }
    }
    poisoned.forEach((where, reason) -> assertThat(found).as("dead letter of " + where).containsEntry(where, reason));
  }

  private static void poison(String key, String value, String reason) throws Exception {
    RecordMetadata sent = producer.send(new ProducerRecord<>(CatalogContract.PRODUCTS_TOPIC, key, value)).get(30, TimeUnit.SECONDS);
    poisoned.put(sent.partition() + "@" + sent.offset(), reason);
  }

  private static String envelope(Object data) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", CatalogContract.PRODUCT_UPSERTED)
        .put("key", "k").put("occurredAt", Instant.now().toString()).put("data", data).encode();
  }

  private static List<String> ids(JsonObject result) {
    return result.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  /** The typed client, given the query as a JSON document (read strictly, as the service would). */
  private static io.vertx.core.Future<JsonObject> query(SearchClient client, JsonObject query) {
    return client.query(SearchQuery.fromJson(query));
  }
}
