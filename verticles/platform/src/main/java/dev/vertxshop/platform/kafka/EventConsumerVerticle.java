package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.observability.Correlation;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes domain events in a consumer group, one record at a time, and commits offsets only after
 * the handler finished: at-least-once delivery, made exactly-once in effect by handlers that use
 * {@link Inbox}.
 *
 * <p>A handler failure is retried with backoff (the database may be down: the event must not be
 * lost); a record that is not an event envelope is logged and skipped, since no retry can fix it.
 *
 * <p>Its lag (records on its partitions not yet fetched: end offsets minus positions) is sampled
 * periodically and exposed as {@code shop_kafka_consumer_lag{group, member}} on the node's registry;
 * the group's lag is the sum over its members.
 */
public final class EventConsumerVerticle extends VerticleBase {

  /** How often the lag is sampled unless a test asks for another interval. */
  public static final Duration LAG_SAMPLE_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumerVerticle.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final KafkaConfig kafka;
  private final String groupId;
  private final List<String> topics;
  private final Function<DomainEvent, Future<?>> handler;
  private final Duration lagInterval;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean running;
  private Promise<Void> stopped;
  private String member;
  // Written on this verticle's event loop, read by the scrape: a sampled value, never computed per scrape.
  private volatile double lag = Double.NaN;
  private Future<Void> sampling = Future.succeededFuture();
  private long lagTimer = -1;
  private Gauge lagGauge;

  public EventConsumerVerticle(KafkaConfig kafka, String groupId, List<String> topics, Function<DomainEvent, Future<?>> handler) {
    this(kafka, groupId, topics, handler, LAG_SAMPLE_INTERVAL);
  }

  /** As the other constructor, sampling the lag every {@code lagInterval}. */
  public EventConsumerVerticle(KafkaConfig kafka, String groupId, List<String> topics, Function<DomainEvent, Future<?>> handler,
      Duration lagInterval) {
    this.kafka = kafka;
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.lagInterval = lagInterval;
  }

  @Override
  public Future<?> start() {
    // Unique per instance: several instances of one deployment must not share a client id (nor a gauge).
    member = groupId + "-" + UUID.randomUUID().toString().substring(0, 8);
    consumer = KafkaConsumer.create(vertx, KafkaSettings.consumer(kafka, groupId, member));
    consumer.exceptionHandler(e -> LOG.warn("consumer {} error: {}", groupId, e.getMessage()));
    return consumer.subscribe(Set.copyOf(topics)).onSuccess(v -> {
      running = true;
      stopped = Promise.promise();
      NodeMetrics.of(vertx).ifPresent(registry -> lagGauge = Gauge.builder("shop.kafka.consumer.lag", this, c -> c.lag)
          .description("Records on the member's partitions not consumed yet (end offset - position), sampled")
          .tag("group", groupId)
          .tag("member", member)
          .strongReference(true)
          .register(registry));
      lagTimer = vertx.setPeriodic(lagInterval.toMillis(), id -> sampleLag());
      pollLoop();
    });
  }

  @Override
  public Future<?> stop() {
    running = false;
    if (lagTimer >= 0) {
      vertx.cancelTimer(lagTimer);
    }
    if (lagGauge != null) {
      NodeMetrics.of(vertx).ifPresent(registry -> registry.remove(lagGauge));
    }
    Future<Void> loopDone = stopped == null ? Future.succeededFuture() : stopped.future();
    // A sample still running would reach the consumer after its close, from another thread.
    Future<Void> sampleDone = sampling.otherwiseEmpty();
    return Future.join(loopDone, sampleDone).eventually(() -> consumer.close());
  }

  /**
   * One sample: the calls run on the consumer's own thread between polls. Partitions not assigned to this
   * member count for the member that owns them; a failed sample keeps the last value.
   */
  private void sampleLag() {
    if (!sampling.isComplete() || !running) {
      return;
    }
    sampling = consumer.assignment().compose(assigned -> {
      if (assigned.isEmpty() || !running) {
        return Future.succeededFuture(assigned.isEmpty() ? 0L : null);
      }
      return consumer.endOffsets(assigned).compose(ends -> {
        // One position at a time, each checked against a stop in between.
        Future<Long> sum = Future.succeededFuture(0L);
        for (TopicPartition partition : assigned) {
          long end = ends.getOrDefault(partition, 0L);
          sum = sum.compose(total -> !running ? Future.succeededFuture(total)
              : consumer.position(partition).map(position -> total + Math.max(0L, end - position)));
        }
        return sum.map(total -> running ? total : null);
      });
    }).<Void>map(sum -> {
      if (sum != null) {
        lag = sum;
      }
      return null;
    }).onFailure(failure -> LOG.debug("consumer {}: lag not sampled: {}", groupId, failure.getMessage()));
  }

  private void pollLoop() {
    if (!running) {
      stopped.tryComplete();
      return;
    }
    consumer.poll(POLL)
        .compose(this::processAll)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("consumer {} poll failed: {}", groupId, ar.cause().getMessage());
            vertx.setTimer(500, id -> pollLoop());
          } else {
            pollLoop();
          }
        });
  }

  private Future<Void> processAll(KafkaConsumerRecords<String, String> records) {
    Future<Void> chain = Future.succeededFuture();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      chain = chain.compose(v -> processWithRetry(record, 0)).onSuccess(v ->
          offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1, null)));
    }
    return chain.compose(v -> offsets.isEmpty() ? Future.succeededFuture() : consumer.commit(offsets).mapEmpty());
  }

  private Future<Void> processWithRetry(KafkaConsumerRecord<String, String> record, int attempt) {
    DomainEvent event;
    try {
      event = DomainEvent.parse(record.topic(), record.partition(), record.offset(), record.value(), header(record, Correlation.HEADER));
    } catch (IllegalArgumentException e) {
      LOG.error("consumer {} skips a record it cannot read: {}", groupId, e.getMessage());
      return Future.succeededFuture();
    }
    Correlation.bind(event.correlationId());
    Future<?> result;
    try {
      result = handler.apply(event);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.<Void>mapEmpty()
        .onSuccess(v -> LOG.debug("consumer {} applied {} {}", groupId, event.type(), event.eventId()))
        .recover(failure -> {
          if (!running) {
            // Stopping: leave the offset uncommitted; the next owner of the partition redelivers it.
            return Future.failedFuture(failure);
          }
          long backoff = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
          LOG.warn("consumer {} failed on {} {} (attempt {}), retrying in {} ms: {}", groupId, event.type(), event.eventId(),
              attempt + 1, backoff, failure.getMessage());
          Promise<Void> retry = Promise.promise();
          vertx.setTimer(backoff, id -> processWithRetry(record, attempt + 1).onComplete(retry));
          return retry.future();
        });
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    for (KafkaHeader header : record.headers()) {
      if (header.key().equals(name)) {
        return header.value().toString();
      }
    }
    return null;
  }
}
