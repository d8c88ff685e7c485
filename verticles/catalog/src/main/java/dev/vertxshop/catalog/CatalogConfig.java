package dev.vertxshop.catalog;

import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;

/** The catalog's settings, read once from {@code SHOP_CATALOG_*} variables; invalid values name the variable. */
public record CatalogConfig(
    int instances, boolean seedDemo, OutboxSettings outbox) {

  public static CatalogConfig from(Env env) {
    return new CatalogConfig(
        env.integer("CATALOG_INSTANCES", 2, 1, 64),
        env.bool("CATALOG_SEED_DEMO", false),
        OutboxSettings.from(env, "catalog"));
  }
}
