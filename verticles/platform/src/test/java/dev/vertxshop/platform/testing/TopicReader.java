package dev.vertxshop.platform.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic with a plain kafka-clients consumer, the way any other service would see it.
 * Blocking: call it from the test thread or a worker ({@code executeBlocking}), never an event loop.
 */
public final class TopicReader {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private TopicReader() {
  }

  /** One record as a consumer sees it. */
  public record Event(String key, String eventIdHeader, String typeHeader, JsonObject envelope) {

    public String type() {
      return envelope.getString("type");
    }

    public JsonObject data() {
      return envelope.getJsonObject("data");
    }
  }

  /**
   * Every record of {@code topic} keyed {@code key}, in offset order, from the start of the topic up to
   * its end as of this call. Reading to the end offsets makes "not there" a real observation, not a timeout.
   */
  public static List<Event> eventsFor(String bootstrapServers, String topic, String key) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "test-reader");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      List<ConsumerRecord<String, String>> matching = new ArrayList<>();
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end in " + READ_TIMEOUT);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          // Records written after the end offsets were taken are left out: the answer is "as of this call".
          long endOffset = end.get(new TopicPartition(record.topic(), record.partition()));
          if (key.equals(record.key()) && record.offset() < endOffset) {
            matching.add(record);
          }
        }
      }
      return matching.stream()
          .sorted(Comparator.comparingLong(ConsumerRecord::offset))
          .map(r -> new Event(r.key(), header(r, "event-id"), header(r, "event-type"), new JsonObject(r.value())))
          .toList();
    }
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
