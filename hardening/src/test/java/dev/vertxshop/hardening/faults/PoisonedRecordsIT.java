package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.CatalogReplicaKillIT.assertCommon;
import static dev.vertxshop.hardening.faults.ShopApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.hardening.faults.OrderAudit.Order;
import dev.vertxshop.platform.kafka.DeadLetters;
import dev.vertxshop.platform.testing.DeadLetterReader;
import dev.vertxshop.platform.testing.DeadLetterReader.Letter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7: poisoned records written with a plain kafka-clients producer to every partition of every
 * domain topic while the shop runs under load, then the load goes on. Kinds: not JSON, bytes that are
 * not UTF-8, an envelope whose {@code data} is an array, and a valid envelope whose handler can never
 * apply it (an {@code OrderConfirmed} without lines, a {@code PaymentCaptured} without an amount...).
 *
 * <p>The consumers of this cluster are cart (group {@code cart}: order events) and notifications (group
 * {@code notifications}: order and payment events); nothing consumes the product and user topics here
 * (search is not started; its own consumer is covered by {@code SearchDeadLettersTest} in the search
 * module), so on those the poison must simply harm nothing. Every poisoned record a group reads must be
 * on {@code shop.dead-letters} with its reason, except where the handler records an unusable event as
 * handled (notifications, by design); every OrderConfirmed published after a poisoned record on its
 * partition must have produced its notification and cleared its cart; the groups' lag must go back to 0.
 */
@DisplayName("Fault 7: a poisoned record on every partition of every topic, under load")
class PoisonedRecordsIT {

  private static final Duration LOAD = Duration.ofSeconds(30);
  private static final long POISON_AT_MS = 5_000;
  private static final double READS_PER_SECOND = 10;
  private static final double CHECKOUTS_PER_SECOND = 3;
  /** From the end of the load until both groups have committed every record: a few polls, plus slack for two busy cores. */
  static final Duration LAG_BOUND = Duration.ofSeconds(30);

  private static final List<String> TOPICS = List.of(OrdersContract.EVENTS_TOPIC, PaymentsContract.EVENTS_TOPIC,
      CatalogContract.PRODUCTS_TOPIC, UsersContract.EVENTS_TOPIC);
  /** The consumer groups of the cluster and what they read. */
  private static final Map<String, List<String>> GROUPS = Map.of(
      "cart", List.of(OrdersContract.EVENTS_TOPIC),
      "notifications", List.of(OrdersContract.EVENTS_TOPIC, PaymentsContract.EVENTS_TOPIC));

  /** One poisoned record: where it landed, its kind, and the dead-letter reason each group must give it (absent: none). */
  record Poison(String topic, int partition, long offset, String kind, Map<String, String> reasonByGroup) {
  }

  @AfterAll
  static void finished() {
    FaultCluster.scenarioFinished(PoisonedRecordsIT.class);
  }

