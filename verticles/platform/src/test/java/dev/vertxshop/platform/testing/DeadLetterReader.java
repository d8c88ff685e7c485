package dev.vertxshop.platform.testing;

import dev.vertxshop.platform.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the dead-letter topic ({@link DeadLetters#TOPIC}) with a plain kafka-clients consumer, from its
 * beginning to its end as of the call, keeping the copies of one source topic. Blocking: test thread only.
 */
public final class DeadLetterReader {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private DeadLetterReader() {
  }

  /** One dead letter: the original key, value bytes and headers (the dead-letter ones included). */
  public record Letter(String key, byte[] value, Map<String, String> headers) {

    public String reason() {
      return headers.get(DeadLetters.REASON);
    }

    public String sourceTopic() {
      return headers.get(DeadLetters.SOURCE_TOPIC);
    }

    public int sourcePartition() {
      return Integer.parseInt(headers.get(DeadLetters.SOURCE_PARTITION));
    }

    public long sourceOffset() {
      return Long.parseLong(headers.get(DeadLetters.SOURCE_OFFSET));
    }

    public String group() {
      return headers.get(DeadLetters.GROUP);
    }

    public int attempts() {
      return Integer.parseInt(headers.get(DeadLetters.ATTEMPTS));
    }

    public String valueText() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
  }

  /** Every copy on the dead-letter topic whose source topic is {@code sourceTopic}, in the topic's order per partition. */
  public static List<Letter> lettersFrom(String bootstrapServers, String sourceTopic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "test-dead-letter-reader");
    List<Letter> letters = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(DeadLetters.TOPIC, READ_TIMEOUT).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + DeadLetters.TOPIC + " to its end in " + READ_TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
            continue;
          }
          Map<String, String> headers = new LinkedHashMap<>();
          for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
          }
          if (sourceTopic.equals(headers.get(DeadLetters.SOURCE_TOPIC))) {
            letters.add(new Letter(record.key(), record.value(), headers));
          }
        }
      }
    }
    return letters;
  }
}
