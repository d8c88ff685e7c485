package dev.vertxshop.search;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The search settings, read once from {@code SHOP_SEARCH_*} variables; invalid values name the variable.
 *
 * @param indexDir   where the index lives on disk, or null for an in-memory index
 * @param queryQueue queries waiting for or running on the Lucene pool at most; more are refused TOO_MANY_REQUESTS
 */
public record SearchConfig(Path indexDir, Duration refreshInterval, int workers, Duration catchUpTimeout, int queryQueue) {

  public static SearchConfig from(Env env) {
    return new SearchConfig(
        path(env, "SEARCH_INDEX_DIR"),
        // Upper bound of how stale a search may be after a product change reached Kafka.
        env.duration("SEARCH_REFRESH", Duration.ofMillis(250), Duration.ofMillis(10), Duration.ofSeconds(10)),
        env.integer("SEARCH_WORKERS", 2, 1, 64),
        env.duration("SEARCH_CATCHUP_TIMEOUT", Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofMinutes(30)),
        // A few milliseconds per query: 64 waiting is at most some tenths of a second of wait on the default pool.
        env.integer("SEARCH_QUERY_QUEUE", 64, 1, 100_000));
  }

  private static Path path(Env env, String name) {
    String raw = env.string(name, null);
    if (raw == null) {
      return null;
    }
    try {
      return Path.of(raw).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new ConfigException(Env.var(name), "'" + raw + "' is not a usable path");
    }
  }
}
