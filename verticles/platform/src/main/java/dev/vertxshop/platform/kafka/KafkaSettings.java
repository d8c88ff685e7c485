package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import java.util.HashMap;
import java.util.Map;

/** Producer, consumer and admin settings that every service uses. */
public final class KafkaSettings {

  private KafkaSettings() {
  }

  /** An idempotent producer that waits for every in-sync replica. */
  public static Map<String, String> producer(KafkaConfig config, String clientId) {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", config.bootstrapServers());
    map.put("client.id", clientId);
    map.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    map.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    map.put("acks", "all");
    map.put("enable.idempotence", "true");
    map.put("linger.ms", "2");
    // A broker outage must fail a relay batch within seconds (the outbox keeps the events), not hang.
    map.put("max.block.ms", "5000");
    map.put("request.timeout.ms", "5000");
    map.put("delivery.timeout.ms", "10000");
    return map;
  }

  /**
   * A consumer that commits offsets only after the application processed the records, and leaves the
   * group when it has not polled for {@code SHOP_KAFKA_CONSUMER_MAX_POLL_INTERVAL}.
   */
  public static Map<String, String> consumer(KafkaConfig config, String groupId, String clientId) {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", config.bootstrapServers());
    map.put("group.id", groupId);
    map.put("client.id", clientId);
    map.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("enable.auto.commit", "false");
    map.put("auto.offset.reset", "earliest");
    map.put("isolation.level", "read_committed");
    map.put("max.poll.interval.ms", String.valueOf(config.consumer().maxPollInterval().toMillis()));
    return map;
  }

  public static Map<String, String> admin(KafkaConfig config, String clientId) {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", config.bootstrapServers());
    map.put("client.id", clientId);
    map.put("request.timeout.ms", "3000");
    map.put("default.api.timeout.ms", "3000");
    return map;
  }
}
