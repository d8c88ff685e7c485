package dev.vertxshop.catalog;

import static dev.vertxshop.catalog.CatalogFixtures.product;
import static dev.vertxshop.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.testing.TopicReader;
import dev.vertxshop.platform.testing.TopicReader.Event;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.kafka.OutboxSettings;
import dev.vertxshop.platform.kafka.Topics;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
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
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API verticle runs alone here, so that no relay publishes until the test starts one: what the
 * service wrote can be observed in the outbox before it reaches Kafka.
 */
@DisplayName("outbox relay down, restarted, and crashed between publish and mark")
@ExtendWith(VertxExtension.class)
class OutboxRelayRestartTest {

  private static Env env;
  private static Vertx vertx;
  private static Pool pool;
  private static Pool db;
  private static KafkaConfig kafka;
  private static CatalogJsonClient client;
  private static String category;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void deployApiAlone(VertxTestContext ctx) {
    env = ShopTestEnv.shared(Map.of());
    vertx = Vertx.vertx();
    DatabaseConfig database = DatabaseConfig.from(env);
    kafka = KafkaConfig.from(env);
    Databases.migrate(vertx, database, CatalogService.NAME)
        .compose(v -> Topics.ensure(vertx, kafka, List.of(Topics.compacted(CatalogContract.PRODUCTS_TOPIC, kafka))))
        .compose(v -> {
          pool = Databases.pool(vertx, database, CatalogService.NAME);
          db = CatalogFixtures.pool(vertx, env);
          client = new CatalogJsonClient(vertx, Duration.ofSeconds(10));
          return vertx.deployVerticle(new CatalogApiVerticle(pool));
        })
        .compose(id -> CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "Relay tests"))
        .onComplete(ctx.succeeding(id -> {
          category = id;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void closeVertx(VertxTestContext ctx) {
    // Closing Vert.x undeploys the verticle and closes both pools.
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
  @DisplayName("a change waits in the outbox while the relay is down, is published once when it starts, "
      + "and again with the same event id after a crash before marking")
  void relayRestartKeepsEventId(VertxTestContext ctx) {
    String sku = uniqueSku("RELAY");
    State state = new State();
    client.createProduct(product(sku, "Relayed", category, 500, 5))
        .compose(created -> {
          state.product = created;
          return CatalogFixtures.outboxFor(db, state.id());
        })
        .compose(outbox -> {
          // Assertions inside the chain fail it, and with it the test, at the first broken step.
          assertThat(outbox).hasSize(1);
          assertThat(outbox.get(0).published()).as("no relay is running").isFalse();
          state.eventId = outbox.get(0).eventId().toString();
          return readTopic(state.id());
        })
        .compose(events -> {
          assertThat(events).as("nothing on the topic before the relay runs").isEmpty();
          return startRelay();
        })
        .compose(relay -> CatalogFixtures.awaitPublished(vertx, db, state.id(), 1)
            .compose(published -> readTopic(state.id()))
            .compose(events -> {
              assertThat(events).hasSize(1);
              assertEvent(events.get(0), state);
              // The relay stops; then the mark is undone, as if it had crashed after Kafka acknowledged
              // the record but before its UPDATE committed.
              return vertx.undeploy(relay);
            }))
        .compose(v -> db.preparedQuery("UPDATE outbox SET published_at = NULL WHERE event_id = $1")
            .execute(Tuple.of(UUID.fromString(state.eventId))))
        .compose(reset -> {
          assertThat(reset.rowCount()).isEqualTo(1);
          return readTopic(state.id());
        })
        .compose(events -> {
          assertThat(events).as("the stopped relay published nothing more").hasSize(1);
          return startRelay();
        })
        .compose(relay -> CatalogFixtures.awaitPublished(vertx, db, state.id(), 1)
            .compose(published -> readTopic(state.id()))
            .compose(events -> vertx.undeploy(relay).map(events)))
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertThat(events).as("at least once: the record is there twice").hasSize(2);
          assertEvent(events.get(0), state);
          assertEvent(events.get(1), state);
          assertThat(events.get(1).envelope()).as("the duplicate is the same event").isEqualTo(events.get(0).envelope());
          ctx.completeNow();
        })));
  }

  /** What the test learns along the way. */
  private static final class State {
    JsonObject product;
    String eventId;

    String id() {
      return product.getString("id");
    }
  }

  private static void assertEvent(Event event, State state) {
    assertThat(event.eventIdHeader()).isEqualTo(state.eventId);
    assertThat(event.envelope().getString("eventId")).isEqualTo(state.eventId);
    assertThat(event.envelope().getJsonObject("data")).isEqualTo(state.product);
  }

  private static Future<String> startRelay() {
    return vertx.deployVerticle(new OutboxRelayVerticle(CatalogService.NAME, pool, kafka,
        new OutboxSettings(Duration.ofMillis(200), 100, Duration.ofMinutes(60))));
  }

  private static Future<List<Event>> readTopic(String key) {
    String bootstrap = kafka.bootstrapServers();
    return vertx.executeBlocking(() -> TopicReader.eventsFor(bootstrap, CatalogContract.PRODUCTS_TOPIC, key));
  }
}
