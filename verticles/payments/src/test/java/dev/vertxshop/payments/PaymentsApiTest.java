package dev.vertxshop.payments;

import static dev.vertxshop.payments.PaymentsFixtures.await;
import static dev.vertxshop.payments.PaymentsFixtures.chargeBody;
import static dev.vertxshop.payments.PaymentsFixtures.eventually;
import static dev.vertxshop.payments.PaymentsFixtures.failure;
import static dev.vertxshop.payments.PaymentsFixtures.money;
import static dev.vertxshop.payments.PaymentsFixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentCancelled;
import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.testing.TopicReader;
import dev.vertxshop.platform.testing.TopicReader.Event;
import dev.vertxshop.payments.PaymentsFixtures.Counts;
import dev.vertxshop.payments.PaymentsFixtures.OutboxRow;
import dev.vertxshop.payments.PaymentsFixtures.Running;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * payments.* against the real provider stand-in over HTTP, with the breaker set never to open here
 * (its own class tests it): captures, idempotency, declines, outages, timeouts, lost answers, cancels.
 */
@DisplayName("payments: charge, cancel and get against the real provider stand-in")
class PaymentsApiTest {

  /** Per-attempt deadline in this class: short, so that timeouts are quick to provoke. */
  private static final int DEADLINE_MS = 700;

  private static Running running;
  private static TypedCalls client;
  private static ProviderAdmin provider;
  private static WebClient ops;

