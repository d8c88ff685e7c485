package dev.vertxshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("orders configuration from SHOP_ORDERS_* variables")
class OrdersConfigTest {

  @Test
  @DisplayName("defaults suit a local run")
  void defaults() {
    assertThat(OrdersConfig.from(Env.of(Map.of()))).isEqualTo(new OrdersConfig(2, Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(1), 32, 3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(3),
        Duration.ofSeconds(15), new OutboxSettings(Duration.ofSeconds(1), 256, Duration.ofMinutes(60)), 20, Duration.ofMinutes(15),
        Duration.ofMinutes(1), Duration.ofSeconds(15), Duration.ofDays(7), Duration.ofMinutes(10)));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    Map<String, String> vars = Map.ofEntries(
        Map.entry("SHOP_ORDERS_INSTANCES", "4"),
        Map.entry("SHOP_ORDERS_REPLY_BUDGET", "0"),
        Map.entry("SHOP_ORDERS_SAGA_LEASE", "2s"),
        Map.entry("SHOP_ORDERS_SWEEP_INTERVAL", "200ms"),
        Map.entry("SHOP_ORDERS_SWEEP_BATCH", "8"),
        Map.entry("SHOP_ORDERS_STEP_ATTEMPTS", "5"),
        Map.entry("SHOP_ORDERS_STEP_BACKOFF", "50ms"),
        Map.entry("SHOP_ORDERS_RETRY_LATER", "1s"),
        Map.entry("SHOP_ORDERS_CALL_DEADLINE", "750ms"),
        Map.entry("SHOP_ORDERS_PAYMENT_DEADLINE", "30s"),
        Map.entry("SHOP_ORDERS_OUTBOX_POLL", "250ms"),
        Map.entry("SHOP_ORDERS_OUTBOX_BATCH", "50"),
        Map.entry("SHOP_ORDERS_OUTBOX_RETENTION", "30m"),
        Map.entry("SHOP_ORDERS_STEP_RUNS", "4"),
        Map.entry("SHOP_ORDERS_SAGA_MAX_AGE", "90s"),
        Map.entry("SHOP_ORDERS_ATTENTION_RETRY", "2m"),
        Map.entry("SHOP_ORDERS_ATTENTION_SAMPLE", "500ms"),
        Map.entry("SHOP_ORDERS_IDEMPOTENCY_RETENTION", "1440m"),
        Map.entry("SHOP_ORDERS_IDEMPOTENCY_PRUNE_INTERVAL", "30s"));
    assertThat(OrdersConfig.from(Env.of(vars))).isEqualTo(new OrdersConfig(4, Duration.ZERO, Duration.ofSeconds(2),
        Duration.ofMillis(200), 8, 5, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(750),
        Duration.ofSeconds(30), new OutboxSettings(Duration.ofMillis(250), 50, Duration.ofMinutes(30)), 4, Duration.ofSeconds(90),
        Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ofDays(1), Duration.ofSeconds(30)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_ORDERS_INSTANCES, 0",
      "SHOP_ORDERS_INSTANCES, many",
      "SHOP_ORDERS_REPLY_BUDGET, soon",
      "SHOP_ORDERS_REPLY_BUDGET, 3m",
      "SHOP_ORDERS_SAGA_LEASE, 100ms",
      "SHOP_ORDERS_SWEEP_INTERVAL, 10ms",
      "SHOP_ORDERS_SWEEP_INTERVAL, 11s",
      "SHOP_ORDERS_SWEEP_BATCH, 0",
      "SHOP_ORDERS_STEP_ATTEMPTS, 21",
      "SHOP_ORDERS_STEP_BACKOFF, 0",
      "SHOP_ORDERS_RETRY_LATER, 1ms",
      "SHOP_ORDERS_CALL_DEADLINE, 2m",
      "SHOP_ORDERS_PAYMENT_DEADLINE, -1s",
      "SHOP_ORDERS_OUTBOX_BATCH, 0",
      "SHOP_ORDERS_OUTBOX_RETENTION, 10s",
      "SHOP_ORDERS_STEP_RUNS, 0",
      "SHOP_ORDERS_STEP_RUNS, 1001",
      "SHOP_ORDERS_SAGA_MAX_AGE, 500ms",
      "SHOP_ORDERS_SAGA_MAX_AGE, 10s",
      "SHOP_ORDERS_ATTENTION_RETRY, 10ms",
      "SHOP_ORDERS_ATTENTION_SAMPLE, 11m",
      "SHOP_ORDERS_IDEMPOTENCY_RETENTION, 59m",
      "SHOP_ORDERS_IDEMPOTENCY_PRUNE_INTERVAL, 0"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> OrdersConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }

  @Test
  @DisplayName("a sweep interval longer than the lease is refused, naming the interval")
  void sweepSlowerThanLease() {
    assertThatThrownBy(() -> OrdersConfig.from(Env.of(Map.of("SHOP_ORDERS_SAGA_LEASE", "1s", "SHOP_ORDERS_SWEEP_INTERVAL", "2s"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_ORDERS_SWEEP_INTERVAL:")
        .hasMessageContaining("SHOP_ORDERS_SAGA_LEASE");
  }
}
