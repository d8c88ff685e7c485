package dev.vertxshop.users;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;

/**
 * The users service's settings, read once from {@code SHOP_USERS_*} and the shared {@code SHOP_JWT_*}
 * variables; invalid values name the variable (never echo it: some are secrets).
 *
 * @param signingKey the key from {@code SHOP_JWT_PRIVATE_KEY}, or null: generate one at start (dev only)
 * @param extraPublicKeys the keys of {@code SHOP_JWT_EXTRA_PUBLIC_KEYS}, published beside the signing key's half
 *     but never signing: the next key of a rotation, or the previous ones
 */
public record UsersConfig(
    int instances,
    Argon2Params argon2,
    int hashThreads,
    int hashQueue,
    int registerHashThreads,
    int registerHashQueue,
    DelayRule pairThrottle,
    ThrottleRule addressThrottle,
    ThrottleRule registerThrottle,
    Duration throttlePruneInterval,
    SigningKey signingKey,
    List<RSAPublicKey> extraPublicKeys,
    Duration tokenTtl,
    OutboxSettings outbox) {

  /** At most {@code maxAttempts} attempts per {@code window}, counted from the first one. */
  public record ThrottleRule(int maxAttempts, Duration window) {
  }

  /**
   * Failed sign-ins of one account from one address: the first {@code freeAttempts} cost nothing, each
   * further one makes the pair wait {@code firstDelay}, doubled with every failure, at most {@code maxDelay};
   * failures are forgotten {@code memory} after the pair's last attempt.
   */
  public record DelayRule(int freeAttempts, Duration firstDelay, Duration maxDelay, Duration memory) {
  }

  public UsersConfig {
    extraPublicKeys = List.copyOf(extraPublicKeys);
  }

  public static UsersConfig from(Env env) {
    SigningKey signingKey = signingKey(env);
    return new UsersConfig(
        env.integer("USERS_INSTANCES", 2, 1, 64),
        argon2(env),
        // Each running hash holds its memory cost on the heap: threads x memory bounds the total.
        env.integer("USERS_HASH_THREADS", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 64),
        env.integer("USERS_HASH_QUEUE", 32, 1, 10_000),
        // Registration hashes on a pool of its own, so that a flood of sign-ups cannot take sign-in's share.
        env.integer("USERS_REGISTER_HASH_THREADS", Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 1, 64),
        env.integer("USERS_REGISTER_HASH_QUEUE", 8, 1, 10_000),
        delayRule(env),
        new ThrottleRule(
            env.integer("USERS_THROTTLE_ADDRESS_ATTEMPTS", 20, 1, 100_000),
            env.duration("USERS_THROTTLE_ADDRESS_WINDOW", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(1))),
        new ThrottleRule(
            env.integer("USERS_REGISTER_ADDRESS_ATTEMPTS", 20, 1, 1_000_000),
            env.duration("USERS_REGISTER_ADDRESS_WINDOW", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(1))),
        env.duration("USERS_THROTTLE_PRUNE_INTERVAL", Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofHours(1)),
        signingKey,
        extraPublicKeys(env, signingKey),
        env.duration("JWT_TTL", Duration.ofMinutes(60), Duration.ofSeconds(30), Duration.ofDays(1)),
        OutboxSettings.from(env, "users"));
  }

  private static DelayRule delayRule(Env env) {
    int free = env.integer("USERS_THROTTLE_FREE_ATTEMPTS", 3, 1, 1_000);
    Duration first = env.duration("USERS_THROTTLE_DELAY", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1));
    Duration max = env.duration("USERS_THROTTLE_MAX_DELAY", Duration.ofMinutes(15), Duration.ofMillis(100), Duration.ofDays(1));
    Duration memory = env.duration("USERS_THROTTLE_MEMORY", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(7));
    if (max.compareTo(first) < 0) {
      throw new ConfigException(Env.var("USERS_THROTTLE_MAX_DELAY"), "is shorter than " + Env.var("USERS_THROTTLE_DELAY"));
    }
    if (memory.compareTo(max) < 0) {
      // Failures forgotten before the longest delay would stop the delays from growing to it.
      throw new ConfigException(Env.var("USERS_THROTTLE_MEMORY"), "is shorter than " + Env.var("USERS_THROTTLE_MAX_DELAY"));
    }
    return new DelayRule(free, first, max, memory);
  }

  private static Argon2Params argon2(Env env) {
    int memory = env.integer("USERS_ARGON2_MEMORY_KIB", Argon2Params.OWASP.memoryKib(), 8, Argon2Params.MAX_MEMORY_KIB);
    int iterations = env.integer("USERS_ARGON2_ITERATIONS", Argon2Params.OWASP.iterations(), 1, Argon2Params.MAX_ITERATIONS);
    int parallelism = env.integer("USERS_ARGON2_PARALLELISM", Argon2Params.OWASP.parallelism(), 1, Argon2Params.MAX_PARALLELISM);
    if (memory < 8 * parallelism) {
      throw new ConfigException(Env.var("USERS_ARGON2_MEMORY_KIB"),
          memory + " KiB is below 8 KiB per lane (" + Env.var("USERS_ARGON2_PARALLELISM") + "=" + parallelism + ")");
    }
    return new Argon2Params(memory, iterations, parallelism);
  }

  private static List<RSAPublicKey> extraPublicKeys(Env env, SigningKey signingKey) {
    if (!env.isSet("JWT_EXTRA_PUBLIC_KEYS")) {
      return List.of();
    }
    try {
      return PublishedKeys.parse(env.string("JWT_EXTRA_PUBLIC_KEYS", null), signingKey);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Env.var("JWT_EXTRA_PUBLIC_KEYS"), e.getMessage());
    }
  }

  private static SigningKey signingKey(Env env) {
    SigningKey key = null;
    if (env.isSet("JWT_PRIVATE_KEY")) {
      try {
        key = SigningKey.fromPem(env.string("JWT_PRIVATE_KEY", null));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Env.var("JWT_PRIVATE_KEY"), e.getMessage());
      }
    }
    // The gateway may verify with SHOP_JWT_PUBLIC_KEY: a mismatch would reject every token, so it
    // stops this service at start rather than every request later.
    if (env.isSet("JWT_PUBLIC_KEY")) {
      RSAPublicKey publicKey;
      try {
        publicKey = SigningKey.publicKeyFromPem(env.string("JWT_PUBLIC_KEY", null));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Env.var("JWT_PUBLIC_KEY"), e.getMessage());
      }
      if (key == null) {
        throw new ConfigException(Env.var("JWT_PUBLIC_KEY"), "is set but " + Env.var("JWT_PRIVATE_KEY")
            + " is not: tokens signed with a generated key would not verify with it");
      }
      if (!key.matches(publicKey)) {
        throw new ConfigException(Env.var("JWT_PUBLIC_KEY"), "is not the public half of " + Env.var("JWT_PRIVATE_KEY"));
      }
    }
    return key;
  }
}
