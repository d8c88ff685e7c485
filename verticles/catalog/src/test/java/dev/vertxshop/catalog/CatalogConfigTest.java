package dev.vertxshop.catalog;

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

@DisplayName("catalog configuration from SHOP_CATALOG_* variables")
class CatalogConfigTest {

  @Test
  @DisplayName("defaults suit a local run")
  void defaults() {
    CatalogConfig config = CatalogConfig.from(Env.of(Map.of()));
    assertThat(config).isEqualTo(new CatalogConfig(2, false, new OutboxSettings(Duration.ofSeconds(1), 256, Duration.ofMinutes(60))));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    CatalogConfig config = CatalogConfig.from(Env.of(Map.of(
        "SHOP_CATALOG_INSTANCES", "4",
        "SHOP_CATALOG_SEED_DEMO", "true",
        "SHOP_CATALOG_OUTBOX_POLL", "250ms",
        "SHOP_CATALOG_OUTBOX_BATCH", "50",
        "SHOP_CATALOG_OUTBOX_RETENTION", "30m")));
    assertThat(config).isEqualTo(new CatalogConfig(4, true, new OutboxSettings(Duration.ofMillis(250), 50, Duration.ofMinutes(30))));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_CATALOG_INSTANCES, many",
      "SHOP_CATALOG_INSTANCES, 0",
      "SHOP_CATALOG_INSTANCES, 65",
      "SHOP_CATALOG_SEED_DEMO, maybe",
      "SHOP_CATALOG_OUTBOX_POLL, fast",
      "SHOP_CATALOG_OUTBOX_POLL, 1ms",
      "SHOP_CATALOG_OUTBOX_BATCH, 0",
      "SHOP_CATALOG_OUTBOX_RETENTION, 10s"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> CatalogConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }
}
