package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's dead-letter topic, {@value #TOPIC}, and the writer consumers use to put a record there
 * that they could not handle.
 *
 * <p>One topic for every source topic and consumer: an operator looks in one place, and each copy says
 * where it came from. A copy has the original key, value (the exact bytes) and headers, plus headers
 * saying why and where from: {@value #REASON} (one of the reason words below, also the metric tag),
 * {@value #DETAIL} (what was wrong, in words), {@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION},
 * {@value #SOURCE_OFFSET}, {@value #SOURCE_TIMESTAMP}, {@value #GROUP} (the consumer group, or the
 * reader's name for a consumer without one), {@value #CLIENT}, {@value #ATTEMPTS} and {@value #FAILED_AT}.
 * A record is copied once per consumer group that gave up on it; a copy written again after a crash
 * has the same source coordinates, which tell the two apart.
 *
 * <p>Each copy is counted in {@code shop_kafka_dead_letters_total{group, topic, reason}} ({@code topic}
 * being the source topic) on the node's registry.
 */
public final class DeadLetters {

  /** The dead-letter topic. */
  public static final String TOPIC = "shop.dead-letters";
  /** How long copies are kept: long enough for someone to look at them after a holiday. */
  public static final Duration RETENTION = Duration.ofDays(30);

  public static final String REASON = "dead-letter-reason";
  public static final String DETAIL = "dead-letter-detail";
  public static final String SOURCE_TOPIC = "dead-letter-topic";
  public static final String SOURCE_PARTITION = "dead-letter-partition";
  public static final String SOURCE_OFFSET = "dead-letter-offset";
  public static final String SOURCE_TIMESTAMP = "dead-letter-timestamp";
  public static final String GROUP = "dead-letter-group";
  public static final String CLIENT = "dead-letter-client";
  public static final String ATTEMPTS = "dead-letter-attempts";
  public static final String FAILED_AT = "dead-letter-at";

  /** A record without a value (a tombstone) where events are expected. */
  public static final String NO_VALUE = "no_value";
  /** A value that is not UTF-8 text. */
  public static final String NOT_UTF8 = "not_utf8";
  /** A value that is not JSON. */
  public static final String NOT_JSON = "not_json";
  /** JSON that is not an event envelope: a field missing or of the wrong type ({@code data} an array...). */
  public static final String BAD_ENVELOPE = "bad_envelope";
  /** An envelope whose handler refused its content ({@link MalformedEventException}). */
  public static final String REJECTED = "rejected";
  /** An envelope whose handler kept failing with a non-transient error until the attempts ran out. */
  public static final String HANDLER_FAILED = "handler_failed";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_DETAIL = 1_000;

  private final Vertx vertx;
  private final String group;
  private final String client;
  private final KafkaProducer<String, Buffer> producer;

  private DeadLetters(Vertx vertx, KafkaConfig kafka, String group, String client) {
    this.vertx = vertx;
    this.group = group;
    this.client = client;
    Map<String, String> settings = KafkaSettings.producer(kafka, client + "-dead-letters");
    settings.put("value.serializer", "io.vertx.kafka.client.serialization.BufferSerializer");
    this.producer = KafkaProducer.create(vertx, settings);
    // A failed send also fails its future, which the caller retries; this keeps it off the context's log.
    producer.exceptionHandler(failure -> LOG.debug("{}: dead-letter producer error: {}", group, failure.getMessage()));
  }

  /** The topic's settings: deleted after {@link #RETENTION}, partitioned like the shop's other topics. */
  public static NewTopic topic(KafkaConfig config) {
    return new NewTopic(TOPIC, config.topicPartitions(), config.replicationFactor())
        .setConfig(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(RETENTION.toMillis())));
  }

  /**
   * A writer for consumer {@code group} (its client {@code client}), once the topic exists: created
   * here at start like every other topic, so that the first dead letter does not wait for it.
   */
  public static Future<DeadLetters> open(Vertx vertx, KafkaConfig kafka, String group, String client) {
    return Topics.ensure(vertx, kafka, List.of(topic(kafka))).map(v -> new DeadLetters(vertx, kafka, group, client));
  }

  /**
   * Writes a copy of {@code record} with why it is dead ({@code reason}, {@code detail}) after
   * {@code attempts} attempts at handling it; completes once Kafka acknowledged the copy, then counts it.
   */
  public Future<Void> send(KafkaConsumerRecord<String, Buffer> record, String reason, String detail, int attempts) {
    KafkaProducerRecord<String, Buffer> copy = KafkaProducerRecord.create(TOPIC, record.key(), record.value());
    for (KafkaHeader header : record.headers()) {
      copy.addHeader(header);
    }
    String text = detail == null ? reason : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
    copy.addHeader(REASON, reason)
        .addHeader(DETAIL, text)
        .addHeader(SOURCE_TOPIC, record.topic())
        .addHeader(SOURCE_PARTITION, String.valueOf(record.partition()))
        .addHeader(SOURCE_OFFSET, String.valueOf(record.offset()))
        .addHeader(SOURCE_TIMESTAMP, String.valueOf(record.timestamp()))
        .addHeader(GROUP, group)
        .addHeader(CLIENT, client)
        .addHeader(ATTEMPTS, String.valueOf(attempts))
        .addHeader(FAILED_AT, Instant.now().toString());
    return producer.send(copy).<Void>mapEmpty().onSuccess(v -> {
      LOG.error("{}: record {}/{}@{} dead-lettered to {} ({}, {} attempts): {}", group, record.topic(), record.partition(),
          record.offset(), TOPIC, reason, attempts, text);
      NodeMetrics.of(vertx).ifPresent(registry -> Counter.builder("shop.kafka.dead.letters")
          .description("Records a consumer gave up on and copied to " + TOPIC + ", by source topic and reason")
          .tag("group", group)
          .tag("topic", record.topic())
          .tag("reason", reason)
          .register(registry)
          .increment());
    });
  }

  public Future<Void> close() {
    return producer.close(5_000);
  }
}
