package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.SharedInfra;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ConsumerGroups;
import dev.vertxshop.platform.testing.DeadLetterReader;
import dev.vertxshop.platform.testing.DeadLetterReader.Letter;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The idempotent consumer against a real broker and database: duplicates, malformed records, failing
 * handlers (permanently and transiently), restarts, and what the group's committed offsets say after each.
 */
@DisplayName("EventConsumerVerticle + Inbox: at-least-once delivery, exactly-once effect, dead letters")
class EventConsumerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ShopNode node;
  private static Pool pool;
  private static ConsumerGroups groups;

  @BeforeAll
  static void start() throws Exception {
    // The probe service's schema holds the platform's inbox table and a table to apply effects to.
    node = await(ShopNode.start(ShopTestEnv.shared(Map.of()), List.of(new ProbeService()), false));
    pool = Databases.pool(node.vertx(), DatabaseConfig.from(ShopTestEnv.shared(Map.of())), "probe");
    groups = new ConsumerGroups(SharedInfra.kafka().bootstrapServers());
  }

  @AfterAll
  static void stop() throws Exception {
    if (groups != null) {
      groups.close();
    }
    if (pool != null) {
      await(pool.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("a duplicate event changes nothing, a failing handler is retried until it succeeds, offsets are committed past every record")
  void exactlyOnceEffect() throws Exception {
    String topic = newTopic(1);
    String group = "probe-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    int base = newBase();
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "k", envelope(first, base + 1))).get();
      producer.send(new ProducerRecord<>(topic, "k", envelope(first, base + 1))).get();
      producer.send(new ProducerRecord<>(topic, "k", envelope(second, base + 2))).get();
    }
    AtomicInteger calls = new AtomicInteger();
    String deployment = await(node.vertx().deployVerticle(new EventConsumerVerticle(kafka(Map.of()), group, List.of(topic), event -> {
      // The first attempt at the second event fails, as a bug that goes away would.
      if (event.eventId().equals(second) && calls.incrementAndGet() == 1) {
        return Future.failedFuture(new IllegalStateException("once"));
      }
      return insert(event);
    })));
    // Committed past the last record: every record was handled before its offset was.
    groups.awaitCommitted(group, WAIT, "offset 3 committed on " + partition, c -> c.getOrDefault(partition, 0L) == 3L);
    assertThat(countRows(base)).as("two distinct events applied once each").isEqualTo(2);
    assertThat(calls.get()).as("the failed attempt was retried").isEqualTo(2);
    await(node.vertx().undeploy(deployment));

    // A new member of the group starts from the committed offset: of the records above it gets none,
    // which shows as the first record it sees being the one published after it owned the partition.
    List<String> seen = new CopyOnWriteArrayList<>();
    String again = await(node.vertx().deployVerticle(new EventConsumerVerticle(kafka(Map.of()), group, List.of(topic), event -> {
      seen.add(event.eventId());
      return insert(event);
    })));
    try {
      groups.awaitOwner(group, List.of(partition), WAIT);
      String marker = UUID.randomUUID().toString();
      try (KafkaProducer<String, String> producer = producer()) {
        producer.send(new ProducerRecord<>(topic, "k", envelope(marker, base + 3))).get();
      }
      groups.awaitCommitted(group, WAIT, "offset 4 committed", c -> c.getOrDefault(partition, 0L) == 4L);
      assertThat(seen).as("only the record published after the restart").containsExactly(marker);
    } finally {
      await(node.vertx().undeploy(again));
    }
    assertThat(countRows(base)).isEqualTo(3);
  }

  @Test
  @DisplayName("malformed records in the middle of a batch are dead-lettered with their reason, and the records after them are handled and committed")
  void malformedRecordsDeadLettered() throws Exception {
    String topic = newTopic(1);
    String group = "probe-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    int base = newBase();
    String dataArray = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "ProbeHappened")
        .put("key", "k").put("data", new JsonArray().add(1)).encode();
    String idNumber = new JsonObject().put("eventId", 42).put("type", "ProbeHappened").put("data", new JsonObject()).encode();
    byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    List<Long> poisoned = new ArrayList<>();
    // All published before the consumer starts: they arrive in one poll, the poison among good events.
    try (KafkaProducer<String, byte[]> producer = bytesProducer()) {
      send(producer, topic, envelope(UUID.randomUUID().toString(), base + 1).getBytes(StandardCharsets.UTF_8));
      ProducerRecord<String, byte[]> withHeader = new ProducerRecord<>(topic, "k", "not json at all".getBytes(StandardCharsets.UTF_8));
      withHeader.headers().add("x-correlation-id", "poison-1".getBytes(StandardCharsets.UTF_8));
      poisoned.add(producer.send(withHeader).get().offset());
      poisoned.add(send(producer, topic, dataArray.getBytes(StandardCharsets.UTF_8)).offset());
      poisoned.add(send(producer, topic, idNumber.getBytes(StandardCharsets.UTF_8)).offset());
      poisoned.add(send(producer, topic, null).offset());
      poisoned.add(send(producer, topic, notUtf8).offset());
      send(producer, topic, envelope(UUID.randomUUID().toString(), base + 2).getBytes(StandardCharsets.UTF_8));
      send(producer, topic, envelope(UUID.randomUUID().toString(), base + 3).getBytes(StandardCharsets.UTF_8));
    }
    AtomicInteger handled = new AtomicInteger();
    String deployment = await(node.vertx().deployVerticle(new EventConsumerVerticle(kafka(Map.of()), group, List.of(topic), event -> {
      handled.incrementAndGet();
      return insert(event);
    })));
    try {
      groups.awaitCommitted(group, WAIT, "every record committed", c -> c.getOrDefault(partition, 0L) == 8L);
    } finally {
      await(node.vertx().undeploy(deployment));
    }
    assertThat(countRows(base)).as("the three good events, two of them after the poison, applied").isEqualTo(3);
    assertThat(handled.get()).as("the handler saw only the good events").isEqualTo(3);

    List<Letter> letters = DeadLetterReader.lettersFrom(SharedInfra.kafka().bootstrapServers(), topic);
    assertThat(letters).extracting(Letter::sourceOffset).containsExactlyElementsOf(poisoned);
    assertThat(letters).extracting(Letter::reason)
        .containsExactly(DeadLetters.NOT_JSON, DeadLetters.BAD_ENVELOPE, DeadLetters.BAD_ENVELOPE, DeadLetters.NO_VALUE,
            DeadLetters.NOT_UTF8);
    assertThat(letters).allSatisfy(letter -> {
      assertThat(letter.group()).isEqualTo(group);
      assertThat(letter.sourcePartition()).isZero();
      assertThat(letter.attempts()).as("no handler attempt for a record that is no event").isZero();
      assertThat(letter.key()).isEqualTo("k");
      assertThat(letter.headers().get(DeadLetters.DETAIL)).contains(topic + "/0@" + letter.sourceOffset());
    });
    assertThat(letters.get(0).valueText()).isEqualTo("not json at all");
    assertThat(letters.get(0).headers()).containsEntry("x-correlation-id", "poison-1");
    assertThat(letters.get(1).headers().get(DeadLetters.DETAIL)).contains("'data'");
    assertThat(letters.get(2).headers().get(DeadLetters.DETAIL)).contains("'eventId'");
    assertThat(letters.get(3).value()).as("a tombstone stays a tombstone").isNull();
    assertThat(letters.get(4).value()).as("the exact bytes, not a decoded copy").isEqualTo(notUtf8);

    String scrape = node.meterRegistry().scrape();
    assertThat(scrape)
        .contains("shop_kafka_dead_letters_total{group=\"" + group + "\",reason=\"bad_envelope\",topic=\"" + topic + "\"} 2.0")
        .contains("shop_kafka_dead_letters_total{group=\"" + group + "\",reason=\"not_json\",topic=\"" + topic + "\"} 1.0");
  }

  @Test
  @DisplayName("a handler failing permanently is retried N times with backoff, then dead-lettered, while the other partition flows and the member stays in the group")
  void permanentFailureDeadLettered() throws Exception {
    String topic = newTopic(2);
    String group = "probe-" + UUID.randomUUID();
    TopicPartition held = new TopicPartition(topic, 0);
    TopicPartition free = new TopicPartition(topic, 1);
    int base = newBase();
    // 4 attempts, 500 + 1000 + 2000 ms apart: the record holds its partition for 3.5 s, longer than the
    // 2 s a member may go without polling. A consumer that stopped polling while it retried would be dropped.
    KafkaConfig kafka = kafka(Map.of("SHOP_KAFKA_CONSUMER_MAX_ATTEMPTS", "4", "SHOP_KAFKA_CONSUMER_RETRY_BACKOFF", "500ms",
        "SHOP_KAFKA_CONSUMER_MAX_POLL_INTERVAL", "2s"));
    String poison = UUID.randomUUID().toString();
    List<Long> poisonAttempts = new CopyOnWriteArrayList<>();
    Map<String, Long> handledAt = new ConcurrentHashMap<>();
    String deployment = await(node.vertx().deployVerticle(new EventConsumerVerticle(kafka, group, List.of(topic), event -> {
      if (event.eventId().equals(poison)) {
        poisonAttempts.add(System.nanoTime());
        return Future.failedFuture(new IllegalStateException("this event breaks the handler"));
      }
      handledAt.put(event.eventId(), System.nanoTime());
      return insert(event);
    })));
    try {
      MemberDescription before = groups.awaitOwner(group, List.of(held, free), WAIT);
      String behindPoison = UUID.randomUUID().toString();
      List<String> otherPartition = new ArrayList<>();
      try (KafkaProducer<String, String> producer = producer()) {
        producer.send(new ProducerRecord<>(topic, 0, "k", envelope(poison, base + 1))).get();
        producer.send(new ProducerRecord<>(topic, 0, "k", envelope(behindPoison, base + 2))).get();
        ConsumerGroups.await(WAIT, "the first attempt at the poison", () -> poisonAttempts.isEmpty() ? null : true);
        for (int i = 0; i < 3; i++) {
          String id = UUID.randomUUID().toString();
          otherPartition.add(id);
          producer.send(new ProducerRecord<>(topic, 1, "k", envelope(id, base + 3 + i))).get();
        }
      }
      groups.awaitCommitted(group, WAIT, "both partitions committed to their ends",
          c -> c.getOrDefault(held, 0L) == 2L && c.getOrDefault(free, 0L) == 3L);

      assertThat(poisonAttempts).as("attempts at the poison").hasSize(4);
      long firstToLast = TimeUnit.NANOSECONDS.toMillis(poisonAttempts.get(3) - poisonAttempts.get(0));
      assertThat(firstToLast).as("backoff 500 + 1000 + 2000 ms between the attempts").isBetween(3_400L, 20_000L);
      long deadLettered = poisonAttempts.get(3);
      assertThat(otherPartition).as("the other partition flowed while the poison was retried")
          .allSatisfy(id -> assertThat(handledAt.get(id)).isLessThan(deadLettered));
      assertThat(handledAt.get(behindPoison)).as("the event behind the poison, once it was dead-lettered").isGreaterThan(deadLettered);
      assertThat(countRows(base)).isEqualTo(4);

      List<Letter> letters = DeadLetterReader.lettersFrom(SharedInfra.kafka().bootstrapServers(), topic);
      assertThat(letters).hasSize(1);
      Letter letter = letters.get(0);
      assertThat(letter.reason()).isEqualTo(DeadLetters.HANDLER_FAILED);
      assertThat(letter.attempts()).isEqualTo(4);
      assertThat(letter.sourceOffset()).isZero();
      assertThat(letter.headers().get(DeadLetters.DETAIL)).contains("IllegalStateException: this event breaks the handler");
      assertThat(new JsonObject(letter.valueText()).getString("eventId")).isEqualTo(poison);

      List<MemberDescription> after = groups.members(group);
      assertThat(after).as("the same member, never dropped from the group")
          .extracting(MemberDescription::consumerId).containsExactly(before.consumerId());
      assertThat(node.meterRegistry().scrape())
          .contains("shop_kafka_consumer_retries_total{failure=\"error\",group=\"" + group + "\",topic=\"" + topic + "\"} 3.0")
          .contains("shop_kafka_dead_letters_total{group=\"" + group + "\",reason=\"handler_failed\",topic=\"" + topic + "\"} 1.0");
    } finally {
      await(node.vertx().undeploy(deployment));
    }
  }

  @Test
  @DisplayName("a handler answering UNAVAILABLE (a backing service down) is retried beyond N attempts, never dead-lettered, and applied once it recovers")
  void transientFailureRetried() throws Exception {
    String topic = newTopic(1);
    String group = "probe-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    int base = newBase();
    KafkaConfig kafka = kafka(Map.of("SHOP_KAFKA_CONSUMER_MAX_ATTEMPTS", "3", "SHOP_KAFKA_CONSUMER_RETRY_BACKOFF", "100ms",
        "SHOP_KAFKA_CONSUMER_MAX_BACKOFF", "400ms", "SHOP_KAFKA_CONSUMER_MAX_POLL_INTERVAL", "2s"));
    String event = UUID.randomUUID().toString();
    String next = UUID.randomUUID().toString();
    AtomicInteger attempts = new AtomicInteger();
    List<String> applied = Collections.synchronizedList(new ArrayList<>());
    // Down for 4 s from the first attempt: about ten attempts, three times the limit for errors, and twice
    // the time a member may go without polling.
    long[] downUntil = {0};
    String deployment = await(node.vertx().deployVerticle(new EventConsumerVerticle(kafka, group, List.of(topic), e -> {
      if (e.eventId().equals(event)) {
        if (attempts.incrementAndGet() == 1) {
          downUntil[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        }
        if (System.nanoTime() < downUntil[0]) {
          return Future.failedFuture(ServiceException.unavailable("the database is down"));
        }
      }
      return insert(e).onSuccess(v -> applied.add(e.eventId()));
    })));
    try {
      MemberDescription before = groups.awaitOwner(group, List.of(partition), WAIT);
      try (KafkaProducer<String, String> producer = producer()) {
        producer.send(new ProducerRecord<>(topic, "k", envelope(event, base + 1))).get();
        producer.send(new ProducerRecord<>(topic, "k", envelope(next, base + 2))).get();
      }
      groups.awaitCommitted(group, WAIT, "both records committed", c -> c.getOrDefault(partition, 0L) == 2L);

      assertThat(attempts.get()).as("retried well beyond the 3 attempts allowed for errors").isGreaterThan(6);
      assertThat(applied).as("applied once it went through, in order").containsExactly(event, next);
      assertThat(countRows(base)).isEqualTo(2);
      assertThat(DeadLetterReader.lettersFrom(SharedInfra.kafka().bootstrapServers(), topic)).as("nothing dead-lettered").isEmpty();
      assertThat(groups.members(group)).as("the same member, never dropped from the group")
          .extracting(MemberDescription::consumerId).containsExactly(before.consumerId());
      assertThat(node.meterRegistry().scrape())
          .contains("shop_kafka_consumer_retries_total{failure=\"transient\",group=\"" + group + "\",topic=\"" + topic + "\"} "
              + (attempts.get() - 1) + ".0");
    } finally {
      await(node.vertx().undeploy(deployment));
    }
  }

  @Test
  @DisplayName("a handler refusing an event as malformed has it dead-lettered at once, without retries")
  void rejectedByHandler() throws Exception {
    String topic = newTopic(1);
    String group = "probe-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    int base = newBase();
    String refused = UUID.randomUUID().toString();
    AtomicInteger attempts = new AtomicInteger();
    String deployment = await(node.vertx().deployVerticle(new EventConsumerVerticle(kafka(Map.of()), group, List.of(topic), e -> {
      if (e.eventId().equals(refused)) {
        attempts.incrementAndGet();
        throw new MalformedEventException("'lines' is not an array");
      }
      return insert(e);
    })));
    try {
      try (KafkaProducer<String, String> producer = producer()) {
        producer.send(new ProducerRecord<>(topic, "k", envelope(refused, base + 1))).get();
        producer.send(new ProducerRecord<>(topic, "k", envelope(UUID.randomUUID().toString(), base + 2))).get();
      }
      groups.awaitCommitted(group, WAIT, "both records committed", c -> c.getOrDefault(partition, 0L) == 2L);
    } finally {
      await(node.vertx().undeploy(deployment));
    }
    assertThat(attempts.get()).isEqualTo(1);
    assertThat(countRows(base)).isEqualTo(1);
    List<Letter> letters = DeadLetterReader.lettersFrom(SharedInfra.kafka().bootstrapServers(), topic);
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).reason()).isEqualTo(DeadLetters.REJECTED);
    assertThat(letters.get(0).attempts()).isEqualTo(1);
    assertThat(letters.get(0).headers().get(DeadLetters.DETAIL)).contains(refused).contains("'lines' is not an array");
  }

  private static Future<?> insert(DomainEvent event) {
    return Inbox.once(pool, "probe-test", event.eventId(), tx -> tx.preparedQuery("INSERT INTO probe (id, note) VALUES ($1, $2)")
        .execute(Tuple.of(event.data().getInteger("n"), event.type())));
  }

  private static KafkaConfig kafka(Map<String, String> extra) {
    return KafkaConfig.from(ShopTestEnv.shared(extra));
  }

  private static String newTopic(int partitions) throws Exception {
    String topic = "test.consumer." + UUID.randomUUID();
    await(Topics.ensure(node.vertx(), kafka(Map.of()), List.of(new NewTopic(topic, partitions, (short) 1))));
    return topic;
  }

  /** A range of ten probe ids no other test uses. */
  private static int newBase() {
    return Math.abs(UUID.randomUUID().hashCode() % 1_000_000) * 10;
  }

  private static long countRows(int base) throws Exception {
    return await(pool.preparedQuery("SELECT count(*) FROM probe WHERE id BETWEEN $1 AND $2")
        .execute(Tuple.of(base, base + 9))).iterator().next().getLong(0);
  }

  private static String envelope(String eventId, int n) {
    return new JsonObject().put("eventId", eventId).put("type", "ProbeHappened").put("key", "k")
        .put("occurredAt", "2026-01-01T00:00:00Z").put("data", new JsonObject().put("n", n)).encode();
  }

  private static RecordMetadata send(KafkaProducer<String, byte[]> producer, String topic, byte[] value) throws Exception {
    return producer.send(new ProducerRecord<>(topic, "k", value)).get();
  }

  private static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static KafkaProducer<String, byte[]> bytesProducer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
