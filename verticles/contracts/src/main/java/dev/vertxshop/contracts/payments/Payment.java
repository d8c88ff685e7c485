package dev.vertxshop.contracts.payments;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A payment: the reply of {@link PaymentsContract#CHARGE} (status CAPTURED) and {@link PaymentsContract#GET}, and the
 * data of every payment event. {@code providerReference} is the provider's charge id (once the provider was
 * reached), {@code declineReason} the provider's reason for a decline, {@code attentionReason} why the payment
 * NEEDS_ATTENTION; each is absent (null) otherwise.
 */
public record Payment(
    UUID id, UUID orderId, UUID userId, Money amount, PaymentStatus status, String providerReference,
    String declineReason, String attentionReason, Instant createdAt, Instant updatedAt) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("id", "orderId", "userId", "amount", "status", "providerReference",
      "declineReason", "attentionReason", "createdAt", "updatedAt");
  private static final Set<String> STATUSES =
      Arrays.stream(PaymentStatus.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

  public Payment {
    if (id == null || orderId == null || userId == null || amount == null || status == null || createdAt == null
        || updatedAt == null) {
      throw new IllegalArgumentException("a payment has an id, order and user ids, an amount, a status and its times");
    }
  }

  public static Payment fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new Payment(f.uuid("id"), f.uuid("orderId"), f.uuid("userId"),
        Money.read(f.object("amount"), Long.MAX_VALUE, null), PaymentStatus.valueOf(f.oneOf("status", STATUSES)),
        f.optionalString("providerReference"), f.optionalString("declineReason"), f.optionalString("attentionReason"),
        f.instant("createdAt"), f.instant("updatedAt"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("orderId", orderId.toString())
        .put("userId", userId.toString())
        .put("amount", amount.toJson())
        .put("status", status.name());
    if (providerReference != null) {
      json.put("providerReference", providerReference);
    }
    if (declineReason != null) {
      json.put("declineReason", declineReason);
    }
    if (attentionReason != null) {
      json.put("attentionReason", attentionReason);
    }
    return json.put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
  }
}
