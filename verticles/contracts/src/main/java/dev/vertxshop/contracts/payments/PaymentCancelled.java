package dev.vertxshop.contracts.payments;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The reply of {@link PaymentsContract#CANCEL}: no capture is left for the order. {@link Outcome#REFUNDED}: the
 * capture was refunded; {@link Outcome#NONE}: nothing was captured (never charged, declined, or nothing found at
 * the provider).
 */
public record PaymentCancelled(UUID orderId, Outcome status) implements BusMessage {

  /** What the cancel found. */
  public enum Outcome { REFUNDED, NONE }

  private static final Set<String> FIELDS = Set.of("orderId", "status");
  private static final Set<String> OUTCOMES = Arrays.stream(Outcome.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

  public PaymentCancelled {
    if (orderId == null || status == null) {
      throw new IllegalArgumentException("a cancel reply has an order id and a status");
    }
  }

  public static PaymentCancelled fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new PaymentCancelled(f.uuid("orderId"), Outcome.valueOf(f.oneOf("status", OUTCOMES)));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("orderId", orderId.toString()).put("status", status.name());
  }
}
