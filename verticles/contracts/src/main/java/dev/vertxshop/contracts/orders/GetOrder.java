package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link OrdersContract#GET}: the order {@code orderId} of {@code userId} (another user's order is NOT_FOUND). */
public record GetOrder(UUID userId, UUID orderId) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "orderId");

  public GetOrder {
    Fields.required(userId, "userId");
    Fields.required(orderId, "orderId");
  }

  public static GetOrder fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID userId = f.uuid("userId");
    return new GetOrder(userId, f.uuid("orderId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString()).put("orderId", orderId.toString());
  }
}
