package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@link OrdersContract#LIST}: page {@code page} (1 to {@value OrdersContract#MAX_PAGE}, default 1) of {@code size}
 * (1 to {@value OrdersContract#MAX_PAGE_SIZE}, default {@value OrdersContract#DEFAULT_PAGE_SIZE}) of the orders of
 * {@code userId}, newest first.
 */
public record ListOrders(UUID userId, int page, int size) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "page", "size");

  public ListOrders {
    Fields.required(userId, "userId");
    OrderFields.page(page, size);
  }

  public static ListOrders fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID userId = f.uuid("userId");
    return new ListOrders(userId, OrderFields.readPage(f), OrderFields.readSize(f));
  }

  /** The rows before this page. */
  public long offset() {
    return OrderFields.offset(page, size);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString()).put("page", page).put("size", size);
  }
}
