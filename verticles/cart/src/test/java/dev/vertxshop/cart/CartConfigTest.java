package dev.vertxshop.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("cart configuration from SHOP_CART_* variables")
class CartConfigTest {

  @Test
  @DisplayName("defaults suit a local run")
  void defaults() {
    assertThat(CartConfig.from(Env.of(Map.of()))).isEqualTo(new CartConfig(2, Duration.ofSeconds(2),
        Duration.ofDays(1), Duration.ofMinutes(10)));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    CartConfig config = CartConfig.from(Env.of(Map.of(
        "SHOP_CART_INSTANCES", "3",
        "SHOP_CART_CATALOG_TIMEOUT", "750ms",
        "SHOP_CART_IDEMPOTENCY_RETENTION", "90m",
        "SHOP_CART_IDEMPOTENCY_PRUNE_INTERVAL", "30s")));
    assertThat(config).isEqualTo(new CartConfig(3, Duration.ofMillis(750), Duration.ofMinutes(90), Duration.ofSeconds(30)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_CART_INSTANCES, two",
      "SHOP_CART_INSTANCES, 0",
      "SHOP_CART_INSTANCES, 65",
      "SHOP_CART_CATALOG_TIMEOUT, soon",
      "SHOP_CART_CATALOG_TIMEOUT, 50ms",
      "SHOP_CART_CATALOG_TIMEOUT, 1m",
      "SHOP_CART_IDEMPOTENCY_RETENTION, 59m",
      "SHOP_CART_IDEMPOTENCY_RETENTION, forever",
      "SHOP_CART_IDEMPOTENCY_PRUNE_INTERVAL, 0",
      "SHOP_CART_IDEMPOTENCY_PRUNE_INTERVAL, 1441m"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> CartConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }
}
