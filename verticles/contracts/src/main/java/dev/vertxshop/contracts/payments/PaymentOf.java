package dev.vertxshop.contracts.payments;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** The request of {@link PaymentsContract#CANCEL} and {@link PaymentsContract#GET}: the order whose payment is meant. */
public record PaymentOf(UUID orderId) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("orderId");

  public PaymentOf {
    if (orderId == null) {
      throw ServiceException.badRequest("'orderId' is required");
    }
  }

  public static PaymentOf fromJson(Object body) {
    return new PaymentOf(Fields.of(body).only(FIELDS).uuid("orderId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("orderId", orderId.toString());
  }
}
