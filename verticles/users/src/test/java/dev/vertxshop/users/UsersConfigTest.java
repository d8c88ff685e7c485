package dev.vertxshop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.users.UsersConfig.ThrottleRule;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("users configuration from SHOP_USERS_* and SHOP_JWT_* variables")
class UsersConfigTest {

  private static SigningKey key;

  @BeforeAll
  static void generate() {
    key = SigningKey.generate();
  }

  @Test
  @DisplayName("defaults suit a local run: OWASP Argon2id, 5/15m per account, 20/15m per address, 1 h tokens, generated key")
  void defaults() {
    UsersConfig config = UsersConfig.from(Env.of(Map.of()));
    assertThat(config).isEqualTo(new UsersConfig(
        2, new Argon2Params(19456, 2, 1), Runtime.getRuntime().availableProcessors(), 32,
        new ThrottleRule(5, Duration.ofMinutes(15)), new ThrottleRule(20, Duration.ofMinutes(15)), Duration.ofMinutes(1),
        null, Duration.ofHours(1), Duration.ofSeconds(1), 256, Duration.ofMinutes(60)));
  }

  @Test
  @DisplayName("every variable is read")
  void overrides() {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_USERS_INSTANCES", "3");
    vars.put("SHOP_USERS_ARGON2_MEMORY_KIB", "65536");
    vars.put("SHOP_USERS_ARGON2_ITERATIONS", "3");
    vars.put("SHOP_USERS_ARGON2_PARALLELISM", "4");
    vars.put("SHOP_USERS_HASH_THREADS", "6");
    vars.put("SHOP_USERS_HASH_QUEUE", "100");
    vars.put("SHOP_USERS_THROTTLE_ACCOUNT_ATTEMPTS", "10");
    vars.put("SHOP_USERS_THROTTLE_ACCOUNT_WINDOW", "30m");
    vars.put("SHOP_USERS_THROTTLE_ADDRESS_ATTEMPTS", "100");
    vars.put("SHOP_USERS_THROTTLE_ADDRESS_WINDOW", "5m");
    vars.put("SHOP_USERS_THROTTLE_PRUNE_INTERVAL", "30s");
    vars.put("SHOP_JWT_PRIVATE_KEY", key.privateKeyPem());
    vars.put("SHOP_JWT_PUBLIC_KEY", key.publicKeyPem());
    vars.put("SHOP_JWT_TTL", "15m");
    vars.put("SHOP_USERS_OUTBOX_POLL", "250ms");
    vars.put("SHOP_USERS_OUTBOX_BATCH", "50");
    vars.put("SHOP_USERS_OUTBOX_RETENTION", "30m");
    UsersConfig config = UsersConfig.from(Env.of(vars));
    assertThat(config).isEqualTo(new UsersConfig(
        3, new Argon2Params(65536, 3, 4), 6, 100,
        new ThrottleRule(10, Duration.ofMinutes(30)), new ThrottleRule(100, Duration.ofMinutes(5)), Duration.ofSeconds(30),
        key, Duration.ofMinutes(15), Duration.ofMillis(250), 50, Duration.ofMinutes(30)));
    assertThat(config.signingKey().kid()).isEqualTo(key.kid());
  }

  @Test
  @DisplayName("the config's text form never shows the signing key's material")
  void toStringHidesKey() {
    UsersConfig config = UsersConfig.from(Env.of(Map.of("SHOP_JWT_PRIVATE_KEY", key.privateKeyPem())));
    String pemBody = key.privateKeyPem().split("\n")[2];
    assertThat(config.toString()).contains(key.kid()).doesNotContain(pemBody).doesNotContain(key.publicKey().getModulus().toString());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SHOP_USERS_INSTANCES, many",
      "SHOP_USERS_INSTANCES, 0",
      "SHOP_USERS_INSTANCES, 65",
      "SHOP_USERS_ARGON2_MEMORY_KIB, 4",
      "SHOP_USERS_ARGON2_MEMORY_KIB, 99999999",
      "SHOP_USERS_ARGON2_ITERATIONS, 0",
      "SHOP_USERS_ARGON2_ITERATIONS, 101",
      "SHOP_USERS_ARGON2_PARALLELISM, 0",
      "SHOP_USERS_HASH_THREADS, 0",
      "SHOP_USERS_HASH_QUEUE, 0",
      "SHOP_USERS_THROTTLE_ACCOUNT_ATTEMPTS, 0",
      "SHOP_USERS_THROTTLE_ACCOUNT_WINDOW, 500ms",
      "SHOP_USERS_THROTTLE_ACCOUNT_WINDOW, forever",
      "SHOP_USERS_THROTTLE_ADDRESS_ATTEMPTS, -1",
      "SHOP_USERS_THROTTLE_ADDRESS_WINDOW, 2000m",
      "SHOP_USERS_THROTTLE_PRUNE_INTERVAL, 10ms",
      "SHOP_JWT_TTL, 10s",
      "SHOP_JWT_TTL, 1h",
      "SHOP_USERS_OUTBOX_POLL, 1ms",
      "SHOP_USERS_OUTBOX_BATCH, 0",
      "SHOP_USERS_OUTBOX_RETENTION, 10s",
      "SHOP_JWT_PRIVATE_KEY, not-a-key",
      "SHOP_JWT_PUBLIC_KEY, not-a-key"})
  @DisplayName("an invalid value fails with the variable's name")
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> UsersConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":");
  }

  @Test
  @DisplayName("Argon2 memory below 8 KiB per lane names the memory variable")
  void memoryPerLane() {
    assertThatThrownBy(() -> UsersConfig.from(Env.of(Map.of(
            "SHOP_USERS_ARGON2_MEMORY_KIB", "16", "SHOP_USERS_ARGON2_PARALLELISM", "4"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_USERS_ARGON2_MEMORY_KIB:");
  }

  @Test
  @DisplayName("a bad private key is named but never echoed")
  void badKeyNotEchoed() {
    String secret = key.privateKeyPem().replace("PRIVATE KEY", "RSA PRIVATE KEY");
    assertThatThrownBy(() -> UsersConfig.from(Env.of(Map.of("SHOP_JWT_PRIVATE_KEY", secret))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_JWT_PRIVATE_KEY:")
        .hasMessageContaining("PKCS#1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.split("\n")[2]));
  }

  @Test
  @DisplayName("SHOP_JWT_PUBLIC_KEY must be the private key's public half, and needs the private key")
  void publicKeyMustMatch() {
    SigningKey other = SigningKey.generate();
    assertThatThrownBy(() -> UsersConfig.from(Env.of(Map.of(
            "SHOP_JWT_PRIVATE_KEY", key.privateKeyPem(), "SHOP_JWT_PUBLIC_KEY", other.publicKeyPem()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_JWT_PUBLIC_KEY:")
        .hasMessageContaining("not the public half");
    assertThatThrownBy(() -> UsersConfig.from(Env.of(Map.of("SHOP_JWT_PUBLIC_KEY", key.publicKeyPem()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_JWT_PUBLIC_KEY:")
        .hasMessageContaining("SHOP_JWT_PRIVATE_KEY is not");
  }
}
