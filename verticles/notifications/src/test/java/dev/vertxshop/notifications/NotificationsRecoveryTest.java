package dev.vertxshop.notifications;

import static dev.vertxshop.notifications.NotificationFixtures.await;
import static dev.vertxshop.notifications.NotificationFixtures.event;
import static dev.vertxshop.notifications.NotificationFixtures.eventually;
import static dev.vertxshop.notifications.NotificationFixtures.order;
import static dev.vertxshop.notifications.NotificationFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.notifications.ListNotifications;
import dev.vertxshop.contracts.notifications.NotificationPage;
import dev.vertxshop.contracts.notifications.NotificationsClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.embedded.LocalPostgres;
import dev.vertxshop.embedded.SharedInfra;
import dev.vertxshop.notifications.NotificationFixtures.Event;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Events are not lost when the database or the service is down: offsets are committed only after
 * the notification is written. Runs on a private PostgreSQL, since the shared one must never stop.
 */
@DisplayName("notifications survive a database outage and a service restart")
class NotificationsRecoveryTest {

  private static final Duration WAIT = Duration.ofSeconds(45);

  private static LocalPostgres postgres;
  private static Env env;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() {
    postgres = LocalPostgres.start(null, 0);
    env = ShopTestEnv.of(postgres, SharedInfra.kafka(), Map.of());
    producer = NotificationFixtures.producer(env);
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @DisplayName("an event consumed while PostgreSQL is down is retried and written once it is back")
  void databaseOutage() throws Exception {
    ShopNode node = await(ShopNode.start(env, List.of(new NotificationsService()), false));
    try {
      NotificationsClient client = new NotificationsClient(node.vertx(), Duration.ofSeconds(5));
      String user = UUID.randomUUID().toString();
      // A first event proves the consumer has its partitions before the outage starts.
      publish(producer, confirmed(user));
      eventually(WAIT, "the warm-up notification", () -> total(client, user) == 1);

      postgres.stop();
      Event duringOutage = confirmed(user);
      publish(producer, duringOutage);
      // The outage's length, not an assertion: the consumer polls every 200 ms, so it receives the
      // record and fails to write it (several times, with backoff) while the server is down.
      Thread.sleep(2_000);
      postgres.restart();

      eventually(WAIT, "the notification of the event consumed during the outage", () -> total(client, user) == 2);
      JsonObject page = await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson));
      assertThat(page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("orderId")))
          .contains(duringOutage.key())
          .doesNotHaveDuplicates();
    } finally {
      if (!postgres.isRunning()) {
        postgres.restart();
      }
      await(node.stop());
    }
  }

  @Test
  @DisplayName("an event published while the service is stopped is handled after it starts again")
  void serviceRestart() throws Exception {
    String user = UUID.randomUUID().toString();
    ShopNode first = await(ShopNode.start(env, List.of(new NotificationsService()), false));
    try {
      NotificationsClient client = new NotificationsClient(first.vertx(), Duration.ofSeconds(5));
      publish(producer, confirmed(user));
      eventually(WAIT, "the notification before the stop", () -> total(client, user) == 1);
    } finally {
      await(first.stop());
    }

    Event whileStopped = confirmed(user);
    publish(producer, whileStopped);

    ShopNode second = await(ShopNode.start(env, List.of(new NotificationsService()), false));
    try {
      NotificationsClient client = new NotificationsClient(second.vertx(), Duration.ofSeconds(5));
      eventually(WAIT, "the notification of the event published while stopped", () -> total(client, user) == 2);
      JsonObject page = await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson));
      assertThat(page.getJsonArray("items").getJsonObject(0).getString("orderId")).isEqualTo(whileStopped.key());
    } finally {
      await(second.stop());
    }
  }

  private static Event confirmed(String user) {
    String orderId = UUID.randomUUID().toString();
    return event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CONFIRMED, order(orderId, user, "CONFIRMED", 4200, null));
  }

  private static long total(NotificationsClient client, String user) throws Exception {
    return await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson)).getLong("total");
  }
}
