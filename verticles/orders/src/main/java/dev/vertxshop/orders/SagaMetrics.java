package dev.vertxshop.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saga outcomes by status and reason, saga durations (checkout to outcome), resumptions, the sagas in
 * flight on this replica, sagas sent to an operator ({@code shop_orders_saga_*}), the orders needing
 * attention in the whole shop (a sampled gauge) and pruned idempotency keys, on the node's {@code /metrics}.
 */
final class SagaMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(SagaMetrics.class);

  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong needingAttention = new AtomicLong();
  private final Counter resumes;
  private final Counter prunedKeys;

  SagaMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("shop.orders.saga.inflight", inFlight, AtomicInteger::get)
        .description("Checkout sagas this replica is driving now")
        .register(registry);
    this.resumes = Counter.builder("shop.orders.saga.resumes")
        .description("Sagas taken over after a crash, a stop or a retry-later")
        .register(registry);
    // Sampled by the housekeeping timer rather than queried per scrape: a scrape must stay cheap and must
    // not depend on the database answering. Every replica shows the same, shop-wide number.
    Gauge.builder("shop.orders.sagas.needing.attention", needingAttention, AtomicLong::get)
        .description("Orders in NEEDS_ATTENTION in the whole shop, as last sampled")
        .register(registry);
    this.prunedKeys = Counter.builder("shop.orders.idempotency.keys.pruned")
        .description("Idempotency keys deleted after their retention")
        .register(registry);
  }

  /** The node's registry (what its /metrics serves); a private one when the node runs without metrics. */
  static SagaMetrics on(MeterRegistry nodeRegistry) {
    if (nodeRegistry == null) {
      LOG.warn("no metrics registry: saga metrics are kept but not exported");
      return new SagaMetrics(new SimpleMeterRegistry());
    }
    return new SagaMetrics(nodeRegistry);
  }

  void outcome(SagaState status, String reason, Duration took) {
    String reasonTag = reason == null ? "none" : reason;
    Counter.builder("shop.orders.saga.outcomes")
        .description("Checkout sagas ended, by outcome and cancel reason")
        .tag("status", status.name())
        .tag("reason", reasonTag)
        .register(registry)
        .increment();
    Timer.builder("shop.orders.saga.duration")
        .description("Checkout to outcome, resumptions included")
        .tag("status", status.name())
        .register(registry)
        .record(took);
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void ended() {
    inFlight.decrementAndGet();
  }

  void resumed() {
    resumes.increment();
  }

  /** A saga stuck at {@code step} was handed to an operator by this replica. */
  void needsAttention(SagaState step) {
    Counter.builder("shop.orders.saga.attention")
        .description("Sagas this replica marked NEEDS_ATTENTION, by the step they were stuck at")
        .tag("step", step.name())
        .register(registry)
        .increment();
  }

  void sampledNeedingAttention(long orders) {
    needingAttention.set(orders);
  }

  void pruned(long keys) {
    prunedKeys.increment(keys);
  }
}
