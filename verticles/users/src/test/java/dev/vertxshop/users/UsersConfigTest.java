package dev.vertxshop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;
import dev.vertxshop.users.UsersConfig.DelayRule;
import dev.vertxshop.users.UsersConfig.ThrottleRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
  @DisplayName("defaults suit a local run: OWASP Argon2id, 3 free failures then 1 s doubling to 15 m per account and "
      + "address, 20/15m per address, 20 sign-ups/15m per address, 1 h tokens, generated key")
  void defaults() {
    UsersConfig config = UsersConfig.from(Env.of(Map.of()));
    int cpus = Runtime.getRuntime().availableProcessors();
    assertThat(config).isEqualTo(new UsersConfig(
        2, new Argon2Params(19456, 2, 1), cpus, 32, Math.max(1, cpus / 2), 8,
        new DelayRule(3, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)),
        new ThrottleRule(20, Duration.ofMinutes(15)), new ThrottleRule(20, Duration.ofMinutes(15)), Duration.ofMinutes(1),
        null, List.of(), Duration.ofHours(1), new OutboxSettings(Duration.ofSeconds(1), 256, Duration.ofMinutes(60))));
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
    vars.put("SHOP_USERS_REGISTER_HASH_THREADS", "3");
    vars.put("SHOP_USERS_REGISTER_HASH_QUEUE", "12");
    vars.put("SHOP_USERS_THROTTLE_FREE_ATTEMPTS", "10");
    vars.put("SHOP_USERS_THROTTLE_DELAY", "2s");
    vars.put("SHOP_USERS_THROTTLE_MAX_DELAY", "30m");
    vars.put("SHOP_USERS_THROTTLE_MEMORY", "120m");
    vars.put("SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", "7");
    vars.put("SHOP_USERS_REGISTER_ADDRESS_WINDOW", "2m");
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
        3, new Argon2Params(65536, 3, 4), 6, 100, 3, 12,
        new DelayRule(10, Duration.ofSeconds(2), Duration.ofMinutes(30), Duration.ofMinutes(120)),
        new ThrottleRule(100, Duration.ofMinutes(5)), new ThrottleRule(7, Duration.ofMinutes(2)), Duration.ofSeconds(30),
        key, List.of(), Duration.ofMinutes(15), new OutboxSettings(Duration.ofMillis(250), 50, Duration.ofMinutes(30))));
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
      "SHOP_USERS_REGISTER_HASH_THREADS, 0",
      "SHOP_USERS_REGISTER_HASH_QUEUE, 0",
      "SHOP_USERS_THROTTLE_FREE_ATTEMPTS, 0",
      "SHOP_USERS_THROTTLE_DELAY, 50ms",
      "SHOP_USERS_THROTTLE_DELAY, forever",
      "SHOP_USERS_THROTTLE_MAX_DELAY, 2d",
      "SHOP_USERS_THROTTLE_MAX_DELAY, 500ms",
      "SHOP_USERS_THROTTLE_MEMORY, 10m",
      "SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS, 0",
      "SHOP_USERS_REGISTER_ADDRESS_WINDOW, 500ms",
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

  @Test
  @DisplayName("SHOP_JWT_EXTRA_PUBLIC_KEYS: PEM blocks one after the other (real or written line breaks), kept in order")
  void extraPublicKeys() {
    SigningKey next = SigningKey.generate();
    SigningKey previous = SigningKey.generate();
    String escaped = (next.publicKeyPem() + previous.publicKeyPem()).replace("\n", "\\n");
    for (String value : List.of(next.publicKeyPem() + "\n" + previous.publicKeyPem(), escaped,
        "  " + next.publicKeyPem().trim() + previous.publicKeyPem().trim() + "\n")) {
      UsersConfig config = UsersConfig.from(Env.of(Map.of("SHOP_JWT_PRIVATE_KEY", key.privateKeyPem(),
          "SHOP_JWT_EXTRA_PUBLIC_KEYS", value)));
      assertThat(config.extraPublicKeys()).hasSize(2);
      assertThat(next.matches(config.extraPublicKeys().get(0))).isTrue();
      assertThat(previous.matches(config.extraPublicKeys().get(1))).isTrue();
    }
    assertThat(UsersConfig.from(Env.of(Map.of("SHOP_JWT_EXTRA_PUBLIC_KEYS", " "))).extraPublicKeys()).isEmpty();
    JsonObject jwks = PublishedKeys.jwks(key, List.of(next.publicKey(), previous.publicKey()), Duration.ofMinutes(15));
    assertThat(jwks).isEqualTo(new JsonObject()
        .put("keys", new JsonArray().add(key.jwk()).add(next.jwk()).add(previous.jwk()))
        .put("tokenLifetimeSeconds", 900L));
  }

  @Test
  @DisplayName("SHOP_JWT_EXTRA_PUBLIC_KEYS refuses, naming the key and never echoing it: stray text, a private key, "
      + "a short or broken key, a key twice, the signing key's own half, more than 8 keys")
  void extraPublicKeysRefused() throws Exception {
    SigningKey next = SigningKey.generate();
    String pem = next.publicKeyPem();
    java.security.KeyPairGenerator small = java.security.KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    String shortPem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
        small.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    // A line of its body left out: the DER no longer parses.
    String broken = pem.replace(pem.split("\n")[2] + "\n", "");
    StringBuilder nine = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      nine.append(SigningKey.generate().publicKeyPem());
    }
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("key = " + pem, "has text before its first PEM block");
    cases.put(pem + "and more", "has text after key 1 that is not a PEM block");
    cases.put("no pem at all", "holds no PEM block");
    cases.put(key.privateKeyPem(), "key 1 is a PEM 'PRIVATE KEY', not a 'PUBLIC KEY'");
    cases.put(pem + shortPem, "key 2 is an RSA key of 1024 bits");
    cases.put(broken, "key 1 is not an RSA public key");
    cases.put(pem + pem, "key 2 is the same key as key 1");
    cases.put(key.publicKeyPem(), "key 1 is the public half of SHOP_JWT_PRIVATE_KEY");
    cases.put(nine.toString(), "holds more than 8 keys");
    cases.forEach((value, message) -> assertThatThrownBy(() -> UsersConfig.from(Env.of(Map.of(
            "SHOP_JWT_PRIVATE_KEY", key.privateKeyPem(), "SHOP_JWT_EXTRA_PUBLIC_KEYS", value))))
        .as(message)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_JWT_EXTRA_PUBLIC_KEYS: ")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pem.split("\n")[3])
            .doesNotContain(key.privateKeyPem().split("\n")[2])));
  }
}