  @Test
  @DisplayName("every poisoned record is dead-lettered with its reason, 0 events lost after one, lag back to 0, invariants hold")
  void poisonedRecords() throws Exception {
    try (Scenario scenario = Scenario.prepare("poison", (int) (CHECKOUTS_PER_SECOND * LOAD.toSeconds()))) {
      Timeline timeline = scenario.timeline;
      String bootstrap = scenario.cluster.kafka().bootstrapServers();
      double deadLettersBefore = deadLettersCounted(scenario.cluster);
      LoadGenerator load = scenario.load(READS_PER_SECOND, CHECKOUTS_PER_SECOND, LOAD);
      long loadStart = timeline.mark("load starts");
      load.start(LOAD);
      timeline.sleepUntil(loadStart + POISON_AT_MS);
      timeline.mark("writing poisoned records");
      List<Poison> poisons = poison(bootstrap);
      long poisoned = timeline.mark(poisons.size() + " poisoned records written");
      LoadResult result = load.awaitResult(LOAD.plusSeconds(30));
      long loadEnded = timeline.mark("load ended");
      Aftermath after = scenario.aftermath(Duration.ofSeconds(60), Duration.ofSeconds(30));

      long lagZero = awaitNoLag(bootstrap, loadEnded, timeline);
      long lagZeroAfterLoad = lagZero < 0 ? -1 : lagZero - loadEnded;

      // The OrderConfirmed events published after a poisoned record on the same partition, and whether each was applied.
      List<Order> confirmed = after.orders().stream().filter(o -> "CONFIRMED".equals(o.status())).toList();
      Map<String, Long> firstPoison = new HashMap<>();
      poisons.stream().filter(p -> p.topic().equals(OrdersContract.EVENTS_TOPIC))
          .forEach(p -> firstPoison.merge(OrdersContract.EVENTS_TOPIC + "/" + p.partition(), p.offset(), Math::min));
      Map<String, String> confirmedAt = confirmedEventPositions(bootstrap, confirmed);
      List<Order> afterPoison = confirmed.stream().filter(o -> {
        String at = confirmedAt.get(o.id());
        if (at == null) {
          return false;
        }
        String[] parts = at.split("@");
        return Long.parseLong(parts[1]) > firstPoison.getOrDefault(parts[0], Long.MAX_VALUE);
      }).toList();
      List<String> cartsNotCleared = awaitCartsCleared(scenario, afterPoison, Duration.ofSeconds(30));

      // Dead letters: every poisoned record a group reads, with the reason due.
      Map<String, List<Letter>> letters = new HashMap<>();
      for (String topic : TOPICS) {
        letters.put(topic, DeadLetterReader.lettersFrom(bootstrap, topic));
      }
      List<String> missing = new ArrayList<>();
      Map<String, Integer> deadLetteredPerTopic = new TreeMap<>();
      Map<String, Integer> reasons = new TreeMap<>();
      int expectedCopies = 0;
      for (Poison poison : poisons) {
        for (Map.Entry<String, String> due : poison.reasonByGroup().entrySet()) {
          expectedCopies++;
          boolean found = letters.get(poison.topic()).stream().anyMatch(l -> due.getKey().equals(l.group())
              && l.sourcePartition() == poison.partition() && l.sourceOffset() == poison.offset()
              && due.getValue().equals(l.reason()) && l.headers().get(DeadLetters.DETAIL) != null);
          if (!found) {
            missing.add(due.getKey() + " " + poison.kind() + " at " + poison.topic() + "/" + poison.partition() + "@" + poison.offset());
          }
        }
      }
      Set<String> poisonedAt = new HashSet<>();
      poisons.forEach(p -> poisonedAt.add(p.topic() + "/" + p.partition() + "@" + p.offset()));
      for (Map.Entry<String, List<Letter>> topic : letters.entrySet()) {
        for (Letter letter : topic.getValue()) {
          if (poisonedAt.contains(letter.sourceTopic() + "/" + letter.sourcePartition() + "@" + letter.sourceOffset())) {
            deadLetteredPerTopic.merge(topic.getKey() + " (" + letter.group() + ")", 1, Integer::sum);
            reasons.merge(letter.reason(), 1, Integer::sum);
          }
        }
      }
      long goodLettered = letters.values().stream().flatMap(List::stream)
          .filter(l -> !poisonedAt.contains(l.sourceTopic() + "/" + l.sourcePartition() + "@" + l.sourceOffset()))
          .filter(l -> l.headers().containsKey("event-id")).count();
      double countedNow = deadLettersCounted(scenario.cluster);

      Map<String, Long> poisonedPerTopic = new TreeMap<>();
      poisons.forEach(p -> poisonedPerTopic.merge(p.topic(), 1L, Long::sum));
      ScenarioReport report = new ScenarioReport("7-poisoned-records", "Fault 7: a poisoned record on every partition of every topic")
          .row("load", READS_PER_SECOND + " product reads/s + " + CHECKOUTS_PER_SECOND + " checkouts/s for " + LOAD.toSeconds()
              + " s; poison written " + (poisoned - loadStart) + " ms into it")
          .row("records poisoned", poisons.size() + " " + poisonedPerTopic
              + " (kinds: not JSON, not UTF-8, data an array, an envelope its handler cannot apply)")
          .row("dead letters of the poisoned records, per topic (group)", deadLetteredPerTopic)
          .row("dead letters by reason", reasons)
          .row("dead letters expected / missing", expectedCopies + " / " + missing.size() + (missing.isEmpty() ? "" : " " + missing))
          .row("dead letters counted by the consumers (shop_kafka_dead_letters_total, cart + notifications)",
              (long) (countedNow - deadLettersBefore))
          .row("relay-published events dead-lettered (good events lost to the dead-letter topic)", goodLettered)
          .row("OrderConfirmed published after a poisoned record on its partition", afterPoison.size() + " of " + confirmed.size()
              + " confirmed")
          .row("... of which without their cart cleared", cartsNotCleared.size() + (cartsNotCleared.isEmpty() ? "" : " " + cartsNotCleared))
          .row("consumer lag (cart, notifications) back to 0", lagZeroAfterLoad < 0 ? "NOT within " + LAG_BOUND.toSeconds() + " s"
              : lagZeroAfterLoad + " ms after the load ended (bound " + LAG_BOUND.toMillis() + " ms)")
          .row("requests sent", result.sent() + " (reads " + result.of("read").size() + ", cart " + result.of("cart").size()
              + ", checkouts " + result.of("checkout").size() + "; skipped " + result.skipped() + ")")
          .row("requests failed", result.failed() + " by status " + result.failuresByStatus())
          .row("checkout latency p50 / p99 (successes)", result.percentile("checkout", 50) + " / " + result.percentile("checkout", 99) + " ms");
      after.addTo(report);
      report.publish(scenario.cluster.workDir());

      assertThat(result.failed()).as("no request fails because of poisoned records").isZero();
      assertThat(missing).as("every poisoned record a group reads is on " + DeadLetters.TOPIC + " with its reason").isEmpty();
      assertThat(goodLettered).as("no event published by a service was dead-lettered").isZero();
      assertThat(afterPoison).as("checkouts confirmed after the poison (else the scenario proves nothing)").isNotEmpty();
      assertThat(cartsNotCleared).as("every OrderConfirmed after a poisoned record cleared its cart").isEmpty();
      assertThat(lagZeroAfterLoad).as("both groups committed every record within " + LAG_BOUND.toSeconds() + " s of the load's end")
          .isBetween(0L, LAG_BOUND.toMillis());
      // One notification per confirmed order (events lost = 0 after the poison), the invariant checker, and the rest.
      assertCommon(after);
    }
  }

