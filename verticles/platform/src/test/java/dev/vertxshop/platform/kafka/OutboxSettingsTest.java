package dev.vertxshop.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxSettingsTest {

  @Test
  @DisplayName("defaults: poll every second, batches of 256, published rows kept an hour")
  void defaults() {
    assertThat(OutboxSettings.from(Env.of(Map.of()), "orders"))
        .isEqualTo(new OutboxSettings(Duration.ofSeconds(1), 256, Duration.ofMinutes(60)));
  }

  @Test
  @DisplayName("each service reads its own SHOP_<SERVICE>_OUTBOX_* variables, not another's")
  void perService() {
    Env env = Env.of(Map.of("SHOP_PAYMENTS_OUTBOX_POLL", "250ms", "SHOP_PAYMENTS_OUTBOX_BATCH", "32",
        "SHOP_PAYMENTS_OUTBOX_RETENTION", "120m", "SHOP_ORDERS_OUTBOX_BATCH", "7"));
    assertThat(OutboxSettings.from(env, "payments"))
        .isEqualTo(new OutboxSettings(Duration.ofMillis(250), 32, Duration.ofHours(2)));
    assertThat(OutboxSettings.from(env, "catalog").batch()).isEqualTo(256);
  }

  @Test
  @DisplayName("out-of-bounds values are refused naming the service's variable")
  void bounds() {
    assertThatThrownBy(() -> OutboxSettings.from(Env.of(Map.of("SHOP_USERS_OUTBOX_POLL", "1ms")), "users"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_USERS_OUTBOX_POLL");
    assertThatThrownBy(() -> OutboxSettings.from(Env.of(Map.of("SHOP_CATALOG_OUTBOX_BATCH", "0")), "catalog"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_CATALOG_OUTBOX_BATCH");
    assertThatThrownBy(() -> OutboxSettings.from(Env.of(Map.of("SHOP_ORDERS_OUTBOX_RETENTION", "30s")), "orders"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_ORDERS_OUTBOX_RETENTION");
  }
}
