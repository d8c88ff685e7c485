package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link OrdersContract#ADMIN_LIST}: page {@code page} of {@code size} of every user's orders in {@code status}
 * (PENDING, NEEDS_ATTENTION, CONFIRMED or CANCELLED), oldest first; pages as for {@link ListOrders}.
 */
public record AdminListOrders(String status, int page, int size) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("status", "page", "size");
  private static final Set<String> STATUSES = Set.of(OrdersContract.PENDING, OrdersContract.NEEDS_ATTENTION,
      OrdersContract.CONFIRMED, OrdersContract.CANCELLED);

  public AdminListOrders {
    Fields.required(status, "status");
    if (!STATUSES.contains(status)) {
      throw ServiceException.badRequest("'status' must be one of " + new TreeSet<>(STATUSES));
    }
    OrderFields.page(page, size);
  }

  public static AdminListOrders fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    String status = f.oneOf("status", STATUSES);
    return new AdminListOrders(status, OrderFields.readPage(f), OrderFields.readSize(f));
  }

  /** The rows before this page. */
  public long offset() {
    return OrderFields.offset(page, size);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("status", status).put("page", page).put("size", size);
  }
}
