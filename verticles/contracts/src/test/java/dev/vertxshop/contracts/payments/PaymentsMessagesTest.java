package dev.vertxshop.contracts.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.payments.PaymentCancelled.Outcome;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("payments messages: what toJson writes, fromJson reads back equal, through the wire's text; what the contract refuses, both sides refuse")
class PaymentsMessagesTest {

  @Property(tries = 200)
  @Label("Charge")
  void charge(@ForAll("charges") Charge charge) {
    assertThat(Charge.fromJson(wire(charge.toJson()))).isEqualTo(charge);
  }

  @Property(tries = 200)
  @Label("PaymentOf and PaymentCancelled")
  void cancel(@ForAll("uuids") UUID orderId, @ForAll Outcome outcome) {
    PaymentOf of = new PaymentOf(orderId);
    assertThat(PaymentOf.fromJson(wire(of.toJson()))).isEqualTo(of);
    PaymentCancelled cancelled = new PaymentCancelled(orderId, outcome);
    assertThat(PaymentCancelled.fromJson(wire(cancelled.toJson()))).isEqualTo(cancelled);
  }

  @Property(tries = 300)
  @Label("Payment, the reply of charge and get and the data of every payment event; absent optional fields stay absent")
  void payment(@ForAll("payments") Payment payment) {
    JsonObject json = payment.toJson();
    assertThat(Payment.fromJson(wire(json))).isEqualTo(payment);
    assertThat(json.containsKey("providerReference")).isEqualTo(payment.providerReference() != null);
    assertThat(json.containsKey("declineReason")).isEqualTo(payment.declineReason() != null);
    assertThat(json.containsKey("attentionReason")).isEqualTo(payment.attentionReason() != null);
  }

  @Example
  @Label("the wire format is the one payments has always answered")
  void wireFormat() {
    UUID order = UUID.fromString("0b0c4c43-1b7e-4a55-9c39-3a9f2d0d7e11");
    UUID user = UUID.fromString("7f5d9a52-2a29-4d5c-8a63-4a5c8f0b6a01");
    assertThat(new Charge(order, user, Money.eur(4_200)).toJson()).isEqualTo(new JsonObject()
        .put("orderId", order.toString()).put("userId", user.toString())
        .put("amount", new JsonObject().put("amount", 4_200L).put("currency", "EUR")));
    assertThat(new PaymentCancelled(order, Outcome.NONE).toJson())
        .isEqualTo(new JsonObject().put("orderId", order.toString()).put("status", "NONE"));
    Instant at = Instant.parse("2026-12-03T09:40:18.123Z");
    assertThat(new Payment(user, order, user, Money.eur(1), PaymentStatus.CAPTURED, "ch_1", null, null, at, at).toJson().encode())
        .isEqualTo("{\"id\":\"" + user + "\",\"orderId\":\"" + order + "\",\"userId\":\"" + user + "\","
            + "\"amount\":{\"amount\":1,\"currency\":\"EUR\"},\"status\":\"CAPTURED\",\"providerReference\":\"ch_1\","
            + "\"createdAt\":\"2026-12-03T09:40:18.123Z\",\"updatedAt\":\"2026-12-03T09:40:18.123Z\"}");
  }

