package dev.vertxshop.notifications;

import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Shared helpers of the notifications tests: events in the relay's envelope, a producer, a pool, waiting. */
final class NotificationFixtures {

  private NotificationFixtures() {
  }

  /** A plain kafka-clients producer, as any other service's outbox relay would be. */
  static KafkaProducer<String, String> producer(Env env) {
    Properties props = new Properties();
    props.put("bootstrap.servers", env.string("KAFKA_BOOTSTRAP_SERVERS", null));
    props.put("acks", "all");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** One event as the outbox relay publishes it. */
  record Event(String topic, String key, String eventId, String type, JsonObject data, Instant occurredAt) {

    String envelope() {
      return new JsonObject().put("eventId", eventId).put("type", type).put("key", key)
          .put("occurredAt", occurredAt.toString()).put("data", data).encode();
    }
  }

  static Event event(String topic, String key, String type, JsonObject data) {
    // Millisecond precision, so that a timestamp read back from PostgreSQL compares equal.
    return new Event(topic, key, UUID.randomUUID().toString(), type, data, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** Publishes {@code event} with the relay's headers and waits for the broker's acknowledgement. */
  static void publish(KafkaProducer<String, String> producer, Event event) throws Exception {
    ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), event.key(), event.envelope());
    record.headers().add("event-id", event.eventId().getBytes(StandardCharsets.UTF_8));
    record.headers().add("event-type", event.type().getBytes(StandardCharsets.UTF_8));
    record.headers().add("x-correlation-id", ("test-" + event.eventId()).getBytes(StandardCharsets.UTF_8));
    producer.send(record).get(30, TimeUnit.SECONDS);
  }

  static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "EUR");
  }

  /** An order as the orders contract describes it (only the fields notifications read, plus status). */
  static JsonObject order(String orderId, String userId, String status, long total, String cancelReason) {
    JsonObject order = new JsonObject().put("id", orderId).put("userId", userId).put("status", status)
        .put("total", money(total)).put("createdAt", Instant.now().toString());
    if (cancelReason != null) {
      order.put("cancelReason", cancelReason);
    }
    return order;
  }

  static JsonObject payment(String orderId, String userId, String status, long amount) {
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("orderId", orderId).put("userId", userId)
        .put("amount", money(amount)).put("status", status);
  }

  /** A pool on the notifications schema, to observe what the service wrote. */
  static Pool pool(Vertx vertx, Env env) {
    return Databases.pool(vertx, DatabaseConfig.from(env), NotificationsService.NAME);
  }

  /** Whether the service's inbox holds {@code eventId}. */
  static boolean inInbox(Pool db, String eventId) throws Exception {
    return await(db.preparedQuery("SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = $2")
        .execute(Tuple.of(NotificationsService.NAME, UUID.fromString(eventId)))).iterator().next().getLong(0) == 1;
  }

  /** Rows of the schema that a request could have written: notifications and inbox entries. */
  static long rowsWritten(Pool db) throws Exception {
    Row row = await(db.query("SELECT (SELECT count(*) FROM notifications) + (SELECT count(*) FROM inbox)").execute())
        .iterator().next();
    return row.getLong(0);
  }

  static long notificationsForEvent(Pool db, String eventId) throws Exception {
    return await(db.preparedQuery("SELECT count(*) FROM notifications WHERE event_id = $1")
        .execute(Tuple.of(UUID.fromString(eventId)))).iterator().next().getLong(0);
  }

  /** The failure of {@code future} as a service failure; a success fails the test. */
  static ServiceException failure(Future<?> future) throws Exception {
    try {
      Object result = await(future);
      throw new AssertionError("expected a failure, got " + result);
    } catch (java.util.concurrent.ExecutionException e) {
      return ServiceException.from(e.getCause());
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
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