  @BeforeAll
  static void start() {
    running = PaymentsFixtures.start(Map.of(
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", DEADLINE_MS + "ms",
        "SHOP_PAYMENTS_RETRIES", "2",
        "SHOP_PAYMENTS_RETRY_BACKOFF", "20ms",
        "SHOP_PAYMENTS_BREAKER_MAX_FAILURES", "1000"));
    client = new TypedCalls(running.vertx(), Duration.ofSeconds(30));
    provider = running.provider();
    ops = WebClient.create(running.vertx());
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.stop();
    }
  }

  @AfterEach
  void heal() {
    provider.heal();
  }

  @Test
  @DisplayName("a charge captures once: reply CAPTURED, row CAPTURED, one capture at the provider, PaymentCaptured on Kafka")
  void capture() {
    String orderId = newId();
    String userId = newId();
    JsonObject before = provider.stats();

    JsonObject payment = await(client.charge(orderId, userId, money(4_200)));
    JsonObject after = provider.stats();
    JsonArray charges = provider.charges(orderId);

    assertThat(payment.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(payment.getString("orderId")).isEqualTo(orderId);
    assertThat(payment.getString("userId")).isEqualTo(userId);
    assertThat(payment.getJsonObject("amount")).isEqualTo(money(4_200));
    assertThat(payment.getString("id")).isNotBlank();
    assertThat(payment.getString("createdAt")).isNotBlank();
    assertThat(charges).hasSize(1);
    assertThat(payment.getString("providerReference")).isEqualTo(charges.getJsonObject(0).getString("id"));
    assertThat(after.getLong("captures") - before.getLong("captures")).isEqualTo(1);
    assertThat(after.getLong("capturedAmount") - before.getLong("capturedAmount")).isEqualTo(4_200);
    assertThat(PaymentsFixtures.row(running.db(), orderId).getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(await(client.get(orderId))).isEqualTo(payment);

    List<Event> events = publishedEvents(orderId, 1);
    assertThat(events.get(0).typeHeader()).isEqualTo(PaymentsContract.PAYMENT_CAPTURED);
    assertThat(events.get(0).key()).isEqualTo(orderId);
    assertThat(events.get(0).envelope().getJsonObject("data")).isEqualTo(payment);
    assertThat(events.get(0).eventIdHeader()).isEqualTo(events.get(0).envelope().getString("eventId"));
  }

  @Test
  @DisplayName("charging the same order again, or concurrently, returns the same payment: one capture, one event")
  void idempotentCharge() {
    String orderId = newId();
    String userId = newId();
    JsonObject before = provider.stats();

    JsonObject first = await(client.charge(orderId, userId, money(990)));
    JsonObject second = await(client.charge(orderId, userId, money(990)));
    List<Future<JsonObject>> concurrent = new ArrayList<>();
    String otherOrder = newId();
    for (int i = 0; i < 4; i++) {
      concurrent.add(client.charge(otherOrder, userId, money(500)));
    }
    await(Future.all(concurrent));
    JsonObject after = provider.stats();

    assertThat(second).isEqualTo(first);
    assertThat(concurrent).allSatisfy(reply -> assertThat(reply.result().getString("providerReference"))
        .isEqualTo(concurrent.get(0).result().getString("providerReference")));
    assertThat(provider.charges(orderId)).hasSize(1);
    assertThat(provider.charges(otherOrder)).hasSize(1);
    assertThat(after.getLong("captures") - before.getLong("captures")).isEqualTo(2);
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_CAPTURED);
    assertThat(PaymentsFixtures.outboxFor(running.db(), otherOrder)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_CAPTURED);
  }

  @Test
  @DisplayName("a decline fails PAYMENT_DECLINED, captures nothing, emits PaymentDeclined; asking again does not call the provider")
  void decline() {
    String orderId = newId();
    String userId = newId();
    provider.faults(new JsonObject().put("declineRate", 1.0));

    ServiceException declined = failure(client.charge(orderId, userId, money(1_500)));
    provider.heal();
    long requests = provider.stats().getLong("requests");
    ServiceException again = failure(client.charge(orderId, userId, money(1_500)));
    JsonObject cancelled = await(client.cancel(orderId));
    JsonObject payment = await(client.get(orderId));

    assertThat(declined.code()).isEqualTo(ErrorCode.PAYMENT_DECLINED);
    assertThat(declined.getMessage()).contains("card_declined");
    assertThat(again.code()).isEqualTo(ErrorCode.PAYMENT_DECLINED);
    assertThat(cancelled.getString("status")).isEqualTo(PaymentCancelled.Outcome.NONE.name());
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
    assertThat(provider.netCaptured(orderId)).isZero();
    assertThat(provider.charges(orderId)).singleElement()
        .satisfies(charge -> assertThat(((JsonObject) charge).getString("status")).isEqualTo("declined"));
    assertThat(payment.getString("status")).isEqualTo(PaymentStatus.DECLINED.name());
    assertThat(payment.getString("declineReason")).isEqualTo("card_declined");
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_DECLINED);
  }

  @Test
  @DisplayName("provider answering 500: three attempts with one key, then UNAVAILABLE; a later charge of the order captures once")
  void serverErrorsThenRecovery() {
    String orderId = newId();
    String userId = newId();
    provider.faults(new JsonObject().put("failureRate", 1.0));
    JsonObject before = provider.stats();

    ServiceException unavailable = failure(client.charge(orderId, userId, money(300)));
    JsonObject after = provider.stats();
    JsonObject pending = await(client.get(orderId));
    provider.heal();
    JsonObject captured = await(client.charge(orderId, userId, money(300)));

    assertThat(unavailable.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(unavailable.getMessage()).contains("HTTP 500").contains("3 attempt");
    assertThat(after.getLong("requests") - before.getLong("requests")).isEqualTo(3);
    assertThat(after.getLong("failuresInjected") - before.getLong("failuresInjected")).isEqualTo(3);
    assertThat(pending.getString("status")).isEqualTo(PaymentStatus.PENDING.name());
    assertThat(captured.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(provider.charges(orderId)).hasSize(1);
  }

  @Test
  @DisplayName("provider outage (connection refused): UNAVAILABLE; the cancel afterwards finds nothing and the order cannot be charged again")
  void outage() {
    String orderId = newId();
    String userId = newId();
    provider.faults(new JsonObject().put("outage", true));

    ServiceException unavailable = failure(client.charge(orderId, userId, money(800)));
    ServiceException cancelDuringOutage = failure(client.cancel(orderId));
    JsonObject rowDuringOutage = PaymentsFixtures.row(running.db(), orderId);
    provider.heal();
    JsonObject cancelled = await(client.cancel(orderId));
    ServiceException chargeAfterCancel = failure(client.charge(orderId, userId, money(800)));

    assertThat(unavailable.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(unavailable.getMessage()).contains("unreachable");
    assertThat(cancelDuringOutage.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(rowDuringOutage.getString("status")).isEqualTo(PaymentStatus.PENDING.name());
    assertThat(rowDuringOutage.getBoolean("attempted")).isTrue();
    assertThat(cancelled.getString("status")).isEqualTo(PaymentCancelled.Outcome.NONE.name());
    assertThat(PaymentsFixtures.row(running.db(), orderId).getString("status")).isEqualTo(PaymentStatus.FAILED.name());
    assertThat(chargeAfterCancel.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(provider.charges(orderId)).isEmpty();
  }

  @Test
  @DisplayName("a provider slower than the deadline: TIMEOUT (outcome unknown); the cancel refunds the capture it made; net captured 0")
  void slowProviderThenCancel() {
    String orderId = newId();
    String userId = newId();
    provider.faults(new JsonObject().put("latencyMs", DEADLINE_MS * 3));
    JsonObject before = provider.stats();

    ServiceException timeout = failure(client.charge(orderId, userId, money(2_750)));
    provider.heal();
    JsonObject cancelled = await(client.cancel(orderId));
    long requestsAfterCancel = provider.stats().getLong("requests");
    JsonObject cancelledAgain = await(client.cancel(orderId));
    JsonObject after = provider.stats();

    assertThat(timeout.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(cancelled.getString("status")).isEqualTo(PaymentStatus.REFUNDED.name());
    assertThat(cancelledAgain).isEqualTo(cancelled);
    assertThat(after.getLong("requests")).isEqualTo(requestsAfterCancel);
    assertThat(provider.charges(orderId)).singleElement()
        .satisfies(charge -> assertThat(((JsonObject) charge).getBoolean("refunded")).isTrue());
    assertThat(provider.netCaptured(orderId)).isZero();
    assertThat(after.getLong("captures") - before.getLong("captures")).isEqualTo(1);
    assertThat(after.getLong("netCapturedAmount") - before.getLong("netCapturedAmount")).isZero();
    JsonObject payment = await(client.get(orderId));
    assertThat(payment.getString("status")).isEqualTo(PaymentStatus.REFUNDED.name());
    assertThat(payment.getString("providerReference")).isEqualTo(provider.charges(orderId).getJsonObject(0).getString("id"));
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_REFUNDED);
  }

  @Test
  @DisplayName("lost answer: the provider captured but the answer missed the deadline; the retry with the same key gets the same charge")
  void lostAnswerRetried() {
    String orderId = newId();
    String userId = newId();
    provider.faults(new JsonObject().put("latencyMs", 5_000));
    JsonObject before = provider.stats();

    Future<JsonObject> charging = client.charge(orderId, userId, money(1_234));
    // The capture exists as soon as the first attempt arrived; make the retries fast from then on.
    String chargeId = eventually(Duration.ofSeconds(5), () -> provider.charges(orderId).isEmpty()
        ? null : provider.charges(orderId).getJsonObject(0).getString("id"));
    provider.faults(new JsonObject().put("latencyMs", 0));
    JsonObject payment = await(charging);
    JsonObject after = provider.stats();

    assertThat(payment.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(payment.getString("providerReference")).isEqualTo(chargeId);
    assertThat(provider.charges(orderId)).hasSize(1);
    assertThat(after.getLong("captures") - before.getLong("captures")).isEqualTo(1);
    assertThat(after.getLong("requests") - before.getLong("requests")).isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("a cancel racing a charge in flight: the late capture is refunded, the charge fails CONFLICT, nothing stays captured")
  void cancelDuringCharge() {
    String orderId = newId();
    String userId = newId();
    // Slow but within the deadline: the charge's answer comes back after the cancel has begun. (Should
    // the answer miss the deadline on a slow machine, the retry finds the cancel begun: same outcome.)
    provider.faults(new JsonObject().put("latencyMs", DEADLINE_MS * 5 / 7));
    JsonObject before = provider.stats();

    Future<JsonObject> charging = client.charge(orderId, userId, money(3_100));
    eventually(Duration.ofSeconds(5), () -> provider.charges(orderId).isEmpty() ? null : true);
    JsonObject cancelled = await(client.cancel(orderId));
    ServiceException charge = failure(charging);
    JsonObject after = provider.stats();

    assertThat(cancelled.getString("status")).isEqualTo(PaymentStatus.REFUNDED.name());
    assertThat(charge.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(provider.netCaptured(orderId)).isZero();
    assertThat(after.getLong("captures") - before.getLong("captures")).isEqualTo(1);
    assertThat(after.getLong("refunds") - before.getLong("refunds")).isEqualTo(1);
    assertThat(await(client.get(orderId)).getString("status")).isEqualTo(PaymentStatus.REFUNDED.name());
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_REFUNDED);
  }

  @Test
  @DisplayName("cancel of a captured payment refunds it (PaymentRefunded); a charge afterwards is CONFLICT")
  void cancelCaptured() {
    String orderId = newId();
    String userId = newId();
    JsonObject captured = await(client.charge(orderId, userId, money(5_000)));

    JsonObject cancelled = await(client.cancel(orderId));
    double refusedBefore = refused("cancelled");
    ServiceException chargeAgain = failure(client.charge(orderId, userId, money(5_000)));

    assertThat(cancelled).isEqualTo(new JsonObject().put("orderId", orderId).put("status", PaymentStatus.REFUNDED.name()));
    assertThat(provider.netCaptured(orderId)).isZero();
    assertThat(chargeAgain.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(refused("cancelled") - refusedBefore).as("shop_payments_charges_refused_total{reason=cancelled}").isEqualTo(1.0);
    List<OutboxRow> outbox = PaymentsFixtures.outboxFor(running.db(), orderId);
    assertThat(outbox).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_CAPTURED, PaymentsContract.PAYMENT_REFUNDED);
    assertThat(outbox.get(1).payload().getString("providerReference")).isEqualTo(captured.getString("providerReference"));
  }

  @Test
  @DisplayName("cancel of an order never charged: NONE, no provider call, no event, only its tombstone written")
  void cancelNeverCharged() {
    String orderId = newId();
    long requests = provider.stats().getLong("requests");
    Counts before = PaymentsFixtures.counts(running.db());

    JsonObject cancelled = await(client.cancel(orderId));
    JsonObject cancelledAgain = await(client.cancel(orderId));

    assertThat(cancelled).isEqualTo(new JsonObject().put("orderId", orderId).put("status", PaymentCancelled.Outcome.NONE.name()));
    assertThat(cancelledAgain).isEqualTo(cancelled);
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
    assertThat(PaymentsFixtures.counts(running.db())).isEqualTo(new Counts(before.payments() + 1, before.outbox()));
    assertThat(PaymentsFixtures.row(running.db(), orderId).getString("status")).isEqualTo(PaymentRow.TOMBSTONE);
    assertThat(failure(client.get(orderId)).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  @DisplayName("a charge delivered after its order's cancel is refused CONFLICT: no provider call, nothing captured, no event")
  void chargeAfterCancel() {
    String orderId = newId();
    String userId = newId();
    long requests = provider.stats().getLong("requests");

    JsonObject cancelled = await(client.cancel(orderId));
    double refusedBefore = refused("tombstone");
    ServiceException late = failure(client.charge(orderId, userId, money(2_500)));
    ServiceException lateAgain = failure(client.charge(orderId, userId, money(2_500)));

    assertThat(cancelled.getString("status")).isEqualTo(PaymentCancelled.Outcome.NONE.name());
    assertThat(late.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(late.getMessage()).contains("cancelled before it was charged");
    assertThat(lateAgain.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(refused("tombstone") - refusedBefore).as("shop_payments_charges_refused_total{reason=tombstone}").isEqualTo(2.0);
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
    assertThat(provider.charges(orderId)).isEmpty();
    JsonObject row = PaymentsFixtures.row(running.db(), orderId);
    assertThat(row.getString("status")).isEqualTo(PaymentRow.TOMBSTONE);
    assertThat(row.getBoolean("attempted")).isFalse();
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).isEmpty();
  }

  @Test
  @DisplayName("a cancel and a charge of the same order at once, 40 times: never a capture left, whoever wins")
  void cancelRacesCharge() {
    int rounds = 40;
    Map<String, Integer> outcomes = new TreeMap<>();
    JsonObject before = provider.stats();
    for (int round = 0; round < rounds; round++) {
      String orderId = newId();
      Future<JsonObject> charging = client.charge(orderId, newId(), money(700));
      Future<JsonObject> cancelling = client.cancel(orderId);
      await(Future.join(charging, cancelling).otherwiseEmpty());
      // As the saga does: a cancel that could not finish (a capture arrived meanwhile) is asked again.
      for (int retry = 0; cancelling.failed() && retry < 5; retry++) {
        cancelling = client.cancel(orderId);
        await(cancelling.otherwiseEmpty());
      }
      assertThat(cancelling.succeeded()).as("cancel of %s: %s", orderId, cancelling.cause()).isTrue();
      String outcome = (charging.succeeded() ? "charge CAPTURED" : "charge " + ServiceException.from(charging.cause()).code())
          + ", cancel " + cancelling.result().getString("status");
      outcomes.merge(outcome, 1, Integer::sum);
      assertThat(provider.netCaptured(orderId)).as("net captured for %s (%s)", orderId, outcome).isZero();
      assertThat(PaymentsFixtures.row(running.db(), orderId).getString("status")).as(outcome)
          .isIn(PaymentRow.TOMBSTONE, PaymentStatus.FAILED.name(), PaymentStatus.REFUNDED.name());
    }
    JsonObject after = provider.stats();
    System.out.println("cancel racing charge, " + rounds + " rounds: " + outcomes);
    assertThat(after.getLong("netCapturedAmount") - before.getLong("netCapturedAmount")).isZero();
  }

  @Test
  @DisplayName("the same order with another amount or user is CONFLICT, and the first payment stays as it was")
  void conflictingCharge() {
    String orderId = newId();
    String userId = newId();
    JsonObject first = await(client.charge(orderId, userId, money(100)));

    ServiceException otherAmount = failure(client.charge(orderId, userId, money(101)));
    ServiceException otherUser = failure(client.charge(orderId, newId(), money(100)));

    assertThat(otherAmount.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(otherUser.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(await(client.get(orderId))).isEqualTo(first);
    assertThat(provider.charges(orderId)).hasSize(1);
  }

  static Stream<Arguments> invalidCharges() {
    String order = newId();
    String user = newId();
    return Stream.of(
        Arguments.of("not an object", "charge me", "JSON object"),
        Arguments.of("missing orderId", new JsonObject().put("userId", user).put("amount", money(1)), "orderId"),
        Arguments.of("orderId not a UUID", chargeBody("order-1", user, 1), "orderId"),
        Arguments.of("short-form UUID", chargeBody("1-1-1-1-1", user, 1), "orderId"),
        Arguments.of("orderId a number", chargeBody(order, user, 1).put("orderId", 42), "orderId"),
        Arguments.of("missing userId", new JsonObject().put("orderId", order).put("amount", money(1)), "userId"),
        Arguments.of("missing amount", new JsonObject().put("orderId", order).put("userId", user), "amount"),
        Arguments.of("amount a number", chargeBody(order, user, 1).put("amount", 100), "amount"),
        Arguments.of("amount 0", chargeBody(order, user, 0), "amount.amount"),
        Arguments.of("negative amount", chargeBody(order, user, -100), "amount.amount"),
        Arguments.of("fractional amount", chargeBody(order, user, 1).put("amount", new JsonObject().put("amount", 12.5).put("currency", "EUR")), "amount.amount"),
        Arguments.of("amount as text", chargeBody(order, user, 1).put("amount", new JsonObject().put("amount", "100").put("currency", "EUR")), "amount.amount"),
        Arguments.of("amount too large", chargeBody(order, user, Charge.MAX_AMOUNT + 1), "amount.amount"),
        Arguments.of("other currency", chargeBody(order, user, 1).put("amount", new JsonObject().put("amount", 1).put("currency", "USD")), "currency"),
        Arguments.of("missing currency", chargeBody(order, user, 1).put("amount", new JsonObject().put("amount", 1)), "currency"),
        Arguments.of("unknown field", chargeBody(order, user, 1).put("coupon", "FREE"), "coupon"),
        Arguments.of("unknown money field", chargeBody(order, user, 1).put("amount", money(1).put("fx", 1)), "amount.fx"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCharges")
  @DisplayName("an invalid charge is BAD_REQUEST naming the field: no row, no event, no provider call")
  void invalidCharge(String description, Object body, String mentioned) {
    Counts before = PaymentsFixtures.counts(running.db());
    long requests = provider.stats().getLong("requests");

    ServiceException error = failure(Bus.request(running.vertx(), PaymentsContract.CHARGE.address(), body, Duration.ofSeconds(10)));

    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(mentioned);
    assertThat(PaymentsFixtures.counts(running.db())).isEqualTo(before);
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
  }

  static Stream<Arguments> invalidOrderRequests() {
    return Stream.of(PaymentsContract.CANCEL.address(), PaymentsContract.GET.address()).flatMap(address -> Stream.of(
        Arguments.of(address, "a string", "JSON object"),
        Arguments.of(address, new JsonObject(), "orderId"),
        Arguments.of(address, new JsonObject().put("orderId", "nope"), "orderId"),
        Arguments.of(address, new JsonObject().put("orderId", newId()).put("extra", true), "extra")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("invalidOrderRequests")
  @DisplayName("an invalid cancel or get is BAD_REQUEST: nothing written, no provider call")
  void invalidOrderRequest(String address, Object body, String mentioned) {
    Counts before = PaymentsFixtures.counts(running.db());
    long requests = provider.stats().getLong("requests");

    ServiceException error = failure(Bus.request(running.vertx(), address, body, Duration.ofSeconds(10)));

    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(mentioned);
    assertThat(PaymentsFixtures.counts(running.db())).isEqualTo(before);
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
  }

  /** {@code shop_payments_charges_refused_total{reason}} on the node's /metrics; 0 before the first refusal. */
  private static double refused(String reason) {
    String text = await(ops.get(running.node().opsPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    Matcher matcher = Pattern.compile("(?m)^shop_payments_charges_refused_total\\{reason=\"" + reason + "\",?\\} (\\S+)$").matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  /** The order's events on Kafka, once its outbox rows (there must be {@code expected}) are published. */
  private static List<Event> publishedEvents(String orderId, int expected) {
    eventually(Duration.ofSeconds(20), () -> {
      var rows = await(running.db().preparedQuery("SELECT count(*) FROM outbox WHERE event_key = $1 AND published_at IS NOT NULL")
          .execute(io.vertx.sqlclient.Tuple.of(orderId)));
      return rows.iterator().next().getLong(0) == expected ? true : null;
    });
    List<Event> events = TopicReader.eventsFor(running.env().string("KAFKA_BOOTSTRAP_SERVERS", null), PaymentsContract.EVENTS_TOPIC, orderId);
    assertThat(events).hasSize(expected);
    return events;
  }
}