  @Example
  @Label("the service's refusals, each BAD_REQUEST naming the field by its path")
  void refusals() {
    String order = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    assertRefused(Charge::fromJson, "charge me", "JSON object");
    assertRefused(Charge::fromJson, without(charge(order, user, 1), "orderId"), "'orderId' is required");
    assertRefused(Charge::fromJson, without(charge(order, user, 1), "userId"), "'userId' is required");
    assertRefused(Charge::fromJson, without(charge(order, user, 1), "amount"), "'amount' is required");
    assertRefused(Charge::fromJson, charge("1-1-1-1-1", user, 1), "'orderId'");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("userId", 42), "'userId' must be a string");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("amount", 100), "'amount' must be an object");
    assertRefused(Charge::fromJson, charge(order, user, 0), "'amount.amount' must be an integer between 1 and " + Charge.MAX_AMOUNT);
    assertRefused(Charge::fromJson, charge(order, user, -5), "'amount.amount'");
    assertRefused(Charge::fromJson, charge(order, user, Charge.MAX_AMOUNT + 1), "'amount.amount' must be an integer between 1 and");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("amount", new JsonObject().put("amount", 12.5).put("currency", "EUR")),
        "'amount.amount' must be an integer, not a fraction");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("amount", new JsonObject().put("amount", "100").put("currency", "EUR")),
        "'amount.amount' must be an integer");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("amount", new JsonObject().put("amount", 1).put("currency", "USD")),
        "'amount.currency' must be EUR");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("amount", new JsonObject().put("amount", 1)), "'amount.currency' is required");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("coupon", "FREE"), "unknown field 'coupon'");
    assertRefused(Charge::fromJson, charge(order, user, 1).put("amount", new JsonObject().put("amount", 1).put("currency", "EUR").put("fx", 1)),
        "unknown field 'amount.fx'");

    assertRefused(PaymentOf::fromJson, "a string", "JSON object");
    assertRefused(PaymentOf::fromJson, new JsonObject(), "'orderId' is required");
    assertRefused(PaymentOf::fromJson, new JsonObject().put("orderId", "nope"), "'orderId' is not a UUID");
    assertRefused(PaymentOf::fromJson, new JsonObject().put("orderId", order).put("extra", true), "unknown field 'extra'");

    JsonObject payment = validPayment();
    assertRefused(Payment::fromJson, payment.copy().put("status", "CANCELLED"), "'status' must be one of");
    assertRefused(Payment::fromJson, without(payment.copy(), "createdAt"), "'createdAt' is required");
    assertRefused(Payment::fromJson, payment.copy().put("updatedAt", "yesterday"), "'updatedAt' must be an ISO-8601 instant");
    assertRefused(Payment::fromJson, payment.copy().put("refund", true), "unknown field 'refund'");
    assertRefused(PaymentCancelled::fromJson, new JsonObject().put("orderId", order).put("status", "RELEASED"), "'status' must be one of");
  }

  @Example
  @Label("the records hold the same rules: a client cannot build a charge payments would refuse")
  void recordsRefuseToo() {
    UUID order = UUID.randomUUID();
    assertBad(() -> new Charge(order, order, Money.eur(0)));
    assertBad(() -> new Charge(order, order, Money.eur(Charge.MAX_AMOUNT + 1)));
    assertBad(() -> new Charge(order, order, new Money(100, "USD")));
    assertBad(() -> new Charge(null, order, Money.eur(1)));
    assertBad(() -> new PaymentOf(null));
  }

  @Provide
  Arbitrary<UUID> uuids() {
    return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
  }

  @Provide
  Arbitrary<Charge> charges() {
    return Combinators.combine(uuids(), uuids(), Arbitraries.longs().between(1, Charge.MAX_AMOUNT))
        .as((order, user, amount) -> new Charge(order, user, Money.eur(amount)));
  }

  @Provide
  Arbitrary<Payment> payments() {
    Arbitrary<String> optional = Arbitraries.strings().ofMaxLength(60).injectNull(0.4);
    Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
    Arbitrary<Money> money = Arbitraries.longs().between(1, Charge.MAX_AMOUNT).map(Money::eur);
    return Combinators.combine(uuids(), uuids(), uuids(), money, Arbitraries.of(PaymentStatus.class), optional, optional, optional)
        .flatAs((id, order, user, amount, status, reference, decline, attention) -> Combinators.combine(instants, instants)
            .as((created, updated) -> new Payment(id, order, user, amount, status, reference, decline, attention, created, updated)));
  }

  private static JsonObject charge(String orderId, String userId, long amount) {
    return new JsonObject().put("orderId", orderId).put("userId", userId)
        .put("amount", new JsonObject().put("amount", amount).put("currency", "EUR"));
  }

  private static JsonObject validPayment() {
    Instant now = Instant.now();
    return new Payment(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), Money.eur(500), PaymentStatus.DECLINED, "ch_9",
        "insufficient funds", null, now, now).toJson();
  }

  private static JsonObject without(JsonObject json, String field) {
    json.remove(field);
    return json;
  }

  /** As it arrives from another JVM: encoded to text and parsed again. */
  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  private static void assertRefused(Function<Object, ?> reader, Object body, String message) {
    assertThatThrownBy(() -> reader.apply(body))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(e.getMessage()).contains(message);
        });
  }

  private static void assertBad(Runnable build) {
    assertThatThrownBy(build::run)
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
