package dev.vertxshop.payments;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named circuit breaker in front of the payment provider, with its state changes logged and
 * exposed as gauges: {@code shop_circuit_breaker_state{name="payment-provider"}} (0 closed, 1 half-open,
 * 2 open) and {@code shop_circuit_breaker_failures{name}} (the same meters the gateway uses for its own
 * breakers). Only {@link ProviderFault}s count as failures: a decline is the provider working.
 */
final class ProviderBreaker {

  /** The breaker's name, in logs and in the metric's {@code name} tag. */
  static final String NAME = "payment-provider";
  static final String STATE_METRIC = "shop.circuit.breaker.state";
  static final String FAILURES_METRIC = "shop.circuit.breaker.failures";

  private static final Logger LOG = LoggerFactory.getLogger(ProviderBreaker.class);

  private final CircuitBreaker breaker;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  /** {@code registry}: the node's metrics registry, or null to only log the state changes. */
  ProviderBreaker(Vertx vertx, PaymentsConfig config, MeterRegistry registry) {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(config.breakerMaxFailures())
        .setFailuresRollingWindow(config.breakerWindow().toMillis())
        .setResetTimeout(config.breakerResetTimeout().toMillis())
        // Each attempt carries its own deadline (ProviderClient), so the breaker adds none.
        .setTimeout(-1)
        // Retries are made outside the breaker, one breaker call each, so that every failed attempt
        // counts and an opened breaker stops the retries at once.
        .setMaxRetries(0)
        .setFallbackOnFailure(false)
        // No periodic event-bus notifications: the state is in the logs and in the metrics.
        .setNotificationAddress(null);
    breaker = CircuitBreaker.create(NAME, vertx, options)
        .failurePolicy(result -> result.failed() && result.cause() instanceof ProviderFault)
        .openHandler(v -> LOG.warn("circuit breaker {} opened after {} failures: calls fail fast for {} ms", NAME,
            config.breakerMaxFailures(), config.breakerResetTimeout().toMillis()))
        .halfOpenHandler(v -> LOG.info("circuit breaker {} half-open: letting one call through", NAME))
        .closeHandler(v -> LOG.info("circuit breaker {} closed", NAME));
    this.registry = registry;
    if (registry == null) {
      LOG.warn("no metrics registry: the state of circuit breaker {} is only logged", NAME);
      return;
    }
    meters.add(Gauge.builder(STATE_METRIC, breaker, b -> stateValue(b.state()))
        .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
        .tag("name", NAME)
        .strongReference(true)
        .register(registry));
    meters.add(Gauge.builder(FAILURES_METRIC, breaker, CircuitBreaker::failureCount)
        .description("Failures counted by the circuit breaker in its rolling window")
        .tag("name", NAME)
        .strongReference(true)
        .register(registry));
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    breaker.close();
  }

  static int stateValue(CircuitBreakerState state) {
    switch (state) {
      case OPEN:
        return 2;
      case HALF_OPEN:
        return 1;
      default:
        return 0;
    }
  }
}
