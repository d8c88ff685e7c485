package dev.vertxshop.contracts.notifications;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The reply of {@link NotificationsContract#LIST}: a page of notifications, newest first, and the user's total. */
public record NotificationPage(List<Notification> items, int page, int size, long total) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("items", "page", "size", "total");

  public NotificationPage {
    items = List.copyOf(items);
  }

  public static NotificationPage fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new NotificationPage(f.list("items", 0, ListNotifications.MAX_SIZE, (item, path) -> Notification.read(Fields.of(item, path))),
        (int) f.integer("page", 1, ListNotifications.MAX_PAGE), (int) f.integer("size", 1, ListNotifications.MAX_SIZE),
        f.integer("total", 0, Long.MAX_VALUE));
  }

  @Override
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(item.toJson()));
    return new JsonObject().put("items", array).put("page", page).put("size", size).put("total", total);
  }
}
