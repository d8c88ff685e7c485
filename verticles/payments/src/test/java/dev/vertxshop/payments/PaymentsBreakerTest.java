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
 * The "payment-provider" circuit breaker against the real stand-in: it opens after N provider failures,
 * then fails fast without reaching the provider, closes once the provider is healthy again, ignores
 * declines, and shows its state on the node's /metrics.
 */
@DisplayName("payments: the payment-provider circuit breaker")
class PaymentsBreakerTest {

  private static final int MAX_FAILURES = 3;
  private static final Pattern STATE =
      Pattern.compile("(?m)^shop_circuit_breaker_state\\{name=\"payment-provider\",?\\} (\\S+)$");
  private static final Pattern FAILURES =
      Pattern.compile("(?m)^shop_circuit_breaker_failures\\{name=\"payment-provider\",?\\} (\\S+)$");

  private static Running running;
  private static TypedCalls client;
  private static ProviderAdmin provider;
  private static WebClient ops;

  @BeforeAll
  static void start() {
    running = PaymentsFixtures.start(Map.of(
        "SHOP_PAYMENTS_PROVIDER_TIMEOUT", "1s",
        // Retries 2: the first charge makes exactly MAX_FAILURES attempts, and the last one opens the breaker.
        "SHOP_PAYMENTS_RETRIES", "2",
        "SHOP_PAYMENTS_RETRY_BACKOFF", "10ms",
        "SHOP_PAYMENTS_BREAKER_MAX_FAILURES", String.valueOf(MAX_FAILURES),
        // Long enough for the fast-fail checks to run while it is open, even on a slow machine.
        "SHOP_PAYMENTS_BREAKER_RESET_TIMEOUT", "3s"));
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
  @DisplayName("failure rate 1: retries then UNAVAILABLE; the breaker opens, fails fast without the provider, and closes once it is healthy")
  void opensFailsFastAndCloses() {
    String failedOrder = newId();
    String userId = newId();
    provider.faults(new JsonObject().put("failureRate", 1.0));
    JsonObject before = provider.stats();

    ServiceException exhausted = failure(client.charge(failedOrder, userId, money(700)));
    // Within the reset timeout from here on: the breaker must still be open for what follows.
    String shortCircuited = newId();
    ServiceException fastFail = failure(client.charge(shortCircuited, userId, money(800)));
    JsonObject cancelled = await(client.cancel(shortCircuited));
    JsonObject afterFastFail = provider.stats();
    double stateWhileOpen = metric(STATE);

    assertThat(exhausted.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    // Exactly the attempts of the first charge reached the provider: neither the short-circuited
    // charge nor its cancel did, and no attempt was recorded for it.
    assertThat(afterFastFail.getLong("requests") - before.getLong("requests")).isEqualTo(MAX_FAILURES);
    assertThat(stateWhileOpen).isEqualTo(2.0);
    assertThat(fastFail.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(fastFail.getMessage()).contains("circuit breaker open");
    assertThat(cancelled.getString("status")).isEqualTo(PaymentCancelled.Outcome.NONE.name());
    assertThat(PaymentsFixtures.row(running.db(), shortCircuited).getBoolean("attempted")).isFalse();
    assertThat(PaymentsFixtures.row(running.db(), shortCircuited).getString("status")).isEqualTo(PaymentStatus.FAILED.name());

    provider.heal();
    String probe = newId();
    // Fails fast while open; after the reset timeout one call goes through, succeeds and closes it.
    JsonObject captured = eventually(Duration.ofSeconds(10), () -> {
      try {
        return await(client.charge(probe, userId, money(900)));
      } catch (AssertionError stillOpen) {
        return null;
      }
    });
    JsonObject retriedFailedOrder = await(client.charge(failedOrder, userId, money(700)));

    assertThat(captured.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(metric(STATE)).isEqualTo(0.0);
    assertThat(metric(FAILURES)).isEqualTo(0.0);
    assertThat(retriedFailedOrder.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
    assertThat(provider.charges(failedOrder)).hasSize(1);
    assertThat(provider.charges(probe)).hasSize(1);
  }

  @Test
  @DisplayName("declines are the provider working: any number of them leaves the breaker closed")
  void declinesDoNotCount() {
    provider.faults(new JsonObject().put("declineRate", 1.0));
    JsonObject before = provider.stats();

    for (int i = 0; i < MAX_FAILURES * 2; i++) {
      ServiceException declined = failure(client.charge(newId(), newId(), money(100)));
      assertThat(declined.code()).isEqualTo(ErrorCode.PAYMENT_DECLINED);
    }
    JsonObject after = provider.stats();
    provider.heal();
    JsonObject captured = await(client.charge(newId(), newId(), money(100)));

    assertThat(after.getLong("requests") - before.getLong("requests")).isEqualTo(MAX_FAILURES * 2L);
    assertThat(metric(STATE)).isEqualTo(0.0);
    assertThat(captured.getString("status")).isEqualTo(PaymentStatus.CAPTURED.name());
  }

  /** The value of a breaker gauge on the node's Prometheus endpoint. */
  private static double metric(Pattern pattern) {
    String text = await(ops.get(running.node().opsPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as("metric %s in /metrics", pattern).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
