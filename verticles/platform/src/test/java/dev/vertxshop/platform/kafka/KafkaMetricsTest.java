package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.SharedInfra;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The two Kafka-side gauges against a real broker and database: they show what waits, and go back to
 * zero once it has been dealt with.
 */
@DisplayName("Kafka metrics: outbox backlog and consumer lag follow what waits")
class KafkaMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Env env;
  private static ShopNode node;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    env = ShopTestEnv.shared(Map.of());
    // The probe service's schema has the platform's outbox table.
    node = await(ShopNode.start(env, List.of(new ProbeService()), false));
    pool = Databases.pool(node.vertx(), DatabaseConfig.from(env), "probe");
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
  @DisplayName("shop_outbox_backlog: 3 while the relay cannot publish, absent once it is undeployed, 0 after a working relay ran")
  void outboxBacklog() throws Exception {
    String topic = "test.backlog." + UUID.randomUUID();
    KafkaConfig kafka = KafkaConfig.from(env);
    await(Topics.ensure(node.vertx(), kafka, List.of(new NewTopic(topic, 1, (short) 1))));
    await(pool.withTransaction(tx -> Future.all(
        Outbox.append(tx, topic, "a", "ProbeHappened", new JsonObject().put("n", 1)),
        Outbox.append(tx, topic, "b", "ProbeHappened", new JsonObject().put("n", 2)),
        Outbox.append(tx, topic, "c", "ProbeHappened", new JsonObject().put("n", 3)))));

    // A relay whose broker does not exist: every run fails, and every run counts what waits.
    KafkaConfig nowhere = KafkaConfig.from(env.with(Map.of("SHOP_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + freePort())));
    String stuck = await(node.vertx().deployVerticle(relay(nowhere)));
    eventually(() -> backlog() == 3.0, "backlog 3 while nothing can be published (now " + backlog() + ")");
    assertThat(node.meterRegistry().scrape()).contains("shop_outbox_backlog{service=\"probe\"} 3.0");
    await(node.vertx().undeploy(stuck));
    assertThat(node.meterRegistry().find("shop.outbox.backlog").gauges()).as("the gauge leaves with its relay").isEmpty();

    String working = await(node.vertx().deployVerticle(relay(kafka)));
    try {
      eventually(() -> backlog() == 0.0, "backlog 0 once published (now " + backlog() + ")");
      long unpublished = await(pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute())
          .iterator().next().getLong(0);
      assertThat(unpublished).isZero();
    } finally {
      await(node.vertx().undeploy(working));
    }
  }

  @Test
  @DisplayName("shop_kafka_consumer_lag: 5 while the consumer is held on an event, 0 once it goes on")
  void consumerLag() throws Exception {
    String topic = "test.lag." + UUID.randomUUID();
    String group = "lag-" + UUID.randomUUID();
    KafkaConfig kafka = KafkaConfig.from(env);
    await(Topics.ensure(node.vertx(), kafka, List.of(new NewTopic(topic, 1, (short) 1))));
    AtomicReference<Runnable> release = new AtomicReference<>();
    AtomicInteger handled = new AtomicInteger();
    EventConsumerVerticle consumer = new EventConsumerVerticle(kafka, group, List.of(topic), event -> {
      handled.incrementAndGet();
      if (event.data().getInteger("n") != 0) {
        return Future.succeededFuture();
      }
      // The first event holds the consumer, as a slow database would: nothing more is fetched meanwhile.
      Promise<Void> held = Promise.promise();
      Context context = Vertx.currentContext();
      release.set(() -> context.runOnContext(v -> held.complete()));
      return held.future();
    }, Duration.ofMillis(100));
    String deployment = await(node.vertx().deployVerticle(consumer));
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, "k", envelope(0))).get();
      eventually(() -> release.get() != null, "the first event reaches the handler");
      for (int n = 1; n <= 5; n++) {
        producer.send(new ProducerRecord<>(topic, "k", envelope(n))).get();
      }
      eventually(() -> lag(group) == 5.0, "lag 5 while held (now " + lag(group) + ")");
      assertThat(node.meterRegistry().scrape()).contains("shop_kafka_consumer_lag{group=\"" + group + "\"");
      assertThat(handled.get()).isEqualTo(1);

      release.get().run();
      eventually(() -> handled.get() == 6 && lag(group) == 0.0, "all handled and lag 0 (now " + lag(group) + ")");
    } finally {
      await(node.vertx().undeploy(deployment));
    }
    assertThat(node.meterRegistry().find("shop.kafka.consumer.lag").tag("group", group).gauges())
        .as("the gauge leaves with its consumer").isEmpty();
  }

  private static OutboxRelayVerticle relay(KafkaConfig kafka) {
    return new OutboxRelayVerticle("probe", pool, kafka, new OutboxSettings(Duration.ofMillis(200), 100, Duration.ofMinutes(60)));
  }

  private static double backlog() {
    Gauge gauge = node.meterRegistry().find("shop.outbox.backlog").tag("service", "probe").gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  /** The group's lag: the sum over its members in this node. */
  private static double lag(String group) {
    List<Gauge> members = List.copyOf(node.meterRegistry().find("shop.kafka.consumer.lag").tag("group", group).gauges());
    if (members.isEmpty()) {
      return Double.NaN;
    }
    return members.stream().mapToDouble(Gauge::value).sum();
  }

  private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  private static String envelope(int n) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "ProbeHappened").put("key", "k")
        .put("occurredAt", "2026-01-01T00:00:00Z").put("data", new JsonObject().put("n", n)).encode();
  }

  private static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
