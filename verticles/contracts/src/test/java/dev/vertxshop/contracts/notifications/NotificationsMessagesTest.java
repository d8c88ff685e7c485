package dev.vertxshop.contracts.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("notifications messages: what toJson writes, fromJson reads back equal, through the wire's text too")
class NotificationsMessagesTest {

  @Property(tries = 200)
  @Label("ListNotifications")
  void listRequest(@ForAll("requests") ListNotifications request) {
    assertThat(ListNotifications.fromJson(wire(request.toJson()))).isEqualTo(request);
  }

  @Property(tries = 200)
  @Label("NotificationPage, with its notifications")
  void page(@ForAll("pages") NotificationPage page) {
    assertThat(NotificationPage.fromJson(wire(page.toJson()))).isEqualTo(page);
  }

  @Provide
  Arbitrary<ListNotifications> requests() {
    return Combinators.combine(uuids(), Arbitraries.integers().between(1, ListNotifications.MAX_PAGE),
        Arbitraries.integers().between(1, ListNotifications.MAX_SIZE)).as(ListNotifications::new);
  }

  @Provide
  Arbitrary<NotificationPage> pages() {
    Arbitrary<Notification> notification = Combinators.combine(uuids(), uuids(), Arbitraries.of("OrderConfirmed", "PaymentRefunded"),
        Arbitraries.strings().ofMaxLength(40), Arbitraries.strings().ofMaxLength(200), uuids().injectNull(0.3),
        Arbitraries.longs().between(0, 4_000_000_000_000L).map(Instant::ofEpochMilli)).as(Notification::new);
    return Combinators.combine(notification.list().ofMaxSize(5), Arbitraries.integers().between(1, 50),
        Arbitraries.integers().between(1, ListNotifications.MAX_SIZE), Arbitraries.longs().between(0, 1_000_000))
        .as((List<Notification> items, Integer page, Integer size, Long total) -> new NotificationPage(items, page, size, total));
  }

  private static Arbitrary<UUID> uuids() {
    return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
  }

  /** As it arrives from another JVM: encoded to text and parsed again. */
  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }
}
