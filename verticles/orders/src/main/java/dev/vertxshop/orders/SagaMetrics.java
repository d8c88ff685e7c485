package dev.vertxshop.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saga outcomes by status and reason, saga durations (checkout to outcome), resumptions and the sagas
 * in flight on this replica: {@code shop_orders_saga_*} on the node's {@code /metrics}.
 */
final class SagaMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(SagaMetrics.class);

  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Counter resumes;

  SagaMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("shop.orders.saga.inflight", inFlight, AtomicInteger::get)
        .description("Checkout sagas this replica is driving now")
        .register(registry);
    this.resumes = Counter.builder("shop.orders.saga.resumes")
        .description("Sagas taken over after a crash, a stop or a retry-later")
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
}
