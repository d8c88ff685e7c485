package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link CatalogContract#RELEASE_STOCK} and {@link CatalogContract#COMMIT_STOCK}: the stock reservation of one order. */
public record ReservationOf(UUID orderId) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("orderId");

  public ReservationOf {
    if (orderId == null) {
      throw ServiceException.badRequest("'orderId' is required");
    }
  }

  public static ReservationOf fromJson(Object body) {
    return new ReservationOf(Fields.of(body).only(FIELDS).uuid("orderId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("orderId", orderId.toString());
  }
}
