package dev.vertxshop.orders;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's periodic upkeep of the orders schema, one instance per node: deletes idempotency keys of
 * decided orders once they are older than {@code SHOP_ORDERS_IDEMPOTENCY_RETENTION}, and samples the
 * number of NEEDS_ATTENTION orders for the gauge. Every replica does both; the deletes skip the rows
 * another replica is deleting, and the count is the same everywhere.
 */
final class HousekeepingVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HousekeepingVerticle.class);
  /** Keys deleted per statement: short transactions, whatever the backlog after a long pause. */
  static final int PRUNE_BATCH = 1_000;

  private final Pool pool;
  private final OrdersConfig config;
  private final SagaMetrics metrics;
  private OrderStore orders;
  private long pruneTimer = -1;
  private long sampleTimer = -1;
  private boolean pruning;
  private boolean sampling;
  private long lastSampled = -1;

  HousekeepingVerticle(Pool pool, OrdersConfig config, SagaMetrics metrics) {
    this.pool = pool;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    orders = new OrderStore(pool);
    pruneTimer = vertx.setPeriodic(config.keyPruneInterval().toMillis(), id -> prune());
    sampleTimer = vertx.setPeriodic(config.attentionSample().toMillis(), id -> sample());
    // A gauge that reads 0 until the first interval would hide orders that needed attention before a restart.
    sample();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pruneTimer);
    vertx.cancelTimer(sampleTimer);
    return Future.succeededFuture();
  }

  private void prune() {
    if (pruning) {
      return;
    }
    pruning = true;
    pruneBatches(0).onComplete(
        deleted -> {
          pruning = false;
          if (deleted > 0) {
            metrics.pruned(deleted);
            LOG.info("pruned {} idempotency keys older than {} min", deleted, config.keyRetention().toMinutes());
          }
        },
        failure -> {
          pruning = false;
          LOG.warn("idempotency key pruning failed, tried again in {} ms: {}", config.keyPruneInterval().toMillis(),
              failure.getMessage());
        });
  }

  private Future<Long> pruneBatches(long sofar) {
    return orders.pruneKeys(config.keyRetention(), PRUNE_BATCH).compose(deleted -> deleted < PRUNE_BATCH
        ? Future.succeededFuture(sofar + deleted)
        : pruneBatches(sofar + deleted));
  }

  private void sample() {
    if (sampling) {
      return;
    }
    sampling = true;
    orders.countNeedingAttention().onComplete(
        count -> {
          sampling = false;
          metrics.sampledNeedingAttention(count);
          if (count > 0 && count != lastSampled) {
            LOG.warn("{} orders are NEEDS_ATTENTION (GET /api/admin/orders?status=NEEDS_ATTENTION)", count);
          }
          lastSampled = count;
        },
        failure -> {
          sampling = false;
          // The gauge keeps its last value: a database outage is not an all-clear.
          LOG.warn("could not count the orders needing attention: {}", failure.getMessage());
        });
  }
}
