package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * The reply of {@link CatalogContract#RELEASE_STOCK} ({@value #RELEASED} or {@value #NONE}: there was no
 * reservation, and a late reserve will be refused) and of {@link CatalogContract#COMMIT_STOCK} ({@value #COMMITTED}).
 */
public record ReservationStatus(UUID orderId, String status) implements BusMessage {

  public static final String RELEASED = "RELEASED";
  public static final String NONE = "NONE";
  public static final String COMMITTED = "COMMITTED";
  public static final Set<String> STATUSES = Set.of(RELEASED, NONE, COMMITTED);
  private static final Set<String> FIELDS = Set.of("orderId", "status");

  public ReservationStatus {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("not a reservation status: " + status);
    }
  }

  public static ReservationStatus fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new ReservationStatus(f.uuid("orderId"), f.oneOf("status", STATUSES));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("orderId", orderId.toString()).put("status", status);
  }
}
