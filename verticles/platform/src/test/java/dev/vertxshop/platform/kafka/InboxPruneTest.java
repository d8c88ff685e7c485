package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ConsumerGroups;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The inbox's retention against the real database: old event ids go, recent ones stay. */
@DisplayName("Inbox retention: ids older than SHOP_INBOX_RETENTION are pruned, recent ones kept")
class InboxPruneTest {

  private static ShopNode node;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    node = await(ShopNode.start(ShopTestEnv.shared(Map.of()), List.of(new ProbeService()), false));
    pool = Databases.pool(node.vertx(), DatabaseConfig.from(ShopTestEnv.shared(Map.of())), "probe");
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
  @DisplayName("a prune deletes the ids handled longer ago than the retention, in batches, and keeps the others")
  void prune() throws Exception {
    String consumer = "prune-" + UUID.randomUUID();
    // 20 days old (gone), 16 days (gone: past the 15-day default), 14 days, an hour and none (kept).
    // More than one batch of old rows, so that the prune has to go round again.
    await(pool.preparedQuery("INSERT INTO inbox (consumer, event_id, processed_at) "
        + "SELECT $1, md5($1 || g)::uuid, now() - interval '20 days' FROM generate_series(1, $2) g")
        .execute(Tuple.of(consumer, Inbox.PRUNE_BATCH + 5)));
    UUID sixteen = insert(consumer, Duration.ofDays(16));
    UUID fourteen = insert(consumer, Duration.ofDays(14));
    UUID hour = insert(consumer, Duration.ofHours(1));
    UUID now = insert(consumer, Duration.ZERO);

    long deleted = await(Inbox.prune(pool, Inbox.DEFAULT_RETENTION));

    assertThat(deleted).as("rows of this test and of no one else (no other consumer has rows this old)")
        .isGreaterThanOrEqualTo(Inbox.PRUNE_BATCH + 6L);
    assertThat(ids(consumer)).containsExactlyInAnyOrder(fourteen, hour, now).doesNotContain(sixteen);
  }

  @Test
  @DisplayName("the prune verticle prunes at start with the configured retention")
  void verticle() throws Exception {
    String consumer = "prune-" + UUID.randomUUID();
    UUID old = insert(consumer, Duration.ofDays(3));
    UUID recent = insert(consumer, Duration.ofDays(1));
    Duration retention = Inbox.retention(Env.of(Map.of("SHOP_INBOX_RETENTION", "2880m")));
    assertThat(retention).isEqualTo(Duration.ofDays(2));
    String deployment = await(node.vertx().deployVerticle(new InboxPruneVerticle(pool, "probe", retention)));
    try {
      ConsumerGroups.await(Duration.ofSeconds(30), "the 3-day-old id pruned", () -> ids(consumer).contains(old) ? null : true);
      assertThat(ids(consumer)).containsExactly(recent);
    } finally {
      await(node.vertx().undeploy(deployment));
    }
  }

  @Test
  @DisplayName("SHOP_INBOX_RETENTION defaults to 15 days (two event-topic retentions and a day) and refuses nonsense")
  void retentionSetting() {
    assertThat(Inbox.retention(Env.of(Map.of()))).isEqualTo(Duration.ofDays(15));
    assertThat(Inbox.DEFAULT_RETENTION).isGreaterThan(Topics.EVENTS_RETENTION.multipliedBy(2));
    assertThatThrownBy(() -> Inbox.retention(Env.of(Map.of("SHOP_INBOX_RETENTION", "10s"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_INBOX_RETENTION");
    assertThatThrownBy(() -> Inbox.retention(Env.of(Map.of("SHOP_INBOX_RETENTION", "a week"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_INBOX_RETENTION");
  }

  private static UUID insert(String consumer, Duration age) throws Exception {
    UUID id = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO inbox (consumer, event_id, processed_at) VALUES ($1, $2, now() - make_interval(secs => $3))")
        .execute(Tuple.of(consumer, id, (double) age.toSeconds())));
    return id;
  }

  private static List<UUID> ids(String consumer) throws Exception {
    return await(pool.preparedQuery("SELECT event_id FROM inbox WHERE consumer = $1").execute(Tuple.of(consumer)))
        .stream().map(row -> row.getUUID(0)).toList();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
