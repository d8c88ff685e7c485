package dev.vertxshop.platform.kafka;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes a service's inbox ({@link Inbox#prune}) once at start and then every {@link #INTERVAL}: ids
 * older than the retention can no longer be redelivered, and keeping them only grows the table and its
 * index. Several replicas pruning the same schema is harmless (each deletes what is old, twice is a no-op).
 */
public final class InboxPruneVerticle extends VerticleBase {

  /** How often the inbox is pruned. */
  public static final Duration INTERVAL = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(InboxPruneVerticle.class);

  private final Pool pool;
  private final String service;
  private final Duration retention;
  private long timer = -1;
  private Future<Long> running = Future.succeededFuture(0L);

  public InboxPruneVerticle(Pool pool, String service, Duration retention) {
    this.pool = pool;
    this.service = service;
    this.retention = retention;
  }

  @Override
  public Future<?> start() {
    Duration onTopic = Topics.EVENTS_RETENTION.multipliedBy(2);
    if (retention.compareTo(onTopic) < 0) {
      LOG.warn("{}: SHOP_INBOX_RETENTION ({} s) is shorter than an event can stay on its topic ({} s): a replayed old event "
          + "would be applied again", service, retention.toSeconds(), onTopic.toSeconds());
    }
    timer = vertx.setPeriodic(1, INTERVAL.toMillis(), id -> prune());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return running.otherwiseEmpty();
  }

  private void prune() {
    if (!running.isComplete()) {
      return;
    }
    // A database that is down now is asked again at the next run; nothing depends on a prune.
    running = Inbox.prune(pool, retention).onComplete(
        deleted -> {
          if (deleted > 0) {
            LOG.info("{}: inbox pruned, {} ids older than {} s deleted", service, deleted, retention.toSeconds());
          }
        },
        failure -> LOG.warn("{}: inbox not pruned, will retry in {} min: {}", service, INTERVAL.toMinutes(), failure.getMessage()));
  }
}
