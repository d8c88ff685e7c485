package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.LocalKafka;
import dev.vertxshop.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Topics: created at start, asking a slow broker again")
class TopicsTest {

  private Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a broker that starts only after the first attempts timed out still gets the topic, within the bounded retries")
  void brokerStartingLate() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    KafkaConfig config = new KafkaConfig("127.0.0.1:" + port, 1, (short) 1);
    String topic = "test.late." + UUID.randomUUID();
    Future<Void> ensured = Topics.ensure(vertx, config, List.of(new NewTopic(topic, 1, (short) 1)));
    // Nothing listens yet: the first attempt (3 s admin timeout) fails; the broker comes while retries go on.
    Thread.sleep(4_000);
    assertThat(ensured.isComplete()).as("still retrying while no broker answers").isFalse();
    Path dir = Files.createTempDirectory("topics-test");
    try (LocalKafka kafka = LocalKafka.start(dir, port)) {
      ensured.toCompletionStage().toCompletableFuture().get(Topics.ATTEMPTS * 5L, TimeUnit.SECONDS);
      KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaSettings.admin(config, "topics-test"));
      try {
        Set<String> names = admin.listTopics().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(names).contains(topic);
      } finally {
        admin.close();
      }
    }
  }

  @Test
  @DisplayName("with no broker at all, the start fails after the bounded attempts instead of waiting for ever")
  void noBroker() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    KafkaConfig config = new KafkaConfig("127.0.0.1:" + port, 1, (short) 1);
    // Two attempts rather than the production ten keep the test short; the bound is the same code.
    Future<Void> ensured = Topics.ensure(vertx, config, List.of(new NewTopic("test.none", 1, (short) 1)), 2);
    long started = System.nanoTime();
    try {
      ensured.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException expected) {
      // the failure is the point
    }
    assertThat(ensured.failed()).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("two attempts, not ten").isLessThan(30);
  }
}
