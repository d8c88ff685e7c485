package dev.vertxshop.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("payments configuration from SHOP_PAYMENTS_* variables")
class PaymentsConfigTest {

  @Test
  @DisplayName("defaults suit a local run next to the stand-in on 8090")
  void defaults() {
    PaymentsConfig config = PaymentsConfig.from(Env.of(Map.of()));
    assertThat(config).isEqualTo(new PaymentsConfig(URI.create("http://127.0.0.1:8090"), Duration.ofSeconds(2), 2,
        Duration.ofMillis(100), 32, 5, Duration.ofSeconds(5), Duration.ofSeconds(10), new OutboxSettings(Duration.ofSeconds(1), 256,
        Duration.ofMinutes(60)), Duration.ofSeconds(5), 16, Duration.ofSeconds(5), Duration.ofMinutes(5), 5));
    assertThat(config.providerHost()).isEqualTo("127.0.0.1");
    assertThat(config.providerPort()).isEqualTo(8090);
    assertThat(config.providerSsl()).isFalse();
    // 3 attempts of 2 s, pauses of 100 and 200 ms.
    assertThat(config.worstCaseCharge()).isEqualTo(Duration.ofMillis(6_300));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    PaymentsConfig config = PaymentsConfig.from(Env.of(Map.ofEntries(
        Map.entry("SHOP_PAYMENTS_PROVIDER_URL", "https://psp.example.com"),
        Map.entry("SHOP_PAYMENTS_PROVIDER_TIMEOUT", "750ms"),
        Map.entry("SHOP_PAYMENTS_RETRIES", "0"),
        Map.entry("SHOP_PAYMENTS_RETRY_BACKOFF", "0"),
        Map.entry("SHOP_PAYMENTS_PROVIDER_CONNECTIONS", "8"),
        Map.entry("SHOP_PAYMENTS_BREAKER_MAX_FAILURES", "10"),
        Map.entry("SHOP_PAYMENTS_BREAKER_RESET_TIMEOUT", "30s"),
        Map.entry("SHOP_PAYMENTS_BREAKER_WINDOW", "1m"),
        Map.entry("SHOP_PAYMENTS_OUTBOX_POLL", "250ms"),
        Map.entry("SHOP_PAYMENTS_OUTBOX_BATCH", "50"),
        Map.entry("SHOP_PAYMENTS_OUTBOX_RETENTION", "30m"),
        Map.entry("SHOP_PAYMENTS_REFUND_SWEEP_INTERVAL", "1s"),
        Map.entry("SHOP_PAYMENTS_REFUND_SWEEP_BATCH", "4"),
        Map.entry("SHOP_PAYMENTS_REFUND_BACKOFF", "2s"),
        Map.entry("SHOP_PAYMENTS_REFUND_BACKOFF_MAX", "1m"),
        Map.entry("SHOP_PAYMENTS_CANCEL_RECHECKS", "2"))));
    assertThat(config).isEqualTo(new PaymentsConfig(URI.create("https://psp.example.com"), Duration.ofMillis(750), 0,
        Duration.ZERO, 8, 10, Duration.ofSeconds(30), Duration.ofMinutes(1), new OutboxSettings(Duration.ofMillis(250), 50,
        Duration.ofMinutes(30)), Duration.ofSeconds(1), 4, Duration.ofSeconds(2), Duration.ofMinutes(1), 2));
    assertThat(config.providerPort()).isEqualTo(443);
    assertThat(config.providerSsl()).isTrue();
    assertThat(config.worstCaseCharge()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  @DisplayName("a refund backoff ceiling below the first backoff is refused, naming the ceiling")
  void refundBackoffCeiling() {
    assertThatThrownBy(() -> PaymentsConfig.from(Env.of(Map.of("SHOP_PAYMENTS_REFUND_BACKOFF", "10s",
        "SHOP_PAYMENTS_REFUND_BACKOFF_MAX", "5s"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_PAYMENTS_REFUND_BACKOFF_MAX:");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_PAYMENTS_PROVIDER_URL, 127.0.0.1:8090",
      "SHOP_PAYMENTS_PROVIDER_URL, ftp://psp",
      "SHOP_PAYMENTS_PROVIDER_URL, http://psp:8090/api",
      "SHOP_PAYMENTS_PROVIDER_URL, http://psp?x=1",
      "SHOP_PAYMENTS_PROVIDER_URL, http:// bad",
      "SHOP_PAYMENTS_PROVIDER_TIMEOUT, 10ms",
      "SHOP_PAYMENTS_PROVIDER_TIMEOUT, soon",
      "SHOP_PAYMENTS_RETRIES, 6",
      "SHOP_PAYMENTS_RETRIES, -1",
      "SHOP_PAYMENTS_RETRY_BACKOFF, 11s",
      "SHOP_PAYMENTS_PROVIDER_CONNECTIONS, 0",
      "SHOP_PAYMENTS_BREAKER_MAX_FAILURES, 0",
      "SHOP_PAYMENTS_BREAKER_RESET_TIMEOUT, 50ms",
      "SHOP_PAYMENTS_BREAKER_WINDOW, 500ms",
      "SHOP_PAYMENTS_OUTBOX_POLL, 1ms",
      "SHOP_PAYMENTS_OUTBOX_BATCH, 0",
      "SHOP_PAYMENTS_OUTBOX_RETENTION, 10s",
      "SHOP_PAYMENTS_REFUND_SWEEP_INTERVAL, 10ms",
      "SHOP_PAYMENTS_REFUND_SWEEP_BATCH, 0",
      "SHOP_PAYMENTS_REFUND_BACKOFF, 50ms",
      "SHOP_PAYMENTS_REFUND_BACKOFF_MAX, 25h",
      "SHOP_PAYMENTS_CANCEL_RECHECKS, 101"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> PaymentsConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }
}
