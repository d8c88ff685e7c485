package dev.vertxshop.contracts.notifications;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@link NotificationsContract#LIST}: one page of a user's notifications. {@code page} defaults to 1 (at
 * most {@value #MAX_PAGE}), {@code size} to {@value #DEFAULT_SIZE} (at most {@value #MAX_SIZE}).
 */
public record ListNotifications(UUID userId, int page, int size) implements BusMessage {

  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = 100;
  /** Deep OFFSET pages cost a scan each; nobody reads 100k pages of notifications. */
  public static final int MAX_PAGE = 100_000;
  private static final Set<String> FIELDS = Set.of("userId", "page", "size");

  public static ListNotifications fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    return new ListNotifications(f.uuid("userId"), f.integer("page", 1, MAX_PAGE, 1), f.integer("size", 1, MAX_SIZE, DEFAULT_SIZE));
  }

  /** Rows to skip before this page. */
  public long offset() {
    return (long) (page - 1) * size;
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString()).put("page", page).put("size", size);
  }
}
