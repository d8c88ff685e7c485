package dev.vertxshop.notifications;

import static dev.vertxshop.notifications.NotificationFixtures.await;
import static dev.vertxshop.notifications.NotificationFixtures.event;
import static dev.vertxshop.notifications.NotificationFixtures.eventually;
import static dev.vertxshop.notifications.NotificationFixtures.failure;
import static dev.vertxshop.notifications.NotificationFixtures.inInbox;
import static dev.vertxshop.notifications.NotificationFixtures.order;
import static dev.vertxshop.notifications.NotificationFixtures.payment;
import static dev.vertxshop.notifications.NotificationFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.notifications.ListNotifications;
import dev.vertxshop.contracts.notifications.NotificationPage;
import dev.vertxshop.contracts.notifications.NotificationsClient;
import dev.vertxshop.contracts.notifications.NotificationsContract;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.notifications.NotificationFixtures.Event;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("notifications from order and payment events, and notifications.list")
class NotificationsServiceTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Env env;
  private static ShopNode node;
  private static Pool db;
  private static NotificationsClient client;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() throws Exception {
    env = ShopTestEnv.shared(Map.of());
    node = await(ShopNode.start(env, List.of(new NotificationsService()), false));
    db = NotificationFixtures.pool(node.vertx(), env);
    client = new NotificationsClient(node.vertx(), Duration.ofSeconds(10));
    producer = NotificationFixtures.producer(env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (db != null) {
      await(db.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("OrderConfirmed and PaymentCaptured give one notification each with the total in words; OrderPlaced gives none")
  void confirmedOrder() throws Exception {
    String user = UUID.randomUUID().toString();
    String orderId = UUID.randomUUID().toString();
    Event placed = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_PLACED, order(orderId, user, "PENDING", 1999, null));
    Event captured = event(PaymentsContract.EVENTS_TOPIC, orderId, PaymentsContract.PAYMENT_CAPTURED, payment(orderId, user, "CAPTURED", 1999));
    Event confirmed = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CONFIRMED, order(orderId, user, "CONFIRMED", 1999, null));
    for (Event e : List.of(placed, captured, confirmed)) {
      publish(producer, e);
    }

    awaitHandled(placed, captured, confirmed);
    JsonObject page = await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson));
    assertThat(page.getLong("total")).isEqualTo(2);
    Map<String, JsonObject> byType = byType(page);
    assertThat(byType).containsOnlyKeys(OrdersContract.ORDER_CONFIRMED, PaymentsContract.PAYMENT_CAPTURED);

    JsonObject orderNote = byType.get(OrdersContract.ORDER_CONFIRMED);
    assertThat(orderNote.getString("title")).isEqualTo("Order confirmed");
    assertThat(orderNote.getString("body")).contains("19.99 EUR").contains(orderId.substring(0, 8));
    assertThat(orderNote.getString("orderId")).isEqualTo(orderId);
    assertThat(orderNote.getString("userId")).isEqualTo(user);
    assertThat(orderNote.getString("createdAt")).isEqualTo(confirmed.occurredAt().toString());
    assertThat(UUID.fromString(orderNote.getString("id"))).isNotNull();

    JsonObject paymentNote = byType.get(PaymentsContract.PAYMENT_CAPTURED);
    assertThat(paymentNote.getString("title")).isEqualTo("Payment received");
    assertThat(paymentNote.getString("body")).contains("19.99 EUR").contains("received");
    assertThat(paymentNote.getString("orderId")).isEqualTo(orderId);
  }

  @Test
  @DisplayName("OrderCancelled (reason in words), PaymentDeclined and PaymentRefunded give one notification each")
  void cancelledOrder() throws Exception {
    String user = UUID.randomUUID().toString();
    String orderId = UUID.randomUUID().toString();
    Event declined = event(PaymentsContract.EVENTS_TOPIC, orderId, PaymentsContract.PAYMENT_DECLINED, payment(orderId, user, "DECLINED", 250));
    Event cancelled = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CANCELLED,
        order(orderId, user, "CANCELLED", 250, "PAYMENT_DECLINED"));
    String otherOrder = UUID.randomUUID().toString();
    Event refunded = event(PaymentsContract.EVENTS_TOPIC, otherOrder, PaymentsContract.PAYMENT_REFUNDED, payment(otherOrder, user, "REFUNDED", 100_000));
    for (Event e : List.of(declined, cancelled, refunded)) {
      publish(producer, e);
    }

    awaitHandled(declined, cancelled, refunded);
    Map<String, JsonObject> byType = byType(await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson)));
    assertThat(byType).containsOnlyKeys(OrdersContract.ORDER_CANCELLED, PaymentsContract.PAYMENT_DECLINED, PaymentsContract.PAYMENT_REFUNDED);
    assertThat(byType.get(OrdersContract.ORDER_CANCELLED).getString("title")).isEqualTo("Order cancelled");
    assertThat(byType.get(OrdersContract.ORDER_CANCELLED).getString("body")).contains("because the payment was declined");
    assertThat(byType.get(PaymentsContract.PAYMENT_DECLINED).getString("title")).isEqualTo("Payment declined");
    assertThat(byType.get(PaymentsContract.PAYMENT_DECLINED).getString("body")).contains("2.50 EUR").contains("declined");
    assertThat(byType.get(PaymentsContract.PAYMENT_REFUNDED).getString("title")).isEqualTo("Payment refunded");
    assertThat(byType.get(PaymentsContract.PAYMENT_REFUNDED).getString("body")).contains("1000.00 EUR").contains(otherOrder.substring(0, 8));
  }

  @Test
  @DisplayName("the same event published twice gives one notification")
  void duplicate() throws Exception {
    String user = UUID.randomUUID().toString();
    String orderId = UUID.randomUUID().toString();
    Event confirmed = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CONFIRMED, order(orderId, user, "CONFIRMED", 500, null));
    // Same key, same partition: once the marker is handled, both copies before it were too.
    Event marker = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CANCELLED, order(orderId, user, "CANCELLED", 500, "OUT_OF_STOCK"));
    publish(producer, confirmed);
    publish(producer, confirmed);
    publish(producer, marker);

    awaitHandled(confirmed, marker);
    JsonObject page = await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson));
    assertThat(page.getLong("total")).isEqualTo(2);
    assertThat(page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("type")))
        .containsExactlyInAnyOrder(OrdersContract.ORDER_CONFIRMED, OrdersContract.ORDER_CANCELLED);
    assertThat(NotificationFixtures.notificationsForEvent(db, confirmed.eventId())).isEqualTo(1);
  }

  @Test
  @DisplayName("OrderPlaced is recorded in the inbox but gives no notification")
  void placedOnly() throws Exception {
    String user = UUID.randomUUID().toString();
    String orderId = UUID.randomUUID().toString();
    Event placed = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_PLACED, order(orderId, user, "PENDING", 700, null));
    publish(producer, placed);

    awaitHandled(placed);
    assertThat(await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson)).getLong("total")).isZero();
    assertThat(NotificationFixtures.notificationsForEvent(db, placed.eventId())).isZero();
  }

  @Test
  @DisplayName("an event that cannot make a notification is skipped without blocking the events after it")
  void malformedEventSkipped() throws Exception {
    String user = UUID.randomUUID().toString();
    String orderId = UUID.randomUUID().toString();
    JsonObject noUser = order(orderId, user, "CONFIRMED", 100, null);
    noUser.remove("userId");
    Event broken = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CONFIRMED, noUser);
    JsonObject fractional = payment(orderId, user, "CAPTURED", 0);
    fractional.getJsonObject("amount").put("amount", 1.5);
    Event brokenPayment = event(PaymentsContract.EVENTS_TOPIC, orderId, PaymentsContract.PAYMENT_CAPTURED, fractional);
    Event good = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CONFIRMED, order(orderId, user, "CONFIRMED", 100, null));
    publish(producer, broken);
    publish(producer, brokenPayment);
    publish(producer, good);

    awaitHandled(broken, brokenPayment, good);
    JsonObject page = await(client.list(new ListNotifications(UUID.fromString(user), 1, 10)).map(NotificationPage::toJson));
    assertThat(page.getLong("total")).isEqualTo(1);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("body")).contains("1.00 EUR");
    assertThat(NotificationFixtures.notificationsForEvent(db, broken.eventId())).isZero();
    assertThat(NotificationFixtures.notificationsForEvent(db, brokenPayment.eventId())).isZero();
  }

  @Test
  @DisplayName("a user sees only their own notifications")
  void ownOnly() throws Exception {
    String alice = UUID.randomUUID().toString();
    String bob = UUID.randomUUID().toString();
    String aliceOrder = UUID.randomUUID().toString();
    String bobOrder = UUID.randomUUID().toString();
    Event forAlice = event(OrdersContract.EVENTS_TOPIC, aliceOrder, OrdersContract.ORDER_CONFIRMED, order(aliceOrder, alice, "CONFIRMED", 100, null));
    Event forBob = event(OrdersContract.EVENTS_TOPIC, bobOrder, OrdersContract.ORDER_CONFIRMED, order(bobOrder, bob, "CONFIRMED", 200, null));
    Event forBob2 = event(PaymentsContract.EVENTS_TOPIC, bobOrder, PaymentsContract.PAYMENT_CAPTURED, payment(bobOrder, bob, "CAPTURED", 200));
    for (Event e : List.of(forAlice, forBob, forBob2)) {
      publish(producer, e);
    }

    awaitHandled(forAlice, forBob, forBob2);
    JsonObject alicePage = await(client.list(new ListNotifications(UUID.fromString(alice), 1, 100)).map(NotificationPage::toJson));
    JsonObject bobPage = await(client.list(new ListNotifications(UUID.fromString(bob), 1, 100)).map(NotificationPage::toJson));
    assertThat(alicePage.getLong("total")).isEqualTo(1);
    assertThat(ids(alicePage, "userId")).containsOnly(alice);
    assertThat(ids(alicePage, "orderId")).containsOnly(aliceOrder);
    assertThat(bobPage.getLong("total")).isEqualTo(2);
    assertThat(ids(bobPage, "userId")).containsOnly(bob);
  }

  @Test
  @DisplayName("pages are newest first, do not overlap, and report the user's total")
  void paging() throws Exception {
    String user = UUID.randomUUID().toString();
    Instant base = Instant.parse("2030-01-01T10:00:00Z");
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String orderId = UUID.randomUUID().toString();
      Event e = event(OrdersContract.EVENTS_TOPIC, orderId, OrdersContract.ORDER_CONFIRMED, order(orderId, user, "CONFIRMED", 100 + i, null));
      events.add(new Event(e.topic(), e.key(), e.eventId(), e.type(), e.data(), base.plusSeconds(i)));
    }
    // Published out of time order: the list orders by when things happened, not by arrival.
    for (int i : new int[] {2, 0, 4, 1, 3}) {
      publish(producer, events.get(i));
    }

    awaitHandled(events.toArray(new Event[0]));
    JsonObject first = await(client.list(new ListNotifications(UUID.fromString(user), 1, 2)).map(NotificationPage::toJson));
    JsonObject second = await(client.list(new ListNotifications(UUID.fromString(user), 2, 2)).map(NotificationPage::toJson));
    JsonObject third = await(client.list(new ListNotifications(UUID.fromString(user), 3, 2)).map(NotificationPage::toJson));
    JsonObject beyond = await(client.list(new ListNotifications(UUID.fromString(user), 4, 2)).map(NotificationPage::toJson));
    assertThat(List.of(first, second, third, beyond)).allSatisfy(page -> assertThat(page.getLong("total")).isEqualTo(5));
    assertThat(first.getInteger("page")).isEqualTo(1);
    assertThat(second.getInteger("page")).isEqualTo(2);
    assertThat(first.getInteger("size")).isEqualTo(2);
    List<String> seen = new ArrayList<>();
    seen.addAll(ids(first, "orderId"));
    seen.addAll(ids(second, "orderId"));
    seen.addAll(ids(third, "orderId"));
    assertThat(seen).containsExactly(events.get(4).key(), events.get(3).key(), events.get(2).key(), events.get(1).key(),
        events.get(0).key());
    assertThat(beyond.getJsonArray("items")).isEmpty();

    // Defaults: page 1, size 20.
    JsonObject defaults = await(Bus.<NotificationPage>request(node.vertx(), NotificationsContract.LIST.address(), new JsonObject().put("userId", user),
        Duration.ofSeconds(10)).map(NotificationPage::toJson));
    assertThat(defaults.getInteger("page")).isEqualTo(1);
    assertThat(defaults.getInteger("size")).isEqualTo(20);
    assertThat(defaults.getJsonArray("items")).hasSize(5);
  }

  static Stream<Arguments> badRequests() {
    String user = UUID.randomUUID().toString();
    return Stream.of(
        Arguments.of("not an object", "userId=" + user, "JSON object"),
        Arguments.of("userId missing", new JsonObject().put("page", 1).put("size", 10), "'userId' is required"),
        Arguments.of("userId not a UUID", new JsonObject().put("userId", "bob").put("page", 1).put("size", 10), "'userId'"),
        Arguments.of("userId a number", new JsonObject().put("userId", 42).put("page", 1).put("size", 10), "'userId'"),
        Arguments.of("page 0", new JsonObject().put("userId", user).put("page", 0).put("size", 10), "'page'"),
        Arguments.of("page a string", new JsonObject().put("userId", user).put("page", "1").put("size", 10), "'page'"),
        Arguments.of("size 0", new JsonObject().put("userId", user).put("page", 1).put("size", 0), "'size'"),
        Arguments.of("size 101", new JsonObject().put("userId", user).put("page", 1).put("size", 101), "'size'"),
        Arguments.of("size a fraction", new JsonObject().put("userId", user).put("page", 1).put("size", 1.5), "'size'"),
        Arguments.of("unknown field", new JsonObject().put("userId", user).put("all", true), "'all'"),
        Arguments.of("array body", new JsonArray().add(user), "JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  @DisplayName("an invalid list request fails BAD_REQUEST with a clear message and writes nothing")
  void invalidList(String name, Object body, String message) throws Exception {
    long before = NotificationFixtures.rowsWritten(db);
    ServiceException error = failure(Bus.request(node.vertx(), NotificationsContract.LIST.address(), body, Duration.ofSeconds(10)));
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(message);
    assertThat(NotificationFixtures.rowsWritten(db)).isEqualTo(before);
  }

  /** Waits until the service recorded each event in its inbox (handled, with or without a notification). */
  private static void awaitHandled(Event... events) throws Exception {
    for (Event e : events) {
      eventually(WAIT, e.type() + " " + e.eventId() + " handled", () -> inInbox(db, e.eventId()));
    }
  }

  private static Map<String, JsonObject> byType(JsonObject page) {
    Map<String, JsonObject> byType = new java.util.HashMap<>();
    for (Object item : page.getJsonArray("items")) {
      JsonObject note = (JsonObject) item;
      assertThat(byType.put(note.getString("type"), note)).as("one notification of type " + note.getString("type")).isNull();
    }
    return byType;
  }

  private static List<String> ids(JsonObject page, String field) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString(field)).toList();
  }
}
