package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.config.KafkaConfig.ConsumerRetries;
import dev.vertxshop.platform.observability.Correlation;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes domain events in a consumer group and commits offsets only after the handler finished with
 * them: at-least-once delivery, made exactly-once in effect by handlers that use {@link Inbox}.
 *
 * <p>Records of one partition are handled one at a time, in offset order; partitions are independent,
 * so a partition held by a failing record never holds the others. The consumer polls every 200 ms
 * whatever its handlers are doing: a partition with work queued or in progress is paused (so its records
 * are not fetched into memory meanwhile) and resumed once it is idle, which keeps the member in its group
 * (no {@code max.poll.interval.ms} expiry, no rebalance) however long a record takes.
 *
 * <p>What happens to a record that is not handled, by {@link FailureKind}:
 * <ul>
 *   <li>not an event envelope ({@link DomainEvent#parse} refuses it), or refused by its handler with a
 *       {@link MalformedEventException}: copied to the dead-letter topic ({@link DeadLetters}) at once with
 *       its reason; its offset is then committed and the records after it go on;
 *   <li>a transient failure (a backing service unavailable): retried with backoff without limit, the
 *       partition paused, since the record is good and dropping it would lose an event;
 *   <li>any other failure: retried with backoff up to {@code SHOP_KAFKA_CONSUMER_MAX_ATTEMPTS} attempts
 *       in all, then dead-lettered ({@value DeadLetters#HANDLER_FAILED}).
 * </ul>
 * The backoff starts at {@code SHOP_KAFKA_CONSUMER_RETRY_BACKOFF} and doubles up to
 * {@code SHOP_KAFKA_CONSUMER_MAX_BACKOFF}. Retries are counted in
 * {@code shop_kafka_consumer_retries_total{group, topic, failure}} ({@code failure} = {@code transient} or
 * {@code error}), dead letters in {@code shop_kafka_dead_letters_total{group, topic, reason}}.
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

  private final KafkaConfig kafka;
  private final ConsumerRetries retries;
  private final String groupId;
  private final List<String> topics;
  private final Function<DomainEvent, Future<?>> handler;
  private final Duration lagInterval;
  private final Map<TopicPartition, Lane> lanes = new HashMap<>();
  private Context context;
  private KafkaConsumer<String, Buffer> consumer;
  private DeadLetters deadLetters;
  private volatile boolean running;
  private Promise<Void> loopStopped;
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
    this.retries = kafka.consumer();
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.lagInterval = lagInterval;
  }

  /** The partition's records waiting or in progress, and how far it got. Touched on the verticle's event loop only. */
  private static final class Lane {
    final TopicPartition partition;
    final ArrayDeque<KafkaConsumerRecord<String, Buffer>> queue = new ArrayDeque<>();
    boolean busy;
    boolean paused;
    boolean revoked;
    /** The offset to commit: one past the last record finished (handled or dead-lettered); -1 before any. */
    long done = -1;
    long committed = -1;
    /** The record in progress, completed once it is finished or given up on (stop, revocation). */
    Future<Void> current = Future.succeededFuture();
    long waitTimer = -1;
    Promise<Void> waiting;

    Lane(TopicPartition partition) {
      this.partition = partition;
    }
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    // Unique per instance: several instances of one deployment must not share a client id (nor a gauge).
    member = groupId + "-" + UUID.randomUUID().toString().substring(0, 8);
    return DeadLetters.open(vertx, kafka, groupId, member)
        .compose(writer -> {
          deadLetters = writer;
          Map<String, String> settings = KafkaSettings.consumer(kafka, groupId, member);
          // The raw bytes: a dead letter must be the record as it was, and text that is not UTF-8 is refused, not patched.
          settings.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
          consumer = KafkaConsumer.create(vertx, settings);
          consumer.exceptionHandler(e -> LOG.warn("consumer {} error: {}", groupId, e.getMessage()));
          consumer.partitionsRevokedHandler(this::revoked);
          consumer.partitionsAssignedHandler(assigned -> LOG.info("consumer {} ({}) assigned {}", groupId, member, assigned));
          return consumer.subscribe(Set.copyOf(topics));
        })
        .onSuccess(v -> {
          running = true;
          loopStopped = Promise.promise();
          NodeMetrics.of(vertx).ifPresent(registry -> lagGauge = Gauge.builder("shop.kafka.consumer.lag", this, c -> c.lag)
              .description("Records on the member's partitions not consumed yet (end offset - position), sampled")
              .tag("group", groupId)
              .tag("member", member)
              .strongReference(true)
              .register(registry));
          lagTimer = vertx.setPeriodic(lagInterval.toMillis(), id -> sampleLag());
          pollLoop();
        })
        // Vert.x does not call stop() after a failed start: release the clients here.
        .recover(failure -> closeClients().transform(ignored -> Future.failedFuture(failure)));
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
    List<Future<Void>> inFlight = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      // A record waiting for its next attempt gives up now; one being handled is let finish.
      cancelWait(lane);
      inFlight.add(lane.current.otherwiseEmpty());
    }
    Future<Void> loopDone = loopStopped == null ? Future.succeededFuture() : loopStopped.future();
    // A sample still running would reach the consumer after its close, from another thread.
    Future<Void> sampleDone = sampling.otherwiseEmpty();
    return Future.join(loopDone, sampleDone, Future.join(inFlight))
        // What finished during the stop is committed, so that the next owner does not redo it.
        .eventually(() -> consumer == null ? Future.succeededFuture() : commitDone())
        .eventually(this::closeClients);
  }

  private Future<Void> closeClients() {
    Future<Void> consumerClosed = consumer == null ? Future.succeededFuture() : consumer.close();
    return consumerClosed.eventually(() -> deadLetters == null ? Future.succeededFuture() : deadLetters.close());
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

  /** Poll, hand the records to their lanes, commit what finished, again: never waits for a handler. */
  private void pollLoop() {
    if (!running) {
      loopStopped.tryComplete();
      return;
    }
    adjustPauses()
        .compose(v -> consumer.poll(POLL))
        .onComplete(polled -> {
          if (polled.succeeded()) {
            enqueue(polled.result());
          } else {
            LOG.warn("consumer {} poll failed: {}", groupId, polled.cause().getMessage());
          }
          commitDone().onComplete(committed -> {
            if (polled.failed()) {
              vertx.setTimer(500, id -> pollLoop());
            } else {
              pollLoop();
            }
          });
        });
  }

  /**
   * Pauses the partitions with work queued or in progress, resumes the idle ones. A failure (a partition
   * revoked in between) only means more records may be fetched for a while: positions, not pauses, keep
   * the order, so nothing is skipped or repeated either way.
   */
  private Future<Void> adjustPauses() {
    Set<TopicPartition> pause = new HashSet<>();
    Set<TopicPartition> resume = new HashSet<>();
    List<Lane> pausing = new ArrayList<>();
    List<Lane> resuming = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      boolean working = lane.busy || !lane.queue.isEmpty();
      if (working && !lane.paused) {
        pause.add(lane.partition);
        pausing.add(lane);
      } else if (!working && lane.paused) {
        resume.add(lane.partition);
        resuming.add(lane);
      }
    }
    Future<Void> paused = pause.isEmpty() ? Future.succeededFuture()
        : consumer.pause(pause).onSuccess(v -> pausing.forEach(lane -> lane.paused = true));
    Future<Void> resumed = resume.isEmpty() ? Future.succeededFuture()
        : consumer.resume(resume).onSuccess(v -> resuming.forEach(lane -> lane.paused = false));
    return Future.join(paused, resumed)
        .<Void>mapEmpty()
        .recover(failure -> {
          LOG.debug("consumer {}: pause/resume not applied: {}", groupId, failure.getMessage());
          return Future.succeededFuture();
        });
  }

  private void enqueue(KafkaConsumerRecords<String, Buffer> records) {
    Set<Lane> touched = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> record = records.recordAt(i);
      Lane lane = lanes.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), Lane::new);
      lane.queue.add(record);
      touched.add(lane);
    }
    touched.forEach(this::drive);
  }

  /** Starts the lane's next record unless one is in progress. */
  private void drive(Lane lane) {
    if (lane.busy || lane.revoked || !running || lane.queue.isEmpty()) {
      return;
    }
    KafkaConsumerRecord<String, Buffer> record = lane.queue.peek();
    lane.busy = true;
    Promise<Void> finished = Promise.promise();
    lane.current = finished.future();
    handle(lane, record, finished);
    finished.future().onComplete(outcome -> {
      lane.busy = false;
      if (outcome.succeeded() && !lane.revoked) {
        lane.queue.poll();
        lane.done = record.offset() + 1;
        // Through the event loop rather than recursion: a handler that completes at once must not grow the stack.
        context.runOnContext(v -> drive(lane));
      }
    });
  }

  private void handle(Lane lane, KafkaConsumerRecord<String, Buffer> record, Promise<Void> finished) {
    DomainEvent event;
    try {
      event = DomainEvent.parse(record.topic(), record.partition(), record.offset(), record.value(),
          header(record, Correlation.HEADER));
    } catch (MalformedEventException e) {
      deadLetter(lane, record, e.reason(), e.getMessage(), 0, 1, finished);
      return;
    }
    attempt(lane, record, event, 1, 0, finished);
  }

  /** Attempt number {@code attempt} at {@code event}, after {@code errors} non-transient failures. */
  private void attempt(Lane lane, KafkaConsumerRecord<String, Buffer> record, DomainEvent event, int attempt, int errors,
      Promise<Void> finished) {
    Correlation.bind(event.correlationId());
    Future<?> result;
    try {
      result = handler.apply(event);
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException("the handler returned no future"));
      }
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    onContext(result).onComplete(outcome -> {
      if (outcome.succeeded()) {
        LOG.debug("consumer {} applied {} {}", groupId, event.type(), event.eventId());
        finished.complete();
        return;
      }
      Throwable failure = outcome.cause();
      if (!running || lane.revoked) {
        // Stopping or no longer ours: the offset stays uncommitted and the next owner redelivers the record.
        finished.fail(failure);
        return;
      }
      FailureKind kind = FailureKind.of(failure);
      String why = describe(failure);
      if (kind == FailureKind.REJECTED) {
        deadLetter(lane, record, rejection(failure), event.type() + " " + event.eventId() + " refused by the handler: " + why,
            attempt, 1, finished);
        return;
      }
      int errorsNow = kind == FailureKind.ERROR ? errors + 1 : errors;
      if (kind == FailureKind.ERROR && errorsNow >= retries.maxAttempts()) {
        deadLetter(lane, record, DeadLetters.HANDLER_FAILED, event.type() + " " + event.eventId() + " failed " + errorsNow
            + " times, last: " + why, attempt, 1, finished);
        return;
      }
      long backoff = backoff(attempt);
      countRetry(record.topic(), kind);
      LOG.warn("consumer {} failed on {} {} at {}/{}@{} (attempt {}, {}), retrying in {} ms: {}", groupId, event.type(),
          event.eventId(), record.topic(), record.partition(), record.offset(), attempt,
          kind.name().toLowerCase(Locale.ROOT), backoff, why);
      waitFor(lane, backoff).onComplete(
          waited -> attempt(lane, record, event, attempt + 1, errorsNow, finished),
          stopped -> finished.fail(failure));
    });
  }

  /** Copies the record to the dead-letter topic; a failed write (Kafka away) is tried again, the record held meanwhile. */
  private void deadLetter(Lane lane, KafkaConsumerRecord<String, Buffer> record, String reason, String detail, int attempts,
      int write, Promise<Void> finished) {
    onContext(deadLetters.send(record, reason, detail, attempts)).onComplete(
        sent -> finished.complete(),
        failure -> {
          if (!running || lane.revoked) {
            finished.fail(failure);
            return;
          }
          long backoff = backoff(write);
          LOG.warn("consumer {} could not dead-letter {}/{}@{} (write {}), retrying in {} ms: {}", groupId, record.topic(),
              record.partition(), record.offset(), write, backoff, failure.getMessage());
          waitFor(lane, backoff).onComplete(
              waited -> deadLetter(lane, record, reason, detail, attempts, write + 1, finished),
              stopped -> finished.fail(failure));
        });
  }

  /** The wait before attempt {@code attempt + 1}: the base backoff doubled per attempt, capped. */
  private long backoff(int attempt) {
    long base = retries.retryBackoff().toMillis();
    long max = retries.maxBackoff().toMillis();
    int doublings = Math.min(attempt - 1, 20);
    return Math.min(max, base << doublings);
  }

  /** A timer the lane's record waits on; it fails when the consumer stops or loses the partition meanwhile. */
  private Future<Void> waitFor(Lane lane, long ms) {
    Promise<Void> waited = Promise.promise();
    lane.waiting = waited;
    lane.waitTimer = vertx.setTimer(ms, id -> {
      lane.waitTimer = -1;
      lane.waiting = null;
      if (!running || lane.revoked) {
        waited.tryFail("stopped waiting: the consumer stopped or lost the partition");
      } else {
        waited.tryComplete();
      }
    });
    return waited.future();
  }

  private void cancelWait(Lane lane) {
    if (lane.waitTimer >= 0) {
      vertx.cancelTimer(lane.waitTimer);
      lane.waitTimer = -1;
    }
    if (lane.waiting != null) {
      lane.waiting.tryFail("stopped waiting: the consumer stopped or lost the partition");
      lane.waiting = null;
    }
  }

  /** Commits, per partition, one past the last record finished, where that moved since the last commit. */
  private Future<Void> commitDone() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<Lane, Long> committing = new HashMap<>();
    for (Lane lane : lanes.values()) {
      if (lane.done > lane.committed) {
        offsets.put(lane.partition, new OffsetAndMetadata(lane.done, null));
        committing.put(lane, lane.done);
      }
    }
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer.commit(offsets)
        .onSuccess(ok -> committing.forEach((lane, offset) -> lane.committed = Math.max(lane.committed, offset)))
        .<Void>mapEmpty()
        // A rebalance in between: the next owner redelivers from the last commit, and the inbox drops the repeats.
        .onFailure(failure -> LOG.debug("consumer {}: commit of {} failed: {}", groupId, offsets.keySet(), failure.getMessage()));
  }

  /** Partitions taken away by a rebalance: their queued records are dropped (the next owner reads them again). */
  private void revoked(Set<TopicPartition> partitions) {
    LOG.info("consumer {} ({}) revoked {}", groupId, member, partitions);
    for (TopicPartition partition : partitions) {
      Lane lane = lanes.remove(partition);
      if (lane != null) {
        lane.revoked = true;
        lane.queue.clear();
        cancelWait(lane);
      }
    }
  }

  private void countRetry(String topic, FailureKind kind) {
    NodeMetrics.of(vertx).ifPresent(registry -> Counter.builder("shop.kafka.consumer.retries")
        .description("Failed attempts at handling a record that were followed by another attempt, by kind of failure")
        .tag("group", groupId)
        .tag("topic", topic)
        .tag("failure", kind.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment());
  }

  /** The handler's future may complete on another thread; the lanes live on this verticle's event loop. */
  private <T> Future<T> onContext(Future<T> future) {
    Promise<T> here = Promise.promise();
    future.onComplete(outcome -> {
      if (Vertx.currentContext() == context) {
        here.handle(outcome);
      } else {
        context.runOnContext(v -> here.handle(outcome));
      }
    });
    return here.future();
  }

  private static String rejection(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof MalformedEventException malformed) {
        return malformed.reason();
      }
    }
    return DeadLetters.REJECTED;
  }

  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
  }

  private static String header(KafkaConsumerRecord<String, Buffer> record, String name) {
    for (KafkaHeader header : record.headers()) {
      if (header.key().equals(name) && header.value() != null) {
        return header.value().toString();
      }
    }
    return null;
  }
}
