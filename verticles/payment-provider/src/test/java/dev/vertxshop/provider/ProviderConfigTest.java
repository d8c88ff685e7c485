package dev.vertxshop.provider;

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

@DisplayName("payment provider configuration from SHOP_PROVIDER_* variables")
class ProviderConfigTest {

  @Test
  @DisplayName("defaults suit a local run: ports 8090/8091, healthy, seed 42")
  void defaults() {
    assertThat(ProviderConfig.from(Env.of(Map.of())))
        .isEqualTo(new ProviderConfig("0.0.0.0", 8090, 8091, Faults.none(), 42, Duration.ofSeconds(5)));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    ProviderConfig config = ProviderConfig.from(Env.of(Map.of(
        "SHOP_PROVIDER_HOST", "127.0.0.1",
        "SHOP_PROVIDER_PORT", "0",
        "SHOP_PROVIDER_ADMIN_PORT", "0",
        "SHOP_PROVIDER_LATENCY", "250ms",
        "SHOP_PROVIDER_FAILURE_RATE", "0.1",
        "SHOP_PROVIDER_DECLINE_RATE", "1",
        "SHOP_PROVIDER_OUTAGE", "true",
        "SHOP_PROVIDER_SEED", "-7",
        "SHOP_PROVIDER_SHUTDOWN_GRACE", "1s")));
    assertThat(config).isEqualTo(new ProviderConfig("127.0.0.1", 0, 0,
        new Faults(Duration.ofMillis(250), 0.1, 1.0, true), -7, Duration.ofSeconds(1)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_PROVIDER_PORT, http",
      "SHOP_PROVIDER_PORT, 70000",
      "SHOP_PROVIDER_ADMIN_PORT, -1",
      "SHOP_PROVIDER_ADMIN_PORT, 8090",
      "SHOP_PROVIDER_LATENCY, slow",
      "SHOP_PROVIDER_LATENCY, 2m",
      "SHOP_PROVIDER_FAILURE_RATE, 1.5",
      "SHOP_PROVIDER_FAILURE_RATE, half",
      "SHOP_PROVIDER_DECLINE_RATE, -0.1",
      "SHOP_PROVIDER_OUTAGE, maybe",
      "SHOP_PROVIDER_SEED, 1.5",
      "SHOP_PROVIDER_SHUTDOWN_GRACE, 2m"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> ProviderConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }
}
