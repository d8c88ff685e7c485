package dev.vertxshop.notifications;

import dev.vertxshop.platform.config.Env;

/** The notifications settings, read once from {@code SHOP_NOTIFICATIONS_*} variables; invalid values name the variable. */
public record NotificationsConfig(int instances, int consumers) {

  public static NotificationsConfig from(Env env) {
    return new NotificationsConfig(
        env.integer("NOTIFICATIONS_INSTANCES", 1, 1, 64),
        // More consumers than partitions would sit idle in the group.
        env.integer("NOTIFICATIONS_CONSUMERS", 1, 1, 16));
  }
}