  /** Writes every kind of poison to every partition of every domain topic; returns where each landed. */
  private static List<Poison> poison(String bootstrap) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Poison> poisons = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (String topic : TOPICS) {
        for (PartitionInfo partition : producer.partitionsFor(topic)) {
          for (String kind : List.of("not-json", "not-utf8", "data-array", "unusable")) {
            byte[] value = switch (kind) {
              case "not-json" -> "{\"eventId\": oops".getBytes(StandardCharsets.UTF_8);
              case "not-utf8" -> new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'};
              case "data-array" -> envelope(topic, new JsonArray().add(1).add("two")).getBytes(StandardCharsets.UTF_8);
              default -> envelope(topic, unusableData(topic)).getBytes(StandardCharsets.UTF_8);
            };
            // A key on every record: the product topic is compacted and refuses keyless ones.
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition.partition(), "poison-" + UUID.randomUUID(), value);
            RecordMetadata sent = producer.send(record).get(30, TimeUnit.SECONDS);
            poisons.add(new Poison(topic, sent.partition(), sent.offset(), kind, dueReasons(topic, kind)));
          }
        }
      }
    }
    return poisons;
  }

  /** A relay-shaped envelope of the topic's main event type around {@code data}. */
  private static String envelope(String topic, Object data) {
    String type = switch (topic) {
      case OrdersContract.EVENTS_TOPIC -> OrdersContract.ORDER_CONFIRMED;
      case PaymentsContract.EVENTS_TOPIC -> PaymentsContract.PAYMENT_CAPTURED;
      case CatalogContract.PRODUCTS_TOPIC -> CatalogContract.PRODUCT_UPSERTED;
      default -> UsersContract.USER_REGISTERED;
    };
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", type).put("key", "poison")
        .put("occurredAt", Instant.now().toString()).put("data", data).encode();
  }

  /** Data of the right shape (an object) that no handler can apply: ids that are no ids, lines that are no list. */
  private static JsonObject unusableData(String topic) {
    return new JsonObject().put("id", "not-an-order").put("orderId", "not-an-order").put("userId", "nobody")
        .put("lines", "none").put("amount", new JsonObject().put("amount", "lots"));
  }

  /**
   * The reason each group of this cluster must dead-letter a poisoned record with. Envelope-level poison:
   * every group that reads the topic. A valid envelope whose content is unusable: the cart refuses it
   * (rejected); notifications records such an event as handled without a notification, by design.
   */
  private static Map<String, String> dueReasons(String topic, String kind) {
    String reason = switch (kind) {
      case "not-json" -> DeadLetters.NOT_JSON;
      case "not-utf8" -> DeadLetters.NOT_UTF8;
      case "data-array" -> DeadLetters.BAD_ENVELOPE;
      default -> DeadLetters.REJECTED;
    };
    Map<String, String> due = new HashMap<>();
    GROUPS.forEach((group, topics) -> {
      if (topics.contains(topic) && !(reason.equals(DeadLetters.REJECTED) && group.equals("notifications"))) {
        due.put(group, reason);
      }
    });
    return due;
  }

  /** Where each confirmed order's OrderConfirmed landed on the orders topic, as {@code topic/partition@offset}. */
  private static Map<String, String> confirmedEventPositions(String bootstrap, List<Order> confirmed) {
    Set<String> ids = new HashSet<>();
    confirmed.forEach(o -> ids.add(o.id()));
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, String> positions = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(OrdersContract.EVENTS_TOPIC, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + OrdersContract.EVENTS_TOPIC + " to its end in 30 s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null && ids.contains(record.key()) && record.value() != null) {
            JsonObject envelope = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
            if (OrdersContract.ORDER_CONFIRMED.equals(envelope.getString("type"))) {
              positions.putIfAbsent(record.key(), record.topic() + "/" + record.partition() + "@" + record.offset());
            }
          }
        }
      }
    }
    return positions;
  }

  /**
   * Waits until the cart and notifications groups have committed up to the end of every partition they
   * read; returns when (timeline ms), or -1 after {@link #LAG_BOUND}.
   */
  private static long awaitNoLag(String bootstrap, long from, Timeline timeline) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      long deadline = System.nanoTime() + LAG_BOUND.toNanos();
      while (System.nanoTime() < deadline) {
        if (lag(admin) == 0) {
          return timeline.now();
        }
        ShopProcess.pause(250);
      }
      return -1;
    }
  }

  private static long lag(Admin admin) throws Exception {
    long lag = 0;
    for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.getKey())
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : group.getValue()) {
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      }
      for (Map.Entry<TopicPartition, org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo> end
          : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        lag += Math.max(0, end.getValue().offset() - (at == null ? 0 : at.offset()));
      }
    }
    return lag;
  }

  /** Polls until the shoppers of {@code orders} have empty carts (each put one unit in and checked out once); returns the others. */
  private static List<String> awaitCartsCleared(Scenario scenario, List<Order> orders, Duration timeout) {
    if (orders.isEmpty()) {
      return List.of();
    }
    UUID[] users = orders.stream().map(o -> UUID.fromString(o.userId())).toArray(UUID[]::new);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> full;
    do {
      full = new ArrayList<>();
      for (Row row : await(scenario.cluster.shopDb().preparedQuery(
          "SELECT DISTINCT user_id FROM cart.cart_lines WHERE user_id = ANY($1)").execute(Tuple.of((Object) users)))) {
        full.add(row.getUUID(0).toString());
      }
      if (full.isEmpty()) {
        return full;
      }
      ShopProcess.pause(300);
    } while (System.nanoTime() < deadline);
    return full;
  }

  /** The dead letters the cart and notifications processes counted since they started. */
  private static double deadLettersCounted(FaultCluster cluster) {
    double total = 0;
    for (String name : List.of("cart", "notifications")) {
      for (String line : cluster.process(name).metrics().split("\n")) {
        if (line.startsWith("shop_kafka_dead_letters_total{")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }
}
