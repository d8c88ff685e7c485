package dev.vertxshop.platform.boot;

import io.vertx.core.Future;

/**
 * One service of the shop, as the launcher sees it. Implementations are found with
 * {@link java.util.ServiceLoader}, so a node runs whichever services are on its class path and asked for.
 */
public interface ShopService {

  /** The service's name: its schema, its event-bus address prefix, its name on the command line. */
  String name();

  /** Whether the service owns a PostgreSQL schema (migrations under {@code db/<name>}). */
  default boolean usesDatabase() {
    return false;
  }

  /** Whether the service talks to Kafka (readiness then checks the brokers). */
  default boolean usesKafka() {
    return false;
  }

  /** Order in which services start (lower first); the gateway starts last so it never serves before its backends. */
  default int startOrder() {
    return 100;
  }

  /** Deploys the service's verticles; completes once every verticle reported started. */
  Future<Void> start(ServiceContext context);
}
