package dev.vertxshop.embedded;

/**
 * One PostgreSQL and one Kafka broker per JVM, shared by all integration tests running in it.
 *
 * <p>Each is started on first use and closed by its own JVM shutdown hook. Tests must not stop,
 * restart or close them; a test that needs an outage starts a private {@link LocalPostgres} or
 * {@link LocalKafka} instead.
 */
public final class SharedInfra {

  // Separate locks so a test asking only for PostgreSQL never waits for a broker to boot.
  private static final Object POSTGRES_LOCK = new Object();
  private static final Object KAFKA_LOCK = new Object();

  private static LocalPostgres postgres;
  private static LocalKafka kafka;

  private SharedInfra() {
  }

  /** The shared PostgreSQL, started on first call. */
  public static LocalPostgres postgres() {
    synchronized (POSTGRES_LOCK) {
      if (postgres == null) {
        postgres = LocalPostgres.start(null, 0);
      }
      return postgres;
    }
  }

  /** The shared Kafka broker, started on first call. */
  public static LocalKafka kafka() {
    synchronized (KAFKA_LOCK) {
      if (kafka == null) {
        kafka = LocalKafka.start(null, 0);
      }
      return kafka;
    }
  }
}
