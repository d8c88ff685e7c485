package dev.vertxshop.payments;

import static dev.vertxshop.payments.PaymentsFixtures.await;
import static dev.vertxshop.payments.PaymentsFixtures.eventually;
import static dev.vertxshop.payments.PaymentsFixtures.failure;
import static dev.vertxshop.payments.PaymentsFixtures.money;
import static dev.vertxshop.payments.PaymentsFixtures.newId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentCancelled;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.payments.PaymentsFixtures.OutboxRow;
import dev.vertxshop.payments.PaymentsFixtures.Running;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The refund sweeper against the real stand-in: a cancel whose refund fails at the provider stays a
 * pending compensation, is retried with backoff by the sweeper until the provider refunds, and the
 * pending-refunds gauge on /metrics follows it.
 */
@DisplayName("payments: failed refunds are retried by the refund sweeper until they succeed")
class RefundSweeperTest {

  private static final Pattern PENDING = Pattern.compile("(?m)^shop_payments_refunds_pending\\S* (\\S+)$");
  private static final Pattern ATTENTION = Pattern.compile("(?m)^shop_payments_needing_attention\\S* (\\S+)$");
  private static final Pattern SETTLED = Pattern.compile("(?m)^shop_payments_refund_tries_total\\{outcome=\"settled\",?\\} (\\S+)$");

  private static Running running;
  private static TypedCalls client;
  private static ProviderAdmin provider;
  private static WebClient ops;

