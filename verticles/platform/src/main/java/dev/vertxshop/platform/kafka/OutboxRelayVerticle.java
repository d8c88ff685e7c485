package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a service's outbox to Kafka: at-least-once, in id order, each record carrying the stable
 * event id (value and header) so that consumers can drop duplicates.
 *
 * <p>One relay at a time per schema publishes (a transaction-scoped advisory lock), which keeps
 * per-key order with any number of replicas. Rows are marked published only after Kafka acknowledged
 * them; a crash in between republishes the same event ids, never loses one. Writers in this JVM kick
 * the relay through {@link #kick(Vertx, String)}; a timer covers writers elsewhere.
 *
 * <p>Each run also counts the unpublished rows (one count over the partial index, in the run's
 * transaction) and keeps the figure: {@code shop_outbox_backlog{service}} on the node's registry reads
 * that sample, so a scrape never queries the database.
 */
public final class OutboxRelayVerticle extends VerticleBase {

  private static final DeliveryOptions LOCAL_ONLY = new DeliveryOptions().setLocalOnly(true);

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayVerticle.class);

  private static final String SELECT_BATCH =
      "SELECT id, event_id, topic, event_key, event_type, payload, correlation_id, created_at FROM outbox "
          + "WHERE published_at IS NULL ORDER BY id LIMIT $1";
  private static final String MARK_PUBLISHED = "UPDATE outbox SET published_at = now() WHERE id = ANY($1)";
  private static final String COUNT_UNPUBLISHED = "SELECT count(*) FROM outbox WHERE published_at IS NULL";
  private static final String PURGE = "DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)";

  private final String schema;
  private final Pool pool;
  private final KafkaConfig kafka;
  private final Duration pollInterval;
  private final int batchSize;
  private final Duration retention;

  private KafkaProducer<String, String> producer;
  private MessageConsumer<Object> kicks;
  private long timerId = -1;
  private long purgeTimerId = -1;
  private boolean draining;
  private boolean drainAgain;
  // Written on this verticle's event loop, read by the scrape.
  private volatile double backlog = Double.NaN;
  private Gauge backlogGauge;

  public OutboxRelayVerticle(String schema, Pool pool, KafkaConfig kafka, OutboxSettings settings) {
    this.schema = schema;
    this.pool = pool;
    this.kafka = kafka;
    this.pollInterval = settings.poll();
    this.batchSize = settings.batch();
    this.retention = settings.retention();
  }

  /** The local address that makes the relay of {@code schema} drain now. */
  public static String kickAddress(String schema) {
    return schema + ".outbox.kick";
  }

  /**
   * Makes this node's relay of {@code schema} drain now: called right after a transaction that wrote to the
   * outbox commits, so that its events leave without waiting for the poll. Local only (the relay of this
   * JVM; other replicas' relays find the rows at their poll); fire and forget, nothing waits for it.
   */
  public static void kick(Vertx vertx, String schema) {
    vertx.eventBus().send(kickAddress(schema), "", LOCAL_ONLY);
  }

  @Override
  public Future<?> start() {
    producer = KafkaProducer.create(vertx, KafkaSettings.producer(kafka, "shop-" + schema + "-outbox"));
    // Send failures also fail the batch, which logs them once per run; this only keeps them off the context's
    // "unhandled exception" log.
    producer.exceptionHandler(failure -> LOG.debug("outbox relay for {}: producer error: {}", schema, failure.getMessage()));
    kicks = vertx.eventBus().localConsumer(kickAddress(schema), msg -> drain());
    timerId = vertx.setPeriodic(pollInterval.toMillis(), id -> drain());
    purgeTimerId = vertx.setPeriodic(60_000, id -> purge());
    NodeMetrics.of(vertx).ifPresent(registry -> backlogGauge = Gauge.builder("shop.outbox.backlog", this, relay -> relay.backlog)
        .description("Outbox rows not yet published to Kafka, as counted by the relay's last run")
        .tag("service", schema)
        .strongReference(true)
        .register(registry));
    return kicks.completion().onSuccess(v -> drain());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    vertx.cancelTimer(purgeTimerId);
    if (backlogGauge != null) {
      NodeMetrics.of(vertx).ifPresent(registry -> registry.remove(backlogGauge));
    }
    return Future.join(kicks.unregister(), producer.close(5_000));
  }

  private void drain() {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    drainAgain = false;
    pool.withTransaction(this::publishBatch)
        .onComplete(
            published -> {
              draining = false;
              // A full batch means more may be waiting; a kick during the run asked for another look.
              if (published >= batchSize || drainAgain) {
                drain();
              }
            },
            failure -> {
              draining = false;
              LOG.warn("outbox relay for {} failed, will retry: {}", schema, failure.getMessage());
            });
  }

  private Future<Integer> publishBatch(SqlConnection tx) {
    // Counted first, so that a run that cannot publish (Kafka down, another replica holding the lock)
    // still reports what waits.
    return tx.query(COUNT_UNPUBLISHED).execute()
        .compose(count -> {
          long waiting = count.iterator().next().getLong(0);
          backlog = waiting;
          return tx.preparedQuery("SELECT pg_try_advisory_xact_lock(hashtext($1))").execute(Tuple.of("outbox." + schema))
              .map(lock -> lock.iterator().next().getBoolean(0) ? waiting : -1L);
        })
        .compose(waiting -> {
          if (waiting < 0) {
            return Future.succeededFuture(0);
          }
          return tx.preparedQuery(SELECT_BATCH).execute(Tuple.of(batchSize)).compose(rows -> {
            if (rows.size() == 0) {
              return Future.succeededFuture(0);
            }
            List<Future<?>> sends = new ArrayList<>(rows.size());
            List<Long> ids = new ArrayList<>(rows.size());
            for (Row row : rows) {
              ids.add(row.getLong("id"));
              sends.add(producer.send(record(row)));
            }
            return Future.all(sends)
                .compose(sent -> tx.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids.toArray(new Long[0]))))
                .map(done -> {
                  backlog = Math.max(0, waiting - ids.size());
                  return ids.size();
                });
          });
        });
  }

  private static KafkaProducerRecord<String, String> record(Row row) {
    String eventId = row.getUUID("event_id").toString();
    JsonObject envelope = new JsonObject()
        .put("eventId", eventId)
        .put("type", row.getString("event_type"))
        .put("key", row.getString("event_key"))
        .put("occurredAt", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("data", row.getJsonObject("payload"));
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(row.getString("topic"), row.getString("event_key"), envelope.encode());
    record.addHeader(KafkaHeader.header("event-id", eventId));
    record.addHeader(KafkaHeader.header("event-type", row.getString("event_type")));
    String correlationId = row.getString("correlation_id");
    if (correlationId != null) {
      record.addHeader(KafkaHeader.header("x-correlation-id", correlationId));
    }
    return record;
  }

  private void purge() {
    pool.preparedQuery(PURGE).execute(Tuple.of((double) retention.toSeconds()))
        .onFailure(failure -> LOG.debug("outbox purge for {} skipped: {}", schema, failure.getMessage()));
  }
}
