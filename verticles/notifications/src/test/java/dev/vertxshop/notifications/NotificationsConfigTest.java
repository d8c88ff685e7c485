package dev.vertxshop.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("notifications configuration from SHOP_NOTIFICATIONS_* variables")
class NotificationsConfigTest {

  @Test
  @DisplayName("defaults suit a local run")
  void defaults() {
    assertThat(NotificationsConfig.from(Env.of(Map.of()))).isEqualTo(new NotificationsConfig(1, 1));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    NotificationsConfig config = NotificationsConfig.from(Env.of(Map.of(
        "SHOP_NOTIFICATIONS_INSTANCES", "3",
        "SHOP_NOTIFICATIONS_CONSUMERS", "2")));
    assertThat(config).isEqualTo(new NotificationsConfig(3, 2));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_NOTIFICATIONS_INSTANCES, many",
      "SHOP_NOTIFICATIONS_INSTANCES, 0",
      "SHOP_NOTIFICATIONS_INSTANCES, 65",
      "SHOP_NOTIFICATIONS_CONSUMERS, 0",
      "SHOP_NOTIFICATIONS_CONSUMERS, 17"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> NotificationsConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }
}
