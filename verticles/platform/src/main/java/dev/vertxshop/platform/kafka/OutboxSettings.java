package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.config.Env;
import java.time.Duration;
import java.util.Locale;

/**
 * How a service's outbox relay runs, read from {@code SHOP_<SERVICE>_OUTBOX_POLL}, {@code _BATCH} and
 * {@code _RETENTION}, the same names and bounds in every service that publishes.
 *
 * @param poll      how often the relay looks for events written by other replicas (it is kicked right after
 *                  each local commit, so the poll only covers writers elsewhere)
 * @param batch     events per relay batch
 * @param retention how long published outbox rows are kept
 */
public record OutboxSettings(Duration poll, int batch, Duration retention) {

  /** The settings of {@code service}'s relay ({@code "orders"} reads {@code SHOP_ORDERS_OUTBOX_*}). */
  public static OutboxSettings from(Env env, String service) {
    String prefix = service.toUpperCase(Locale.ROOT) + "_OUTBOX_";
    return new OutboxSettings(
        env.duration(prefix + "POLL", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(5)),
        env.integer(prefix + "BATCH", 256, 1, 10_000),
        env.duration(prefix + "RETENTION", Duration.ofMinutes(60), Duration.ofMinutes(1), Duration.ofDays(7)));
  }
}
