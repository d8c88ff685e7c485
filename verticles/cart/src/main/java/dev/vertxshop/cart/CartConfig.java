package dev.vertxshop.cart;

import dev.vertxshop.platform.config.Env;
import java.time.Duration;

/**
 * The cart's settings, read once from {@code SHOP_CART_*} variables; invalid values name the variable.
 *
 * @param keyRetention     how long the idempotency key of an add is kept
 * @param keyPruneInterval how often keys older than the retention are deleted
 */
public record CartConfig(int instances, Duration catalogTimeout, Duration keyRetention, Duration keyPruneInterval) {

  public static CartConfig from(Env env) {
    return new CartConfig(
        env.integer("CART_INSTANCES", 2, 1, 64),
        // Every cart reply waits for the catalog's prices: a slow catalog must fail the request, not hold it.
        env.duration("CART_CATALOG_TIMEOUT", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30)),
        // A day: far longer than a client retries an add, and each key holds a whole cart as its reply.
        env.duration("CART_IDEMPOTENCY_RETENTION", Duration.ofDays(1), Duration.ofHours(1), Duration.ofDays(365)),
        env.duration("CART_IDEMPOTENCY_PRUNE_INTERVAL", Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofDays(1)));
  }
}
