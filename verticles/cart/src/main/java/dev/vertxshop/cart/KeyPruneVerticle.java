package dev.vertxshop.cart;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the idempotency keys of adds once they are older than {@code SHOP_CART_IDEMPOTENCY_RETENTION}, every
 * {@code SHOP_CART_IDEMPOTENCY_PRUNE_INTERVAL}; one instance per node. Every replica prunes: the deletes skip the
 * rows another replica is deleting, and deleting what is already gone is a no-op.
 */
final class KeyPruneVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(KeyPruneVerticle.class);
  /** Keys deleted per statement: short transactions, whatever the backlog after a long pause. */
  static final int PRUNE_BATCH = 1_000;

  private final CartStore store;
  private final Duration retention;
  private final Duration interval;
  private final CartMetrics metrics;
  private long timer = -1;
  private Future<Long> running = Future.succeededFuture(0L);

  KeyPruneVerticle(Pool pool, Duration retention, Duration interval, CartMetrics metrics) {
    this.store = new CartStore(pool);
    this.retention = retention;
    this.interval = interval;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> prune());
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
    running = batches(0).onComplete(
        deleted -> {
          if (deleted > 0) {
            metrics.pruned(deleted);
            LOG.info("pruned {} idempotency keys of adds older than {} min", deleted, retention.toMinutes());
          }
        },
        // A database that is down now is asked again at the next run; nothing waits for a prune.
        failure -> LOG.warn("idempotency key pruning failed, tried again in {} ms: {}", interval.toMillis(), failure.getMessage()));
  }

  private Future<Long> batches(long sofar) {
    return store.pruneKeys(retention, PRUNE_BATCH).compose(deleted -> deleted < PRUNE_BATCH
        ? Future.succeededFuture(sofar + deleted)
        : batches(sofar + deleted));
  }
}
