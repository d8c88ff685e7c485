package dev.vertxshop.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LocalKafka")
class LocalKafkaTest {

  private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(20);

  @Test
  @DisplayName("round-trips a record through a topic created with the admin client")
  void roundTrip() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(null, 0)) {
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
      try (Admin admin = admin(kafka, Duration.ofSeconds(30))) {
        admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("orders");
      }

      RecordMetadata sent = produce(kafka, "orders", "order-1", "placed");
      assertThat(sent.topic()).isEqualTo("orders");

      List<ConsumerRecord<String, String>> received = consume(kafka, "orders", 1);
      assertThat(received).singleElement().satisfies(r -> {
        assertThat(r.key()).isEqualTo("order-1");
        assertThat(r.value()).isEqualTo("placed");
      });
    }
  }

  @Test
  @DisplayName("creates topics on first use with three partitions")
  void autoCreatesTopics() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(null, 0)) {
      produce(kafka, "auto-created", "k", "v");
      try (Admin admin = admin(kafka, Duration.ofSeconds(30))) {
        int partitions = admin.describeTopics(Set.of("auto-created")).allTopicNames().get(30, TimeUnit.SECONDS)
            .get("auto-created").partitions().size();
        assertThat(partitions).isEqualTo(3);
      }
    }
  }

  @Test
  @DisplayName("is unreachable after stop() and serves records written before it after restart()")
  void stopAndRestart() throws Exception {
    try (LocalKafka kafka = LocalKafka.start(null, 0)) {
      int port = kafka.port();
      produce(kafka, "payments", "payment-1", "authorized");

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      try (Admin admin = admin(kafka, Duration.ofSeconds(2))) {
        assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class);
      }

      kafka.restart();
      assertThat(kafka.isRunning()).isTrue();
      assertThat(kafka.port()).isEqualTo(port);
      assertThat(consume(kafka, "payments", 1)).singleElement()
          .satisfies(r -> assertThat(r.value()).isEqualTo("authorized"));
    }
  }

  @Test
  @DisplayName("deletes a temporary log directory on close and tolerates a second close")
  void closeDeletesTemporaryDirectory() {
    LocalKafka kafka = LocalKafka.start(null, 0);
    Path logDir = kafka.logDirectory();
    assertThat(logDir.resolve("meta.properties")).exists();

    kafka.close();
    kafka.close();

    assertThat(logDir).doesNotExist();
    assertThatThrownBy(kafka::restart).isInstanceOf(IllegalStateException.class);
  }

  private static Admin admin(LocalKafka kafka, Duration apiTimeout) {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) apiTimeout.toMillis(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(apiTimeout.toMillis(), 10_000)));
  }

  private static RecordMetadata produce(LocalKafka kafka, String topic, String key, String value) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static List<ConsumerRecord<String, String>> consume(LocalKafka kafka, String topic, int expected) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
