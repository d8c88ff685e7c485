package dev.vertxshop.search;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Shared helpers of the search tests: products as the catalog publishes them, a producer, waiting. */
final class SearchFixtures {

  private SearchFixtures() {
  }

  /** A word no other test (or run) uses, to scope text searches to one test's products. */
  static String uniqueWord() {
    return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** A category id no other test uses. */
  static String uniqueCategory(String label) {
    return "t-" + UUID.randomUUID().toString().substring(0, 8) + "-" + label.toLowerCase(Locale.ROOT);
  }

  /** A product in the catalog contract's shape. */
  static JsonObject product(String id, String name, String description, String category, long price, long version) {
    String now = Instant.now().toString();
    return new JsonObject()
        .put("id", id)
        .put("sku", "SKU-" + id.substring(0, 8).toUpperCase(Locale.ROOT))
        .put("name", name)
        .put("description", description)
        .put("category", category)
        .put("price", new JsonObject().put("amount", price).put("currency", CatalogContract.CURRENCY))
        .put("stock", 5)
        .put("version", version)
        .put("createdAt", now)
        .put("updatedAt", now);
  }

  static KafkaProducer<String, String> producer(Env env) {
    Properties props = new Properties();
    props.put("bootstrap.servers", env.string("KAFKA_BOOTSTRAP_SERVERS", null));
    props.put("acks", "all");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** Publishes products as the catalog's outbox relay does: key = id, ProductUpserted envelope, headers. */
  static void publish(KafkaProducer<String, String> producer, List<JsonObject> products) throws Exception {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (JsonObject product : products) {
      String eventId = UUID.randomUUID().toString();
      String envelope = new JsonObject().put("eventId", eventId).put("type", CatalogContract.PRODUCT_UPSERTED)
          .put("key", product.getString("id")).put("occurredAt", Instant.now().toString()).put("data", product).encode();
      ProducerRecord<String, String> record =
          new ProducerRecord<>(CatalogContract.PRODUCTS_TOPIC, product.getString("id"), envelope);
      record.headers().add("event-id", eventId.getBytes(StandardCharsets.UTF_8));
      record.headers().add("event-type", CatalogContract.PRODUCT_UPSERTED.getBytes(StandardCharsets.UTF_8));
      sent.add(producer.send(record));
    }
    for (java.util.concurrent.Future<?> future : sent) {
      future.get(30, TimeUnit.SECONDS);
    }
  }

  /** A record the service must skip without harm. */
  static void publishRaw(KafkaProducer<String, String> producer, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(CatalogContract.PRODUCTS_TOPIC, key, value)).get(30, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** The failure of {@code future} as a service failure; a success fails the test. */
  static ServiceException failure(Future<?> future) throws Exception {
    try {
      Object result = await(future);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return ServiceException.from(e.getCause());
    }
  }

  /**
   * Polls {@code probe} until it returns true, failing after {@code timeout}. A wait for a condition,
   * not a sleep standing in for an assertion: the test goes on as soon as it holds.
   */
  static void eventually(Duration timeout, String what, Callable<Boolean> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (probe.call()) {
          return;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not met within " + timeout + ": " + what + (last == null ? "" : " (last error: " + last + ")"));
  }
}
