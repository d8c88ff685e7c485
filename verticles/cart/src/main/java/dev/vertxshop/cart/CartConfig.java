package dev.vertxshop.cart;

import dev.vertxshop.platform.config.Env;
import java.time.Duration;

/** The cart's settings, read once from {@code SHOP_CART_*} variables; invalid values name the variable. */
public record CartConfig(int instances, Duration catalogTimeout) {

  public static CartConfig from(Env env) {
    return new CartConfig(
        env.integer("CART_INSTANCES", 2, 1, 64),
        // Every cart reply waits for the catalog's prices: a slow catalog must fail the request, not hold it.
        env.duration("CART_CATALOG_TIMEOUT", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30)));
  }
}
