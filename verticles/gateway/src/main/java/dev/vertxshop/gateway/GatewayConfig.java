package dev.vertxshop.gateway;

import dev.vertxshop.gateway.auth.PublicKeys;
import dev.vertxshop.platform.boot.NodeConfig;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of the gateway, read once from {@code SHOP_GATEWAY_*} and {@code SHOP_ADMIN_TOKEN}.
 *
 * <p>{@code adminToken} is empty when {@code SHOP_ADMIN_TOKEN} is not set: admin writes are then refused,
 * there is deliberately no built-in token. {@code corsOrigins} is {@code ["*"]} by default, which only lets
 * browsers on other origins read (GET); listing origins explicitly also allows them to write.
 *
 * <p>{@code jwtPublicKey} is the verification key from {@code SHOP_JWT_PUBLIC_KEY}, as a JWK; when empty, the
 * keys are fetched from the users service ({@code users.jwks}).
 */
public record GatewayConfig(
    String host,
    int port,
    int instances,
    Optional<String> adminToken,
    Duration deadline,
    int breakerMaxFailures,
    Duration breakerReset,
    Duration breakerWindow,
    int bodyLimit,
    List<String> corsOrigins,
    Duration shutdownGrace,
    Duration checkoutDeadline,
    boolean trustForwarded,
    Optional<JsonObject> jwtPublicKey,
    Duration jwtLeeway,
    Duration jwksRetry,
    Duration jwksRefreshInterval,
    Duration jwksRefreshEvery) {

  public static final int MIN_ADMIN_TOKEN_LENGTH = 16;
  public static final String ANY_ORIGIN = "*";

  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  public GatewayConfig {
    corsOrigins = List.copyOf(corsOrigins);
    jwtPublicKey = jwtPublicKey.map(JsonObject::copy);
  }

  /** A copy: the record stays immutable. */
  @Override
  public Optional<JsonObject> jwtPublicKey() {
    return jwtPublicKey.map(JsonObject::copy);
  }

  /**
   * The public port must not be one of the node's private ports: two servers on one port share the
   * socket in Vert.x and answer in turns, which would expose /metrics or the cluster on the public side.
   */
  private static void checkPortIsPublicOnly(Env env, int port) {
    if (port == 0) {
      return;
    }
    java.util.Map<String, Integer> privatePorts = new java.util.LinkedHashMap<>();
    privatePorts.put("SHOP_OPS_PORT", env.port("OPS_PORT", 9000));
    if (env.bool("CLUSTERED", false)) {
      privatePorts.put("SHOP_CLUSTER_HAZELCAST_PORT", env.port("CLUSTER_HAZELCAST_PORT", 5701));
      privatePorts.put("SHOP_CLUSTER_EVENTBUS_PORT", env.port("CLUSTER_EVENTBUS_PORT", 5801));
    }
    privatePorts.forEach((name, value) -> {
      if (value == port) {
        throw new ConfigException(Env.var("GATEWAY_PORT"), port + " is also " + name + ": the public port must be its own");
      }
    });
  }

  /** Reads and validates the variables; a bad value fails with a {@link ConfigException} naming it. */
  public static GatewayConfig from(Env env) {
    String host = env.string("GATEWAY_HOST", "0.0.0.0");
    int port = env.port("GATEWAY_PORT", 8080);
    checkPortIsPublicOnly(env, port);
    int instances = env.integer("GATEWAY_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 128);
    Optional<String> token = Optional.ofNullable(env.string("ADMIN_TOKEN", null));
    token.ifPresent(GatewayConfig::checkToken);
    Duration deadline = env.duration("GATEWAY_DEADLINE", Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMinutes(1));
    int maxFailures = env.integer("GATEWAY_BREAKER_MAX_FAILURES", 5, 1, 10_000);
    Duration reset = env.duration("GATEWAY_BREAKER_RESET", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10));
    // The breaker counts failures in whole seconds, so a window under a second would count nothing.
    Duration window = env.duration("GATEWAY_BREAKER_WINDOW", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10));
    int bodyLimit = env.integer("GATEWAY_BODY_LIMIT", 64 * 1024, 1024, 16 * 1024 * 1024);
    List<String> origins = env.list("GATEWAY_CORS_ORIGINS", List.of(ANY_ORIGIN));
    checkOrigins(origins);
    // A checkout waits for the saga up to the orders service's reply budget (5 s by default): the gateway
    // has to wait longer, or a checkout that is merely slow would look like a dead service.
    Duration checkoutDeadline = env.duration("GATEWAY_CHECKOUT_DEADLINE", Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofMinutes(5));
    boolean trustForwarded = env.bool("GATEWAY_TRUST_FORWARDED", false);
    Optional<JsonObject> publicKey = Optional.ofNullable(env.string("JWT_PUBLIC_KEY", null)).map(pem -> {
      try {
        return PublicKeys.fromPem(pem);
      } catch (IllegalArgumentException e) {
        // The message describes the value, never repeats it.
        throw new ConfigException(Env.var("JWT_PUBLIC_KEY"), e.getMessage());
      }
    });
    Duration leeway = env.duration("GATEWAY_JWT_LEEWAY", Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(5));
    Duration jwksRetry = env.duration("GATEWAY_JWKS_RETRY", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(5));
    Duration jwksRefresh = env.duration("GATEWAY_JWKS_REFRESH_INTERVAL", Duration.ofSeconds(30), Duration.ofMillis(100),
        Duration.ofHours(1));
    Duration jwksEvery = env.duration("GATEWAY_JWKS_REFRESH_EVERY", Duration.ofMinutes(5), Duration.ofMillis(100),
        Duration.ofHours(24));
    return new GatewayConfig(host, port, instances, token, deadline, maxFailures, reset, window, bodyLimit, origins,
        NodeConfig.from(env).shutdownGrace(), checkoutDeadline, trustForwarded, publicKey, leeway, jwksRetry, jwksRefresh,
        jwksEvery);
  }

  /** Whether browsers on other origins may only read ({@code *}), or the listed origins may also write. */
  public boolean corsReadOnly() {
    return corsOrigins.contains(ANY_ORIGIN);
  }

  /** The breaker's own timeout: just above the event-bus deadline, so the deadline (504) normally fires first. */
  public Duration breakerTimeout() {
    return breakerTimeout(deadline);
  }

  /** The breaker's own timeout for a downstream whose longest call has {@code longestDeadline}. */
  public static Duration breakerTimeout(Duration longestDeadline) {
    return longestDeadline.plus(Duration.ofMillis(Math.max(250, longestDeadline.toMillis() / 10)));
  }

  private static void checkToken(String token) {
    if (token.length() < MIN_ADMIN_TOKEN_LENGTH) {
      throw new ConfigException(Env.var("ADMIN_TOKEN"), "must be at least " + MIN_ADMIN_TOKEN_LENGTH + " characters");
    }
    if (!token.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new ConfigException(Env.var("ADMIN_TOKEN"), "must be printable ASCII without spaces");
    }
  }

  private static void checkOrigins(List<String> origins) {
    String variable = Env.var("GATEWAY_CORS_ORIGINS");
    if (origins.isEmpty()) {
      throw new ConfigException(variable, "is empty; use * or a comma-separated list of origins");
    }
    if (origins.contains(ANY_ORIGIN) && origins.size() > 1) {
      throw new ConfigException(variable, "* cannot be combined with explicit origins");
    }
    for (String origin : origins) {
      if (!origin.equals(ANY_ORIGIN) && !ORIGIN.matcher(origin).matches()) {
        throw new ConfigException(variable, "'" + origin + "' is not an origin like https://shop.example.com");
      }
    }
  }

  @Override
  public String toString() {
    // Never print the token.
    return "GatewayConfig[" + host + ":" + port + ", instances=" + instances + ", adminToken="
        + (adminToken.isPresent() ? "set" : "unset") + ", deadline=" + deadline.toMillis() + "ms, breaker="
        + breakerMaxFailures + " failures/" + breakerWindow.toSeconds() + "s, reset " + breakerReset.toMillis()
        + "ms, bodyLimit=" + bodyLimit + ", cors=" + corsOrigins + ", checkoutDeadline=" + checkoutDeadline.toMillis()
        + "ms, trustForwarded=" + trustForwarded + ", jwtKeys="
        + jwtPublicKey.map(jwk -> "SHOP_JWT_PUBLIC_KEY (kid " + jwk.getString("kid") + ")").orElse("users.jwks")
        + ", jwtLeeway=" + jwtLeeway.toSeconds() + "s]";
  }
}