  @BeforeAll
  static void start() {
    running = PaymentsFixtures.start(Map.of(
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", "1s",
        "SHOP_PAYMENTS_RETRIES", "1",
        "SHOP_PAYMENTS_RETRY_BACKOFF", "10ms",
        // The breaker is not what this class looks at: refunds failing on purpose must not open it.
        "SHOP_PAYMENTS_BREAKER_MAX_FAILURES", "1000",
        "SHOP_PAYMENTS_REFUND_SWEEP_INTERVAL", "200ms",
        "SHOP_PAYMENTS_REFUND_BACKOFF", "300ms",
        "SHOP_PAYMENTS_REFUND_BACKOFF_MAX", "1s",
        // About 20 s of rechecks after a cancel that found nothing: longer than the provider's queue below.
        "SHOP_PAYMENTS_CANCEL_RECHECKS", "20"));
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
  @DisplayName("refunds fail at the provider: the cancel fails, the sweeper retries with backoff, refunds once the provider recovers, the gauge goes back to 0")
  void failedRefundRetriedUntilDone() {
    String orderId = newId();
    JsonObject captured = await(client.charge(orderId, newId(), money(6_600)));
    provider.faults(new JsonObject().put("refundFailureRate", 1.0));
    long settledBefore = (long) metric(SETTLED);

    ServiceException cancel = failure(client.cancel(orderId));
    JsonObject pendingRow = PaymentsFixtures.row(running.db(), orderId);
    // The sweeper keeps trying while the provider keeps failing: the tries are counted on the row.
    JsonObject retriedRow = eventually(Duration.ofSeconds(30), () -> {
      JsonObject row = PaymentsFixtures.row(running.db(), orderId);
      return row.getInteger("refundAttempts") >= 3 ? row : null;
    });
    double gaugeWhileFailing = eventually(Duration.ofSeconds(10), () -> metric(PENDING) >= 1 ? metric(PENDING) : null);
    long refundsBefore = provider.stats().getLong("refunds");
    provider.faults(new JsonObject().put("refundFailureRate", 0.0));
    JsonObject refundedRow = eventually(Duration.ofSeconds(30), () -> {
      JsonObject row = PaymentsFixtures.row(running.db(), orderId);
      return PaymentStatus.REFUNDED.name().equals(row.getString("status")) ? row : null;
    });
    double gaugeAfter = eventually(Duration.ofSeconds(30), () -> metric(PENDING) == 0 ? 0.0 : null);
    long requests = provider.stats().getLong("requests");
    JsonObject cancelAgain = await(client.cancel(orderId));

    assertThat(cancel.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(pendingRow.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(pendingRow.getBoolean("refundPending")).isTrue();
    assertThat(pendingRow.getInteger("refundAttempts")).isEqualTo(1);
    assertThat(retriedRow.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(retriedRow.getString("refundError")).contains("HTTP 500");
    assertThat(gaugeWhileFailing).isGreaterThanOrEqualTo(1.0);
    assertThat(refundedRow.getBoolean("refundPending")).isFalse();
    assertThat(refundedRow.getString("providerChargeId")).isEqualTo(captured.getString("providerReference"));
    assertThat(provider.netCaptured(orderId)).isZero();
    assertThat(provider.stats().getLong("refunds") - refundsBefore).isEqualTo(1);
    assertThat(gaugeAfter).isZero();
    assertThat((long) metric(SETTLED) - settledBefore).isGreaterThanOrEqualTo(1);
    assertThat(cancelAgain.getString("status")).isEqualTo(PaymentStatus.REFUNDED.name());
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_CAPTURED, PaymentsContract.PAYMENT_REFUNDED);
    System.out.println("refund sweeper: " + retriedRow.getInteger("refundAttempts") + "+ failed tries, then refunded; gauge "
        + gaugeWhileFailing + " -> " + gaugeAfter);
  }

  @Test
  @DisplayName("capture after lookup: the provider processes a timed-out charge only after the cancel found nothing; a recheck finds and refunds it")
  void captureAfterLookupRefunded() {
    String orderId = newId();
    // Longer than both attempts (1 s each): the charge times out, the cancel looks before the capture exists.
    provider.faults(new JsonObject().put("processingDelayMs", 5_000));

    ServiceException timeout = failure(client.charge(orderId, newId(), money(1_900)));
    JsonObject cancelled = await(client.cancel(orderId));
    int chargesAtCancel = provider.charges(orderId).size();
    JsonObject failedRow = PaymentsFixtures.row(running.db(), orderId);
    JsonObject refundedRow = eventually(Duration.ofSeconds(40), () -> {
      JsonObject row = PaymentsFixtures.row(running.db(), orderId);
      return PaymentStatus.REFUNDED.name().equals(row.getString("status")) ? row : null;
    });

    assertThat(timeout.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(cancelled.getString("status")).isEqualTo(PaymentCancelled.Outcome.NONE.name());
    assertThat(chargesAtCancel).isZero();
    assertThat(failedRow.getString("status")).isEqualTo(PaymentStatus.FAILED.name());
    assertThat(failedRow.getBoolean("refundPending")).isTrue();
    assertThat(provider.charges(orderId)).singleElement()
        .satisfies(charge -> assertThat(((JsonObject) charge).getBoolean("refunded")).isTrue());
    assertThat(provider.netCaptured(orderId)).isZero();
    assertThat(refundedRow.getBoolean("refundPending")).isFalse();
    assertThat(PaymentsFixtures.outboxFor(running.db(), orderId)).extracting(OutboxRow::type)
        .containsExactly(PaymentsContract.PAYMENT_REFUNDED);
  }

  @Test
  @DisplayName("the provider forgets a capture: the cancel marks the payment NEEDS_ATTENTION (CONFLICT), the gauge shows it, nobody loops on it")
  void forgottenCaptureNeedsAttention() throws InterruptedException {
    String orderId = newId();
    JsonObject captured = await(client.charge(orderId, newId(), money(4_400)));
    provider.forget();

    ServiceException cancel = failure(client.cancel(orderId));
    JsonObject row = PaymentsFixtures.row(running.db(), orderId);
    long requests = provider.stats().getLong("requests");
    ServiceException cancelAgain = failure(client.cancel(orderId));
    ServiceException chargeAgain = failure(client.charge(orderId, captured.getString("userId"), money(4_400)));
    double gauge = eventually(Duration.ofSeconds(10), () -> metric(ATTENTION) >= 1 ? metric(ATTENTION) : null);
    // Several sweeps: none of them may try this payment again.
    Thread.sleep(1_500);
    JsonObject payment = await(client.get(orderId));

    assertThat(cancel.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(cancel.getMessage()).contains("needs attention").contains(captured.getString("providerReference"));
    assertThat(row.getString("status")).isEqualTo(PaymentStatus.NEEDS_ATTENTION.name());
    assertThat(row.getBoolean("refundPending")).isFalse();
    assertThat(cancelAgain.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(chargeAgain.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(provider.stats().getLong("requests")).isEqualTo(requests);
    assertThat(gauge).isGreaterThanOrEqualTo(1.0);
    assertThat(payment.getString("status")).isEqualTo(PaymentStatus.NEEDS_ATTENTION.name());
    assertThat(payment.getString("attentionReason")).contains("no record of charge");
  }

  /** A payments metric on the node's Prometheus endpoint; 0 when the series has no sample yet. */
  private static double metric(Pattern pattern) {
    String text = await(ops.get(running.node().opsPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
