package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a service publishes to, with their settings, if they do not exist yet. */
public final class Topics {

  private Topics() {
  }

  /** A topic keeping only the latest record per key: the whole current state, replayable. */
  public static NewTopic compacted(String name, KafkaConfig config) {
    return new NewTopic(name, config.topicPartitions(), config.replicationFactor())
        .setConfig(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0", "segment.ms", "600000"));
  }

  /**
   * How long an event topic keeps its records, at least. The broker deletes whole segments, and one rolls
   * after {@code segment.ms} (7 days by default), so a record may stay readable up to about twice this.
   */
  public static final Duration EVENTS_RETENTION = Duration.ofDays(7);

  /** A topic of events kept for {@link #EVENTS_RETENTION}. */
  public static NewTopic events(String name, KafkaConfig config) {
    return new NewTopic(name, config.topicPartitions(), config.replicationFactor())
        .setConfig(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(EVENTS_RETENTION.toMillis())));
  }

  /** Attempts at creating the topics while the broker answers with retriable errors (each one bounded by the admin timeout). */
  static final int ATTEMPTS = 10;
  static final long RETRY_DELAY_MS = 1000;

  /**
   * Creates the topics that are missing. A broker that is slow to answer (a busy machine where a dozen
   * JVMs start at once) is asked again a bounded number of times rather than failing the service start,
   * which would cost a whole JVM restart and load the machine further.
   */
  public static Future<Void> ensure(Vertx vertx, KafkaConfig config, List<NewTopic> topics) {
    return ensure(vertx, config, topics, ATTEMPTS);
  }

  static Future<Void> ensure(Vertx vertx, KafkaConfig config, List<NewTopic> topics, int attempts) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaSettings.admin(config, "shop-topics"));
    return attempt(vertx, admin, topics, 1, attempts).eventually(admin::close);
  }

  private static Future<Void> attempt(Vertx vertx, KafkaAdminClient admin, List<NewTopic> topics, int attempt,
      int attempts) {
    return admin.createTopics(topics).recover(failure -> {
      if (has(failure, TopicExistsException.class)) {
        return Future.succeededFuture();
      }
      if (attempt < attempts && has(failure, RetriableException.class)) {
        return vertx.timer(RETRY_DELAY_MS).compose(t -> attempt(vertx, admin, topics, attempt + 1, attempts));
      }
      return Future.failedFuture(failure);
    });
  }

  private static boolean has(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
