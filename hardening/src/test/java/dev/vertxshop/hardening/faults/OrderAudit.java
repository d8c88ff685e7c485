package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.ShopApi.await;

import dev.vertxshop.contracts.orders.OrdersContract;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the scenarios check beyond the saga invariants: the orders of a window, whether any is
 * half-written, whether each decided order's outcome event reached Kafka (events lost), and whether
 * consumers applied each of those events exactly once (notifications).
 */
final class OrderAudit {

  /** An order of the audited window, as the orders table has it. */
  record Order(String id, String userId, String status, String cancelReason, int resumes) {
  }

  /** Every order placed since {@code $1}. */
  private static final String ORDERS_SINCE =
      "SELECT o.id, o.user_id, o.status, o.cancel_reason, coalesce(s.resumes, 0) AS resumes FROM orders.orders o "
          + "LEFT JOIN orders.sagas s ON s.order_id = o.id WHERE o.created_at >= $1 ORDER BY o.created_at";

  /**
   * Orders placed since {@code $1} that are not whole: each row is an order id and what is missing or
   * contradictory. The checkout writes key, order, lines, saga and OrderPlaced in one transaction, and the
   * outcome with its event in another: any of these rows means a transaction was cut in half.
   */
  private static final String HALF_WRITTEN = """
      SELECT o.id, 'no order lines' AS problem FROM orders.orders o
        WHERE o.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM orders.order_lines l WHERE l.order_id = o.id)
      UNION ALL
      SELECT o.id, 'no saga' FROM orders.orders o
        WHERE o.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM orders.sagas s WHERE s.order_id = o.id)
      UNION ALL
      SELECT o.id, 'no idempotency key' FROM orders.orders o
        WHERE o.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM orders.idempotency_keys k WHERE k.order_id = o.id)
      UNION ALL
      SELECT o.id, 'no OrderPlaced event in the outbox' FROM orders.orders o
        WHERE o.created_at >= $1
          AND NOT EXISTS (SELECT 1 FROM orders.outbox e WHERE e.event_key = o.id::text AND e.event_type = 'OrderPlaced')
      UNION ALL
      SELECT o.id, 'order ' || o.status || ' but saga ' || s.state FROM orders.orders o JOIN orders.sagas s ON s.order_id = o.id
        WHERE o.created_at >= $1 AND s.state IN ('CONFIRMED', 'CANCELLED') AND s.state <> o.status
      UNION ALL
      SELECT o.id, 'order ' || o.status || ' without its outcome event in the outbox' FROM orders.orders o
        WHERE o.created_at >= $1 AND o.status <> 'PENDING'
          AND NOT EXISTS (SELECT 1 FROM orders.outbox e WHERE e.event_key = o.id::text
                          AND e.event_type = CASE o.status WHEN 'CONFIRMED' THEN 'OrderConfirmed' ELSE 'OrderCancelled' END)
      UNION ALL
      SELECT o.id, 'order ' || o.status || ' with ' || count(*) || ' outcome events in the outbox' FROM orders.orders o
        JOIN orders.outbox e ON e.event_key = o.id::text AND e.event_type IN ('OrderConfirmed', 'OrderCancelled')
        WHERE o.created_at >= $1 GROUP BY o.id, o.status HAVING count(*) > 1
      """;

  /** Outbox rows not yet relayed to Kafka, per service schema that publishes. */
  private static final String UNPUBLISHED = """
      SELECT 'orders' AS schema, count(*) AS rows FROM orders.outbox WHERE published_at IS NULL
      UNION ALL SELECT 'payments', count(*) FROM payments.outbox WHERE published_at IS NULL
      UNION ALL SELECT 'catalog', count(*) FROM catalog.outbox WHERE published_at IS NULL
      UNION ALL SELECT 'users', count(*) FROM users.outbox WHERE published_at IS NULL
      """;

  /** "Order confirmed" notifications per order among {@code $1}. */
  private static final String CONFIRMED_NOTIFICATIONS =
      "SELECT order_id, count(*) AS notes FROM notifications.notifications WHERE type = 'OrderConfirmed' "
          + "AND order_id = ANY($1::uuid[]) GROUP BY order_id";

