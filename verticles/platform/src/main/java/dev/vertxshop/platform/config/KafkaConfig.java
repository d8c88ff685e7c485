package dev.vertxshop.platform.config;

/** Where the Kafka brokers are. */
public record KafkaConfig(String bootstrapServers, int topicPartitions, short replicationFactor) {

  public static KafkaConfig from(Env env) {
    return new KafkaConfig(
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.integer("KAFKA_TOPIC_PARTITIONS", 3, 1, 1000),
        (short) env.integer("KAFKA_REPLICATION_FACTOR", 1, 1, 7));
  }
}
