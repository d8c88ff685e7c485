package dev.vertxshop.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Env: typed SHOP_ variables")
class EnvTest {

  @Test
  @DisplayName("defaults apply when a variable is unset or blank")
  void defaults() {
    Env env = Env.of(Map.of("SHOP_DB_PORT", "  "));
    assertThat(env.port("DB_PORT", 5432)).isEqualTo(5432);
    assertThat(env.string("DB_HOST", "127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(env.bool("X", true)).isTrue();
    assertThat(env.list("L", List.of("a"))).containsExactly("a");
  }

  @Test
  @DisplayName("values are parsed: integers, booleans, durations with units, lists")
  void parses() {
    Env env = Env.of(Map.of("SHOP_N", "42", "SHOP_B", "off", "SHOP_D", "250ms", "SHOP_D2", "3s", "SHOP_D3", "2m",
        "SHOP_D4", "1500", "SHOP_L", "a, b,,c "));
    Duration max = Duration.ofHours(1);
    assertThat(env.integer("N", 0, 0, 100)).isEqualTo(42);
    assertThat(env.bool("B", true)).isFalse();
    assertThat(env.duration("D", Duration.ZERO, Duration.ZERO, max)).isEqualTo(Duration.ofMillis(250));
    assertThat(env.duration("D2", Duration.ZERO, Duration.ZERO, max)).isEqualTo(Duration.ofSeconds(3));
    assertThat(env.duration("D3", Duration.ZERO, Duration.ZERO, max)).isEqualTo(Duration.ofMinutes(2));
    assertThat(env.duration("D4", Duration.ZERO, Duration.ZERO, max)).isEqualTo(Duration.ofMillis(1500));
    assertThat(env.list("L", List.of())).containsExactly("a", "b", "c");
  }

  @Test
  @DisplayName("an unusable value fails with a message naming the full variable")
  void invalidValuesNameTheVariable() {
    Env env = Env.of(Map.of("SHOP_DB_PORT", "http", "SHOP_DB_POOL_SIZE", "0", "SHOP_CLUSTERED", "maybe",
        "SHOP_DB_CONNECT_TIMEOUT", "soon", "SHOP_CLUSTER_DISCOVERY", "multicast"));
    assertThatThrownBy(() -> env.port("DB_PORT", 1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("SHOP_DB_PORT").hasMessageContaining("'http' is not an integer");
    assertThatThrownBy(() -> DatabaseConfig.from(env)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_DB_PORT");
    assertThatThrownBy(() -> env.integer("DB_POOL_SIZE", 8, 1, 200))
        .hasMessage("SHOP_DB_POOL_SIZE: 0 is outside [1, 200]");
    assertThatThrownBy(() -> env.bool("CLUSTERED", true)).hasMessageContaining("SHOP_CLUSTERED");
    assertThatThrownBy(() -> env.duration("DB_CONNECT_TIMEOUT", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
        .hasMessageContaining("SHOP_DB_CONNECT_TIMEOUT");
    assertThatThrownBy(() -> ClusterConfig.from(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("SHOP_CLUSTER_DISCOVERY");
  }

  @Test
  @DisplayName("cluster: dns discovery needs a name; member timeout must exceed the heartbeat")
  void clusterRules() {
    assertThatThrownBy(() -> ClusterConfig.from(Env.of(Map.of("SHOP_CLUSTER_DISCOVERY", "dns"))))
        .hasMessageContaining("SHOP_CLUSTER_DNS_NAME");
    assertThatThrownBy(() -> ClusterConfig.from(Env.of(Map.of("SHOP_CLUSTER_HEARTBEAT_SECONDS", "5",
        "SHOP_CLUSTER_MEMBER_TIMEOUT_SECONDS", "5")))).hasMessageContaining("SHOP_CLUSTER_MEMBER_TIMEOUT_SECONDS");
    ClusterConfig ok = ClusterConfig.from(Env.of(Map.of("SHOP_CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2:6000")));
    assertThat(ok.members()).containsExactly("10.0.0.1", "10.0.0.2:6000");
  }

  @Test
  @DisplayName("overrides replace, defaults only fill gaps")
  void layering() {
    Env env = Env.of(Map.of("SHOP_A", "1", "SHOP_B", "2"))
        .with(Map.of("SHOP_A", "10"))
        .withDefaults(Map.of("SHOP_B", "20", "SHOP_C", "30"));
    assertThat(env.string("A", null)).isEqualTo("10");
    assertThat(env.string("B", null)).isEqualTo("2");
    assertThat(env.string("C", null)).isEqualTo("30");
  }

  @Test
  @DisplayName("the database password never appears in the config's string form")
  void passwordHidden() {
    DatabaseConfig config = DatabaseConfig.from(Env.of(Map.of("SHOP_DB_PASSWORD", "s3cr3t-value")));
    assertThat(config.toString()).doesNotContain("s3cr3t-value");
  }
}
