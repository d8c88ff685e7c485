package dev.vertxshop.users;

import static dev.vertxshop.users.UsersFixtures.uniqueAddress;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.users.UsersFixtures.OutboxRow;
import dev.vertxshop.platform.testing.TopicReader;
import dev.vertxshop.platform.testing.TopicReader.Event;
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

@DisplayName("UserRegistered reaches shop.users.events through the outbox (with the default Argon2 parameters)")
@ExtendWith(VertxExtension.class)
class UserEventsTest {

  private static final String PASSWORD = "events-are-forever";

  private static Env env;
  private static ShopNode node;
  private static Pool db;
  private static UsersClient client;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void startNode(VertxTestContext ctx) {
    // Deliberately the production Argon2 defaults: one class runs the real cost end to end.
    env = ShopTestEnv.shared(Map.of());
    ShopNode.start(env, List.of(new UsersService()), false).onComplete(ctx.succeeding(started -> {
      node = started;
      db = UsersFixtures.pool(node.vertx(), env);
      client = new UsersClient(node.vertx(), Duration.ofSeconds(10));
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stopNode(VertxTestContext ctx) {
    UsersFixtures.stop(db, node, ctx);
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  @DisplayName("one record keyed by the user id, data = the public user, event-id header = eventId = the outbox row's")
  void registrationPublished(VertxTestContext ctx) {
    String email = UsersFixtures.uniqueEmail("evented");
    client.register(email, PASSWORD, "Evented", uniqueAddress())
        .compose(user -> UsersFixtures.eventually(node.vertx(), Duration.ofSeconds(20), () -> UsersFixtures.outboxFor(db, user.getString("id"))
                .map(rows -> rows.size() == 1 && rows.get(0).published() ? rows : null))
            .compose(outbox -> node.vertx().executeBlocking(() -> TopicReader.eventsFor(bootstrap(), UsersContract.EVENTS_TOPIC, user.getString("id")))
                .compose(events -> UsersFixtures.storedHash(db, user.getString("id"))
                    .map(hash -> new Observed(user, events, outbox, hash)))))
        .onComplete(ctx.succeeding(observed -> ctx.verify(() -> {
          List<Event> events = observed.events();
          assertThat(events).hasSize(1);
          Event event = events.get(0);
          String id = observed.user().getString("id");
          assertThat(event.key()).isEqualTo(id);
          assertThat(event.typeHeader()).isEqualTo(UsersContract.USER_REGISTERED);
          assertThat(event.envelope().getString("type")).isEqualTo(UsersContract.USER_REGISTERED);
          assertThat(event.envelope().getString("key")).isEqualTo(id);
          assertThat(event.eventIdHeader()).isEqualTo(event.envelope().getString("eventId"))
              .isEqualTo(observed.outbox().get(0).eventId().toString());
          assertThat(event.envelope().getJsonObject("data")).isEqualTo(observed.user());
          assertThat(event.envelope().encode()).doesNotContain(PASSWORD).doesNotContain("argon2");
          assertThat(observed.hash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
          ctx.completeNow();
        })));
  }

  /** The reply, the records on the topic, the outbox rows and the stored hash of one user. */
  private record Observed(JsonObject user, List<Event> events, List<OutboxRow> outbox, String hash) {
  }

  private static String bootstrap() {
    return env.string("KAFKA_BOOTSTRAP_SERVERS", null);
  }
}