  private final Pool db;
  private final String bootstrapServers;

  OrderAudit(Pool db, String bootstrapServers) {
    this.db = db;
    this.bootstrapServers = bootstrapServers;
  }

  List<Order> orders(Instant since) {
    List<Order> orders = new ArrayList<>();
    for (Row row : await(db.preparedQuery(ORDERS_SINCE).execute(Tuple.of(utc(since))))) {
      orders.add(new Order(row.getUUID("id").toString(), row.getUUID("user_id").toString(), row.getString("status"),
          row.getString("cancel_reason"), row.getInteger("resumes")));
    }
    return orders;
  }

  /** Every way an order of the window is half-written; empty when all are whole. */
  List<String> halfWritten(Instant since) {
    List<String> problems = new ArrayList<>();
    for (Row row : await(db.preparedQuery(HALF_WRITTEN).execute(Tuple.of(utc(since))))) {
      problems.add(row.getUUID("id") + ": " + row.getString("problem"));
    }
    return problems;
  }

  /** Outbox rows still waiting for Kafka, by schema (only schemas with some). */
  Map<String, Long> unpublished() {
    Map<String, Long> waiting = new LinkedHashMap<>();
    for (Row row : await(db.query(UNPUBLISHED).execute())) {
      if (row.getLong("rows") > 0) {
        waiting.put(row.getString("schema"), row.getLong("rows"));
      }
    }
    return waiting;
  }

  /** Polls until no outbox row waits for Kafka; returns how long that took, or -1 after {@code timeout}. */
  long awaitOutboxDrained(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (unpublished().isEmpty()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      ShopProcess.pause(200);
    }
    return -1;
  }

  /** "Order confirmed" notifications per order id, for {@code orderIds}. */
  Map<String, Long> confirmedNotifications(Collection<String> orderIds) {
    Map<String, Long> notes = new HashMap<>();
    UUID[] ids = orderIds.stream().map(UUID::fromString).toArray(UUID[]::new);
    for (Row row : await(db.preparedQuery(CONFIRMED_NOTIFICATIONS).execute(Tuple.of(ids)))) {
      notes.put(row.getUUID("order_id").toString(), row.getLong("notes"));
    }
    return notes;
  }

  /**
   * Reads {@code shop.orders.events} from the beginning to its end and returns, per order among
   * {@code orderIds}, the distinct event ids seen for each event type (a republished event has the same id).
   */
  Map<String, Map<String, Set<String>>> orderEvents(Set<String> orderIds) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    Map<String, Map<String, Set<String>>> events = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(OrdersContract.EVENTS_TOPIC, Duration.ofSeconds(10))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + OrdersContract.EVENTS_TOPIC + " to its end in 30 s");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() == null || !orderIds.contains(record.key()) || record.value() == null) {
            continue;
          }
          JsonObject envelope = new JsonObject(record.value());
          events.computeIfAbsent(record.key(), k -> new HashMap<>())
              .computeIfAbsent(envelope.getString("type"), k -> new HashSet<>())
              .add(envelope.getString("eventId"));
        }
      }
    }
    return events;
  }

  private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (consumer.position(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The outcome event type an order in {@code status} must have published. */
  static String outcomeEvent(String status) {
    return "CONFIRMED".equals(status) ? "OrderConfirmed" : "OrderCancelled";
  }

  /**
   * Decided orders whose outcome event is not on the topic (events lost), polling until there are none or
   * {@code timeout} passed; returns the ids still missing.
   */
  List<String> awaitOutcomeEvents(List<Order> orders, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> missing;
    do {
      Set<String> ids = new HashSet<>();
      orders.forEach(o -> ids.add(o.id()));
      Map<String, Map<String, Set<String>>> events = orderEvents(ids);
      missing = new ArrayList<>();
      for (Order order : orders) {
        if (!"PENDING".equals(order.status())
            && events.getOrDefault(order.id(), Map.of()).getOrDefault(outcomeEvent(order.status()), Set.of()).isEmpty()) {
          missing.add(order.id());
        }
      }
      if (missing.isEmpty()) {
        return missing;
      }
      ShopProcess.pause(500);
    } while (System.nanoTime() < deadline);
    return missing;
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
