package dev.vertxshop.catalog;

import dev.vertxshop.platform.config.Env;
import java.time.Duration;

/** The catalog's settings, read once from {@code SHOP_CATALOG_*} variables; invalid values name the variable. */
public record CatalogConfig(
    int instances, boolean seedDemo, Duration outboxPoll, int outboxBatch, Duration outboxRetention) {

  public static CatalogConfig from(Env env) {
    return new CatalogConfig(
        env.integer("CATALOG_INSTANCES", 2, 1, 64),
        env.bool("CATALOG_SEED_DEMO", false),
        // The relay is kicked right after each local commit; the poll only covers writers elsewhere.
        env.duration("CATALOG_OUTBOX_POLL", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(5)),
        env.integer("CATALOG_OUTBOX_BATCH", 256, 1, 10_000),
        env.duration("CATALOG_OUTBOX_RETENTION", Duration.ofMinutes(60), Duration.ofMinutes(1), Duration.ofDays(7)));
  }
}
