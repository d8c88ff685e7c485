package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.SharedInfra;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The idempotent consumer against a real broker and database: duplicates, garbage, failures, restarts. */
@DisplayName("EventConsumerVerticle + Inbox: at-least-once delivery, exactly-once effect")
class EventConsumerTest {

  private static ShopNode node;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    // The probe service's schema holds the platform's inbox table and a table to apply effects to.
    node = await(ShopNode.start(ShopTestEnv.shared(Map.of()), List.of(new ProbeService()), false));
    pool = Databases.pool(node.vertx(), DatabaseConfig.from(ShopTestEnv.shared(Map.of())), "probe");
  }

  @AfterAll
  static void stop() throws Exception {
    if (pool != null) {
      await(pool.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("a duplicate event changes nothing, garbage is skipped, a failing handler is retried until it succeeds")
  void exactlyOnceEffect() throws Exception {
    String topic = "test.consumer." + UUID.randomUUID();
    String group = "probe-" + UUID.randomUUID();
    int base = Math.abs(UUID.randomUUID().hashCode() % 1_000_000) * 10;
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "k", envelope(first, base + 1))).get();
      producer.send(new ProducerRecord<>(topic, "k", "not json at all")).get();
      producer.send(new ProducerRecord<>(topic, "k", envelope(first, base + 1))).get();
      producer.send(new ProducerRecord<>(topic, "k", envelope(second, base + 2))).get();
    }
    AtomicInteger calls = new AtomicInteger();
    EventConsumerVerticle consumer = new EventConsumerVerticle(KafkaConfig.from(ShopTestEnv.shared(Map.of())), group,
        List.of(topic), event -> {
          // The first attempt at the second event fails, as a database outage would.
          if (event.eventId().equals(second) && calls.incrementAndGet() == 1) {
            return Future.failedFuture(new IllegalStateException("transient"));
          }
          return Inbox.once(pool, "probe-test", event.eventId(), tx -> tx.preparedQuery("INSERT INTO probe (id, note) VALUES ($1, $2)")
              .execute(Tuple.of(event.data().getInteger("n"), event.type())));
        });
    String deployment = await(node.vertx().deployVerticle(consumer));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long count = 0;
    while (System.nanoTime() < deadline) {
      count = countRows(base);
      if (count == 2 && calls.get() >= 2) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(count).as("two distinct events applied once each").isEqualTo(2);
    assertThat(calls.get()).as("the failed attempt was retried").isGreaterThanOrEqualTo(2);
    await(node.vertx().undeploy(deployment));

    // Offsets were committed after processing: a new consumer in the same group gets nothing old.
    AtomicInteger redelivered = new AtomicInteger();
    String again = await(node.vertx().deployVerticle(new EventConsumerVerticle(KafkaConfig.from(ShopTestEnv.shared(Map.of())),
        group, List.of(topic), event -> {
          redelivered.incrementAndGet();
          return Future.succeededFuture();
        })));
    Thread.sleep(2_000);
    await(node.vertx().undeploy(again));
    assertThat(redelivered.get()).isZero();
    assertThat(countRows(base)).isEqualTo(2);
  }

  private static long countRows(int base) throws Exception {
    return await(pool.preparedQuery("SELECT count(*) FROM probe WHERE id BETWEEN $1 AND $2")
        .execute(Tuple.of(base, base + 9))).iterator().next().getLong(0);
  }

  private static String envelope(String eventId, int n) {
    return new JsonObject().put("eventId", eventId).put("type", "ProbeHappened").put("key", "k")
        .put("occurredAt", "2026-01-01T00:00:00Z").put("data", new JsonObject().put("n", n)).encode();
  }

  private static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
