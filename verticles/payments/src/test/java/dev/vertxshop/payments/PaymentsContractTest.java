package dev.vertxshop.payments;

import static dev.vertxshop.payments.PaymentsFixtures.await;
import static dev.vertxshop.payments.PaymentsFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentCancelled;
import dev.vertxshop.contracts.payments.PaymentCancelled.Outcome;
import dev.vertxshop.contracts.payments.PaymentOf;
import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentsClient;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.payments.PaymentsFixtures.OutboxRow;
import dev.vertxshop.payments.PaymentsFixtures.Running;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.bus.Route;
import dev.vertxshop.platform.errors.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The payments contract from the client's side, against the real handlers over PostgreSQL and the provider
 * stand-in over HTTP: every route accepts what the typed {@link PaymentsClient} sends, its replies read back with
 * the client's records, the same request sent as its JSON is served the same way, and the payment events carry
 * the payment as the routes answer it.
 */
@DisplayName("payments contract: the handlers take what the typed client sends, and the replies read with its records")
class PaymentsContractTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static Running running;
  private static PaymentsClient client;

  @BeforeAll
  static void start() {
    running = PaymentsFixtures.start(Map.of());
    client = new PaymentsClient(running.vertx(), DEADLINE);
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.stop();
    }
  }

  @AfterEach
  void heal() {
    running.provider().heal();
  }

  @Test
  @DisplayName("charge, get, a repeated charge and cancel through the typed client; each reply a record that reads back equal, each event the payment")
  void chargeGetCancel() {
    Charge charge = new Charge(UUID.randomUUID(), UUID.randomUUID(), Money.eur(4_321));

    Payment captured = await(client.charge(charge));
    assertThat(captured.status()).isEqualTo(PaymentStatus.CAPTURED);
    assertThat(captured.orderId()).isEqualTo(charge.orderId());
    assertThat(captured.userId()).isEqualTo(charge.userId());
    assertThat(captured.amount()).isEqualTo(charge.amount());
    assertThat(captured.providerReference()).isNotBlank();
    readsBack(PaymentsContract.CHARGE, captured);

    assertThat(await(client.charge(charge))).as("a repeat answers the same payment").isEqualTo(captured);
    Payment got = await(client.get(new PaymentOf(charge.orderId())));
    assertThat(got).isEqualTo(captured);
    readsBack(PaymentsContract.GET, got);

    PaymentCancelled cancelled = await(client.cancel(new PaymentOf(charge.orderId())));
    assertThat(cancelled).isEqualTo(new PaymentCancelled(charge.orderId(), Outcome.REFUNDED));
    readsBack(PaymentsContract.CANCEL, cancelled);
    Payment refunded = await(client.get(new PaymentOf(charge.orderId())));
    assertThat(refunded.status()).isEqualTo(PaymentStatus.REFUNDED);

    List<OutboxRow> events = PaymentsFixtures.outboxFor(running.db(), charge.orderId().toString());
    assertThat(events).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_CAPTURED, PaymentsContract.PAYMENT_REFUNDED);
    assertThat(Payment.fromJson(events.get(0).payload())).isEqualTo(captured);
    assertThat(Payment.fromJson(events.get(1).payload())).isEqualTo(refunded);
  }

  @Test
  @DisplayName("a decline and a cancel of an order never charged: the failure code, the declined payment and NONE read with the records")
  void declineAndNothingCaptured() {
    Charge charge = new Charge(UUID.randomUUID(), UUID.randomUUID(), Money.eur(1_500));
    running.provider().faults(new JsonObject().put("declineRate", 1.0));
    assertThat(failure(client.charge(charge)).code()).isEqualTo(ErrorCode.PAYMENT_DECLINED);

    Payment declined = await(client.get(new PaymentOf(charge.orderId())));
    assertThat(declined.status()).isEqualTo(PaymentStatus.DECLINED);
    assertThat(declined.declineReason()).isNotBlank();
    readsBack(PaymentsContract.GET, declined);
    List<OutboxRow> events = PaymentsFixtures.outboxFor(running.db(), charge.orderId().toString());
    assertThat(events).extracting(OutboxRow::type).containsExactly(PaymentsContract.PAYMENT_DECLINED);
    assertThat(Payment.fromJson(events.get(0).payload())).isEqualTo(declined);

    UUID never = UUID.randomUUID();
    assertThat(await(client.cancel(new PaymentOf(never)))).isEqualTo(new PaymentCancelled(never, Outcome.NONE));
    assertThat(failure(client.get(new PaymentOf(never))).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(client.charge(new Charge(never, UUID.randomUUID(), Money.eur(10)))).code())
        .as("the cancel's tombstone refuses a later charge").isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  @DisplayName("a request sent as its JSON is served as the record: the same reply for charge, get and cancel")
  void jsonIsTheSameRequest() {
    Charge charge = new Charge(UUID.randomUUID(), UUID.randomUUID(), Money.eur(999));
    Payment typed = await(client.charge(charge));
    assertSameAsJson(PaymentsContract.CHARGE, charge, typed);
    assertSameAsJson(PaymentsContract.GET, new PaymentOf(charge.orderId()), typed);
    PaymentCancelled cancelled = await(client.cancel(new PaymentOf(charge.orderId())));
    assertSameAsJson(PaymentsContract.CANCEL, new PaymentOf(charge.orderId()), cancelled);
  }

  /** The reply of {@code route} to {@code request} sent as plain JSON, read with the route's reader, equals {@code expected}. */
  private static <Q extends BusMessage, R> void assertSameAsJson(Route<Q, R> route, Q request, R expected) {
    Object reply = await(Bus.request(running.vertx(), route.address(), request.toJson(), DEADLINE));
    Object json = reply instanceof BusMessage message ? message.toJson() : reply;
    assertThat(route.readReply().apply(new JsonObject(((JsonObject) json).encode()))).as(route.address()).isEqualTo(expected);
  }

  /** What the handler answered, written as JSON and read with the route's reply reader, is the same record. */
  private static <R> void readsBack(Route<?, R> route, R reply) {
    JsonObject json = new JsonObject(((BusMessage) reply).toJson().encode());
    assertThat(route.readReply().apply(json)).as(route.address()).isEqualTo(reply);
  }
}
