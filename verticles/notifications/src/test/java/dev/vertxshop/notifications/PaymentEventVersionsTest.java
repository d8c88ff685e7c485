package dev.vertxshop.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.kafka.DomainEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Notifications takes every version of the payment events payments emits (PaymentCaptured, PaymentDeclined,
 * PaymentRefunded): the contract's {@link Payment} record as their data (the only version so far, in every
 * status and with or without its optional fields), the same document as the first release wrote it, and a later
 * version that adds fields. Each becomes the user's notification, naming the amount and the order.
 */
@Label("notifications takes every payment event version payments emits")
class PaymentEventVersionsTest {

  private static final String TOPIC = PaymentsContract.EVENTS_TOPIC;

  @Property(tries = 300)
  @Label("the contract's Payment, in the envelope the outbox relay writes, becomes the user's notification")
  void currentVersion(@ForAll("types") String type, @ForAll("payments") Payment payment) {
    NotificationDraft draft = accepted(type, payment.toJson());
    assertThat(draft.userId()).isEqualTo(payment.userId());
    assertThat(draft.orderId()).isEqualTo(payment.orderId());
    assertThat(draft.type()).isEqualTo(type);
    assertThat(draft.body()).contains(NotificationTemplates.money(payment.toJson(), "amount"));
  }

  @Property(tries = 100)
  @Label("a later version with added fields is still accepted (consumers read events tolerantly)")
  void addedFields(@ForAll("types") String type, @ForAll("payments") Payment payment) {
    JsonObject data = payment.toJson().put("method", "card").put("refundedAmount", new Money(1, "EUR").toJson());
    assertThat(accepted(type, data).orderId()).isEqualTo(payment.orderId());
  }

  @Example
  @Label("the first release's document, as payments wrote it before the record, is accepted")
  void firstRelease() {
    String order = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    JsonObject data = new JsonObject("{\"id\":\"" + UUID.randomUUID() + "\",\"orderId\":\"" + order + "\",\"userId\":\"" + user
        + "\",\"amount\":{\"amount\":4200,\"currency\":\"EUR\"},\"status\":\"CAPTURED\",\"providerReference\":\"ch_1\","
        + "\"createdAt\":\"2026-11-01T10:00:00.123456Z\",\"updatedAt\":\"2026-11-01T10:00:01Z\"}");
    NotificationDraft draft = accepted(PaymentsContract.PAYMENT_CAPTURED, data);
    assertThat(draft.userId()).isEqualTo(UUID.fromString(user));
    assertThat(draft.body()).contains("42.00 EUR");
    assertThat(Payment.fromJson(data).status()).as("and it reads as the record").isEqualTo(PaymentStatus.CAPTURED);
  }

  @Provide
  Arbitrary<String> types() {
    return Arbitraries.of(PaymentsContract.PAYMENT_CAPTURED, PaymentsContract.PAYMENT_DECLINED, PaymentsContract.PAYMENT_REFUNDED);
  }

  @Provide
  Arbitrary<Payment> payments() {
    Arbitrary<UUID> ids = Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
    Arbitrary<String> optional = Arbitraries.strings().ofMaxLength(60).injectNull(0.4);
    Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
    Arbitrary<Money> money = Arbitraries.longs().between(1, Charge.MAX_AMOUNT).map(Money::eur);
    return Combinators.combine(ids, ids, ids, money, Arbitraries.of(PaymentStatus.class), optional, optional, instants)
        .as((id, order, user, amount, status, reference, reason, at) ->
            new Payment(id, order, user, amount, status, reference, reason, null, at, at));
  }

  /** The event as the payments outbox relay publishes it, parsed and templated as the consumer does. */
  private static NotificationDraft accepted(String type, JsonObject data) {
    String value = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", type)
        .put("key", data.getString("orderId")).put("occurredAt", Instant.now().toString()).put("data", data).encode();
    DomainEvent event = DomainEvent.parse(TOPIC, 0, 7L, value, null);
    Optional<NotificationDraft> draft = NotificationTemplates.from(event.topic(), event.type(), event.data());
    assertThat(draft).as(type).isPresent();
    return draft.get();
  }
}
