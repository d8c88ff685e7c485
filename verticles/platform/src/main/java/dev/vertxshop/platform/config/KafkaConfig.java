package dev.vertxshop.platform.config;

import java.time.Duration;

/** Where the Kafka brokers are, how topics are created, and how consumers retry a record they fail on. */
public record KafkaConfig(String bootstrapServers, int topicPartitions, short replicationFactor, ConsumerRetries consumer) {

  /**
   * How a consumer treats a record its handler fails on (see the platform's {@code EventConsumerVerticle}).
   *
   * @param maxAttempts     attempts at a record failing with a non-transient error before it is dead-lettered
   * @param retryBackoff    the wait after the first failed attempt, doubled after each further one
   * @param maxBackoff      the longest wait between two attempts (transient failures are retried without
   *                        limit, every {@code maxBackoff} once the doubling reached it)
   * @param maxPollInterval Kafka's {@code max.poll.interval.ms}: how long a member may go without polling
   *                        before the group drops it. The consumer polls every 200 ms even while it retries
   *                        a record, so only a stuck event loop comes near it
   */
  public record ConsumerRetries(int maxAttempts, Duration retryBackoff, Duration maxBackoff, Duration maxPollInterval) {

    public static final ConsumerRetries DEFAULTS = new ConsumerRetries(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  /** Brokers and topic settings, with the default consumer retries. */
  public KafkaConfig(String bootstrapServers, int topicPartitions, short replicationFactor) {
    this(bootstrapServers, topicPartitions, replicationFactor, ConsumerRetries.DEFAULTS);
  }

  public static KafkaConfig from(Env env) {
    ConsumerRetries defaults = ConsumerRetries.DEFAULTS;
    Duration backoff = env.duration("KAFKA_CONSUMER_RETRY_BACKOFF", defaults.retryBackoff(), Duration.ofMillis(10),
        Duration.ofMinutes(1));
    Duration maxBackoff = env.duration("KAFKA_CONSUMER_MAX_BACKOFF", defaults.maxBackoff(), Duration.ofMillis(10),
        Duration.ofMinutes(10));
    if (maxBackoff.compareTo(backoff) < 0) {
      throw new ConfigException(Env.var("KAFKA_CONSUMER_MAX_BACKOFF"), "is below " + Env.var("KAFKA_CONSUMER_RETRY_BACKOFF"));
    }
    return new KafkaConfig(
        env.string("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        env.integer("KAFKA_TOPIC_PARTITIONS", 3, 1, 1000),
        (short) env.integer("KAFKA_REPLICATION_FACTOR", 1, 1, 7),
        new ConsumerRetries(
            env.integer("KAFKA_CONSUMER_MAX_ATTEMPTS", defaults.maxAttempts(), 1, 100),
            backoff,
            maxBackoff,
            env.duration("KAFKA_CONSUMER_MAX_POLL_INTERVAL", defaults.maxPollInterval(), Duration.ofSeconds(1),
                Duration.ofMinutes(30))));
  }
}
