package dev.vertxshop.platform.db;

import dev.vertxshop.platform.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection pools bound to one service's schema, and that schema's migrations. */
public final class Databases {

  private static final Logger LOG = LoggerFactory.getLogger(Databases.class);

  /** How long a service start waits for its pool's first connection, across attempts. */
  public static final Duration FIRST_CONNECTION_PATIENCE = Duration.ofSeconds(30);

  private static final long FIRST_CONNECTION_RETRY_MS = 500;

  private Databases() {
  }

  /**
   * A pool whose connections see only {@code schema} (through {@code search_path}), named after it so
   * that pool metrics say which service they belong to.
   */
  public static Pool pool(Vertx vertx, DatabaseConfig config, String schema) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setDatabase(config.database())
        .setUser(config.user())
        .setPassword(config.password())
        .setReconnectAttempts(0)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setProperties(Map.of("search_path", schema, "application_name", "shop-" + schema));
    PoolOptions pool = new PoolOptions()
        .setName("shop-" + schema)
        .setMaxSize(config.poolSize())
        // Fail fast when the database is gone instead of queueing work for ever.
        .setConnectionTimeout((int) Math.max(1, config.connectTimeout().toSeconds()))
        .setMaxWaitQueueSize(1024)
        .setIdleTimeout(60)
        .setShared(false);
    NetClientOptions net = new NetClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis());
    return PgBuilder.pool().with(pool).with(net).connectingTo(connect).using(vertx).build();
  }

  /**
   * Opens the pool's first connection, asking again while the database does not answer within the
   * pool's bound, for at most {@code patience}. The bound is short on purpose (a request fails fast
   * when the database is gone), but a database that a dozen JVMs starting at once keep busy can take
   * longer than that to accept one connection; failing the start then would cost a whole JVM restart
   * and load the machine further. An error the server itself answers (a wrong password, a missing
   * database) is not retried. The connection stays idle in the pool for the service's first query.
   */
  public static Future<Void> firstConnection(Vertx vertx, Pool pool, String schema, Duration patience) {
    return firstConnection(vertx, pool, schema, System.nanoTime() + patience.toNanos(), 1);
  }

  private static Future<Void> firstConnection(Vertx vertx, Pool pool, String schema, long deadline, int attempt) {
    return pool.query("SELECT 1").execute().<Void>mapEmpty().recover(failure -> {
      if (failure instanceof PgException || System.nanoTime() - deadline >= 0) {
        return Future.failedFuture(failure);
      }
      LOG.warn("schema {}: the database did not give a connection in time (attempt {}: {}); asking again", schema,
          attempt, failure.getMessage());
      return vertx.timer(FIRST_CONNECTION_RETRY_MS).compose(t -> firstConnection(vertx, pool, schema, deadline, attempt + 1));
    });
  }

  /**
   * Applies the shared platform migrations (outbox, inbox) and then the service's own, both into
   * {@code schema}, each with its own history table. Flyway is blocking, so this runs on a worker.
   */
  public static Future<Void> migrate(Vertx vertx, DatabaseConfig config, String schema) {
    return vertx.executeBlocking(() -> {
      long start = System.nanoTime();
      flyway(config, schema, "flyway_platform_history", "classpath:db/platform").migrate();
      int applied = flyway(config, schema, "flyway_schema_history", "classpath:db/" + schema).migrate().migrationsExecuted;
      LOG.info("schema {} migrated ({} new migrations) in {} ms", schema, applied, (System.nanoTime() - start) / 1_000_000);
      return null;
    }, false);
  }

  private static Flyway flyway(DatabaseConfig config, String schema, String table, String location) {
    return Flyway.configure()
        .dataSource(config.jdbcUrl(), config.user(), config.password())
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        .table(table)
        .locations(location)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .connectRetries(3)
        .load();
  }
}
