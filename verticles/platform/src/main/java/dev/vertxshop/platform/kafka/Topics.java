package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Map;
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

  /** A topic of events kept for a week. */
  public static NewTopic events(String name, KafkaConfig config) {
    return new NewTopic(name, config.topicPartitions(), config.replicationFactor())
        .setConfig(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7L * 24 * 3600 * 1000)));
  }

  public static Future<Void> ensure(Vertx vertx, KafkaConfig config, List<NewTopic> topics) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaSettings.admin(config, "shop-topics"));
    return admin.createTopics(topics)
        .recover(failure -> alreadyExists(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
        .eventually(admin::close);
  }

  private static boolean alreadyExists(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }
}
