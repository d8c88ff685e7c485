package dev.vertxshop.payments;

import dev.vertxshop.payments.PaymentStore.DueRefund;
import dev.vertxshop.platform.errors.ServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries pending compensations until they settle, one instance per node: every
 * {@code SHOP_PAYMENTS_REFUND_SWEEP_INTERVAL} it claims at most {@code SHOP_PAYMENTS_REFUND_SWEEP_BATCH}
 * payments whose refund is due (a cancel that could not refund, a capture that came back after a cancel)
 * and has this node's API verticle settle each, one after the other, as {@code payments.cancel} would.
 * A failed try is put off by a doubling backoff; the claim keeps two nodes off the same payment. It
 * also samples the number of pending compensations for the gauge {@code shop_payments_refunds_pending}.
 */
final class RefundSweeperVerticle extends VerticleBase {

  /** Local-only: the node's own API verticle settles what this node's sweep claimed. */
  static final String SETTLE_ADDRESS = "payments.refunds.settle";
  static final String PENDING_METRIC = "shop.payments.refunds.pending";
  static final String TRIES_METRIC = "shop.payments.refund.tries";
  static final String ATTENTION_METRIC = "shop.payments.needing.attention";

  private static final Logger LOG = LoggerFactory.getLogger(RefundSweeperVerticle.class);

  private final Pool pool;
  private final PaymentsConfig config;
  private final MeterRegistry registry;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong attention = new AtomicLong();
  private final List<Meter> meters = new ArrayList<>();
  private PaymentStore store;
  private Counter settled;
  private Counter failed;
  private long timer = -1;
  private boolean sweeping;

  RefundSweeperVerticle(Pool pool, PaymentsConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    // Nothing of the store's writes that emit events is used here: no relay kick needed.
    store = new PaymentStore(pool, config, () -> { });
    if (registry != null) {
      meters.add(Gauge.builder(PENDING_METRIC, pending, AtomicLong::get)
          .description("Payments whose cancel still has to refund (or confirm there is nothing to refund), in the whole shop")
          .strongReference(true)
          .register(registry));
      meters.add(Gauge.builder(ATTENTION_METRIC, attention, AtomicLong::get)
          .description("Payments NEEDS_ATTENTION (capture state unknown to the provider), in the whole shop")
          .strongReference(true)
          .register(registry));
      settled = Counter.builder(TRIES_METRIC).description("Tries of pending compensations by this node's refund sweeper")
          .tag("outcome", "settled").register(registry);
      failed = Counter.builder(TRIES_METRIC).description("Tries of pending compensations by this node's refund sweeper")
          .tag("outcome", "failed").register(registry);
      meters.add(settled);
      meters.add(failed);
    }
    timer = vertx.setPeriodic(config.refundSweepInterval().toMillis(), id -> sweep());
    // At once: compensations left pending before a restart are counted and tried without waiting.
    sweep();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    return Future.succeededFuture();
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    store.claimDueRefunds(config.refundSweepBatch())
        .compose(this::settleAll)
        .eventually(() -> store.countPendingRefunds().onSuccess(count -> {
          if (count != pending.getAndSet(count) && count > 0) {
            LOG.info("{} payments have a compensation pending", count);
          }
        }).compose(v -> store.countNeedingAttention()).onSuccess(count -> {
          if (count != attention.getAndSet(count) && count > 0) {
            LOG.warn("{} payments are NEEDS_ATTENTION", count);
          }
        }))
        .onComplete(done -> sweeping = false, failure -> {
          sweeping = false;
          // The gauge keeps its last value: a database outage is not an all-clear.
          LOG.warn("refund sweep failed, tried again in {} ms: {}", config.refundSweepInterval().toMillis(), failure.getMessage());
        });
  }

  /** One after the other: a sweep never adds more than one call at a time to a provider in trouble. */
  private Future<Void> settleAll(List<DueRefund> due) {
    Future<Void> chain = Future.succeededFuture();
    for (DueRefund refund : due) {
      chain = chain.compose(v -> settle(refund));
    }
    return chain;
  }

  private Future<Void> settle(DueRefund refund) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.refundClaim().toMillis());
    return vertx.eventBus().request(SETTLE_ADDRESS, refund.orderId().toString(), options).transform(result -> {
      if (result.succeeded()) {
        LOG.info("order {}: pending compensation settled by the refund sweeper after {} failed tries", refund.orderId(),
            refund.attempts());
        count(settled);
      } else {
        ServiceException error = ServiceException.from(result.cause());
        LOG.warn("order {}: pending compensation still failing after {} tries ({}: {})", refund.orderId(),
            refund.attempts() + 1, error.code(), error.getMessage());
        count(failed);
      }
      return Future.<Void>succeededFuture();
    });
  }

  private static void count(Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }
}
