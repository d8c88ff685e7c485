package dev.vertxshop.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Gateway configuration from SHOP_GATEWAY_* and SHOP_ADMIN_TOKEN")
@ExtendWith(VertxExtension.class)
class GatewayConfigTest {

  private static final TestTokens.Key PUBLIC_KEY = TestTokens.Key.generate();

  @Test
  @DisplayName("defaults: 0.0.0.0:8080, one instance per core, no admin token, 2s deadline, 5 failures, 5s reset, 64 KiB, CORS read-only for *")
  void defaults() {
    GatewayConfig config = GatewayConfig.from(Env.of(Map.of()));
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.deadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.breakerMaxFailures()).isEqualTo(5);
    assertThat(config.breakerReset()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.breakerWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.bodyLimit()).isEqualTo(64 * 1024);
    assertThat(config.corsOrigins()).containsExactly("*");
    assertThat(config.corsReadOnly()).isTrue();
    assertThat(config.breakerTimeout()).isGreaterThan(config.deadline());
    assertThat(config.checkoutDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.trustForwarded()).isFalse();
    assertThat(config.jwtPublicKey()).isEmpty();
    assertThat(config.jwtLeeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.jwksRetry()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.jwksRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.jwksRefreshEvery()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  @DisplayName("every variable is read")
  void everyVariable() {
    GatewayConfig config = GatewayConfig.from(Env.of(Map.ofEntries(
        Map.entry("SHOP_GATEWAY_HOST", "127.0.0.1"),
        Map.entry("SHOP_GATEWAY_PORT", "0"),
        Map.entry("SHOP_GATEWAY_INSTANCES", "3"),
        Map.entry("SHOP_ADMIN_TOKEN", "a-long-enough-admin-token"),
        Map.entry("SHOP_GATEWAY_DEADLINE", "750ms"),
        Map.entry("SHOP_GATEWAY_BREAKER_MAX_FAILURES", "9"),
        Map.entry("SHOP_GATEWAY_BREAKER_RESET", "30s"),
        Map.entry("SHOP_GATEWAY_BREAKER_WINDOW", "1m"),
        Map.entry("SHOP_GATEWAY_BODY_LIMIT", "2048"),
        Map.entry("SHOP_GATEWAY_CORS_ORIGINS", "https://shop.example.com, http://localhost:3000"),
        Map.entry("SHOP_GATEWAY_CHECKOUT_DEADLINE", "20s"),
        Map.entry("SHOP_GATEWAY_TRUST_FORWARDED", "true"),
        Map.entry("SHOP_JWT_PUBLIC_KEY", PUBLIC_KEY.publicPem()),
        Map.entry("SHOP_GATEWAY_JWT_LEEWAY", "5s"),
        Map.entry("SHOP_GATEWAY_JWKS_RETRY", "500ms"),
        Map.entry("SHOP_GATEWAY_JWKS_REFRESH_INTERVAL", "1m"),
        Map.entry("SHOP_GATEWAY_JWKS_REFRESH_EVERY", "90s"))));
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.instances()).isEqualTo(3);
    assertThat(config.adminToken()).contains("a-long-enough-admin-token");
    assertThat(config.deadline()).isEqualTo(Duration.ofMillis(750));
    assertThat(config.breakerMaxFailures()).isEqualTo(9);
    assertThat(config.breakerReset()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.breakerWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.bodyLimit()).isEqualTo(2048);
    assertThat(config.corsOrigins()).containsExactly("https://shop.example.com", "http://localhost:3000");
    assertThat(config.corsReadOnly()).isFalse();
    assertThat(config.checkoutDeadline()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.trustForwarded()).isTrue();
    assertThat(config.jwtPublicKey()).contains(PUBLIC_KEY.jwk());
    assertThat(config.jwtLeeway()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.jwksRetry()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.jwksRefreshEvery()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  @DisplayName("the orders breaker's own timeout allows for the checkout deadline")
  void ordersBreakerTimeout() {
    assertThat(GatewayConfig.breakerTimeout(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(11));
    assertThat(GatewayConfig.breakerTimeout(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(550));
  }

  @ParameterizedTest(name = "{0}={1}")
  @DisplayName("an invalid value fails naming the variable")
  @CsvSource(delimiter = '|', value = {
      "SHOP_GATEWAY_PORT|http",
      "SHOP_GATEWAY_PORT|70000",
      "SHOP_GATEWAY_INSTANCES|0",
      "SHOP_GATEWAY_DEADLINE|soon",
      "SHOP_GATEWAY_DEADLINE|5ms",
      "SHOP_GATEWAY_BREAKER_MAX_FAILURES|0",
      "SHOP_GATEWAY_BREAKER_RESET|10ms",
      "SHOP_GATEWAY_BREAKER_WINDOW|500ms",
      "SHOP_GATEWAY_BODY_LIMIT|10",
      "SHOP_GATEWAY_CORS_ORIGINS|ftp://files.example.com",
      "SHOP_GATEWAY_CORS_ORIGINS|'*,https://shop.example.com'",
      "SHOP_ADMIN_TOKEN|short",
      "SHOP_GATEWAY_CHECKOUT_DEADLINE|500ms",
      "SHOP_GATEWAY_CHECKOUT_DEADLINE|10m",
      "SHOP_GATEWAY_TRUST_FORWARDED|maybe",
      "SHOP_JWT_PUBLIC_KEY|not a key",
      "SHOP_JWT_PUBLIC_KEY|'-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----'",
      "SHOP_GATEWAY_JWT_LEEWAY|6m",
      "SHOP_GATEWAY_JWKS_RETRY|10ms",
      "SHOP_GATEWAY_JWKS_REFRESH_INTERVAL|2h",
      "SHOP_GATEWAY_JWKS_REFRESH_EVERY|50ms",
      "SHOP_GATEWAY_JWKS_REFRESH_EVERY|25h",
      "SHOP_ADMIN_TOKEN|'has spaces in the middle of it'"})
  void invalid(String variable, String value) {
    assertThatThrownBy(() -> GatewayConfig.from(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ":")
        .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo(variable));
  }

  @Test
  @DisplayName("toString never shows the admin token, and names the JWT key by its kid only")
  void tokenNotPrinted() {
    GatewayConfig config = GatewayConfig.from(Env.of(Map.of("SHOP_ADMIN_TOKEN", "secret-admin-token-value",
        "SHOP_JWT_PUBLIC_KEY", PUBLIC_KEY.publicPem())));
    assertThat(config.toString()).doesNotContain("secret-admin-token-value").contains("adminToken=set")
        .contains(PUBLIC_KEY.kid()).doesNotContain(PUBLIC_KEY.jwk().getString("n"));
  }

  @Test
  @DisplayName("an invalid SHOP_JWT_PUBLIC_KEY is described, never echoed")
  void keyNotEchoed() {
    assertThatThrownBy(() -> GatewayConfig.from(Env.of(Map.of("SHOP_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nc2VjcmV0\n-----END PUBLIC KEY-----"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_JWT_PUBLIC_KEY:")
        .hasMessageNotContaining("c2VjcmV0");
  }

  @Test
  @DisplayName("a node with an invalid gateway variable fails to start, naming it")
  void nodeStartFails(VertxTestContext ctx) {
    GatewayNodes.start(GatewayNodes.gatewayOnlyEnv(Map.of("SHOP_GATEWAY_DEADLINE", "forever")), new GatewayService())
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          assertThat(failure).hasMessageContaining("SHOP_GATEWAY_DEADLINE");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the service is found by ServiceLoader, starts last, and needs neither database nor Kafka")
  void serviceDescription() {
    GatewayService service = (GatewayService) dev.vertxshop.platform.boot.ShopMain.available().get("gateway");
    assertThat(service).isNotNull();
    assertThat(service.startOrder()).isGreaterThan(new dev.vertxshop.catalog.CatalogService().startOrder());
    assertThat(service.usesDatabase()).isFalse();
    assertThat(service.usesKafka()).isFalse();
    assertThat(List.of(service.name())).containsExactly("gateway");
  }
}
