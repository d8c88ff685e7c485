package dev.vertxshop.platform.config;

import java.time.Duration;

/** Where PostgreSQL is and how many connections a service may hold. */
public record DatabaseConfig(
    String host, int port, String database, String user, String password, int poolSize,
    Duration connectTimeout) {

  public static DatabaseConfig from(Env env) {
    return new DatabaseConfig(
        env.string("DB_HOST", "127.0.0.1"),
        env.port("DB_PORT", 5432),
        env.string("DB_NAME", "shop"),
        env.string("DB_USER", "shop"),
        env.string("DB_PASSWORD", "shop"),
        env.integer("DB_POOL_SIZE", 8, 1, 200),
        env.duration("DB_CONNECT_TIMEOUT", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(1)));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    // Never print the password.
    return "DatabaseConfig[" + user + "@" + host + ":" + port + "/" + database + ", pool=" + poolSize + "]";
  }
}
