package dev.vertxshop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("search configuration from SHOP_SEARCH_* variables")
class SearchConfigTest {

  @Test
  @DisplayName("defaults suit a local run: in-memory index, 250 ms refresh, 64 queries queued at most")
  void defaults() {
    assertThat(SearchConfig.from(Env.of(Map.of())))
        .isEqualTo(new SearchConfig(null, Duration.ofMillis(250), 2, Duration.ofMinutes(2), 64));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    SearchConfig config = SearchConfig.from(Env.of(Map.of(
        "SHOP_SEARCH_INDEX_DIR", "/var/lib/shop/search",
        "SHOP_SEARCH_REFRESH", "1s",
        "SHOP_SEARCH_WORKERS", "4",
        "SHOP_SEARCH_CATCHUP_TIMEOUT", "30s",
        "SHOP_SEARCH_QUERY_QUEUE", "500")));
    assertThat(config).isEqualTo(new SearchConfig(Path.of("/var/lib/shop/search"), Duration.ofSeconds(1), 4,
        Duration.ofSeconds(30), 500));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_SEARCH_REFRESH, soon",
      "SHOP_SEARCH_REFRESH, 1ms",
      "SHOP_SEARCH_REFRESH, 1m",
      "SHOP_SEARCH_WORKERS, 0",
      "SHOP_SEARCH_WORKERS, 65",
      "SHOP_SEARCH_QUERY_QUEUE, 0",
      "SHOP_SEARCH_QUERY_QUEUE, many",
      "SHOP_SEARCH_CATCHUP_TIMEOUT, 0",
      "SHOP_SEARCH_CATCHUP_TIMEOUT, 31m",
      "SHOP_SEARCH_INDEX_DIR, bad\u0000path"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> SearchConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }
}
