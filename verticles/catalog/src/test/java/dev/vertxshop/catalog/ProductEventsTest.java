package dev.vertxshop.catalog;

import static dev.vertxshop.catalog.CatalogFixtures.product;
import static dev.vertxshop.catalog.CatalogFixtures.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.catalog.CatalogFixtures.OutboxRow;
import dev.vertxshop.platform.testing.TopicReader;
import dev.vertxshop.platform.testing.TopicReader.Event;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("product changes reach shop.catalog.products through the outbox")
@ExtendWith(VertxExtension.class)
class ProductEventsTest {

  private static Env env;
  private static ShopNode node;
  private static Pool db;
  private static CatalogJsonClient client;
  private static String category;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void startNode(VertxTestContext ctx) {
    env = ShopTestEnv.shared(Map.of());
    ShopNode.start(env, List.of(new CatalogService()), false)
        .compose(started -> {
          node = started;
          db = CatalogFixtures.pool(node.vertx(), env);
          client = new CatalogJsonClient(node.vertx(), Duration.ofSeconds(10));
          return CatalogFixtures.insertCategory(db, CatalogFixtures.uniqueCategoryId(), "Event tests");
        })
        .onComplete(ctx.succeeding(id -> {
          category = id;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stopNode(VertxTestContext ctx) {
    CatalogFixtures.stop(db, node, ctx);
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  @DisplayName("create and update each publish one record keyed by the product id, data = the product, event-id header = eventId")
  void createAndUpdatePublish(VertxTestContext ctx) {
    String sku = uniqueSku("EVT");
    client.createProduct(product(sku, "Evented", category, 990, 3))
        .compose(created -> client.updateProduct(created.getString("id"), product(sku, "Evented v2", category, 1_090, 2), 1L)
            .compose(updated -> CatalogFixtures.awaitPublished(node.vertx(), db, created.getString("id"), 2)
                .compose(outbox -> node.vertx().executeBlocking(
                    () -> TopicReader.eventsFor(bootstrap(), CatalogContract.PRODUCTS_TOPIC, created.getString("id"))))
                .compose(events -> CatalogFixtures.outboxFor(db, created.getString("id"))
                    .map(outbox -> new Observed(created, updated, events, outbox)))))
        .onComplete(ctx.succeeding(observed -> ctx.verify(() -> {
          JsonObject created = observed.created();
          JsonObject updated = observed.updated();
          List<Event> events = observed.events();
          List<OutboxRow> outbox = observed.outbox();
          assertThat(events).hasSize(2);
          assertThat(events).extracting(e -> e.envelope().getJsonObject("data")).containsExactly(created, updated);
          for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            assertThat(event.key()).isEqualTo(created.getString("id"));
            assertThat(event.eventIdHeader()).isEqualTo(event.envelope().getString("eventId"));
            assertThat(event.eventIdHeader()).isEqualTo(outbox.get(i).eventId().toString());
            assertThat(event.typeHeader()).isEqualTo(CatalogContract.PRODUCT_UPSERTED);
            assertThat(event.envelope().getString("type")).isEqualTo(CatalogContract.PRODUCT_UPSERTED);
            assertThat(event.envelope().getString("key")).isEqualTo(created.getString("id"));
          }
          assertThat(events.get(0).eventIdHeader()).isNotEqualTo(events.get(1).eventIdHeader());
          ctx.completeNow();
        })));
  }

  /** The two replies, the records on the topic and the outbox rows of one product. */
  private record Observed(JsonObject created, JsonObject updated, List<Event> events, List<OutboxRow> outbox) {
  }

  private static String bootstrap() {
    return env.string("KAFKA_BOOTSTRAP_SERVERS", null);
  }
}
